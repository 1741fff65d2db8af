package dev.redock.ui.tray;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.redock.testenv.XDisplay;

/**
 * One window per data folder, with the packaged app under a real X server: a second launch on the same data folder starts
 * no second scheduler, brings the first window forward (above a window that covered it) and ends at once; the CLI still
 * runs beside the window.
 */
class SingleInstanceJarIT {

    @TempDir
    Path home;
    @TempDir
    Path logs;

    @Test
    void aSecondLaunchOnTheSameDataFolderBringsTheFirstWindowForwardAndStartsNoSecondScheduler() throws Exception {
        try (XDisplay x = XDisplay.start(logs)) {
            RedockJar jar = new RedockJar(x, home);
            Process first = jar.startWindow("first-window");
            await("the first window").atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(250)).until(() -> {
                assertThat(first.isAlive()).as("the app runs; see %s", logs.resolve("first-window.log")).isTrue();
                return jar.log().contains("Scheduler started") && redockWindow(x) != null;
            });
            String redock = redockWindow(x);

            // A window that covers it: the first window is no longer the top-most.
            x.spawn("xmessage", List.of("xmessage", "-geometry", "1280x800+0+0", "-name", "cover", "covering Redock"),
                    java.util.Map.of());
            await().atMost(Duration.ofSeconds(10)).until(() -> indexOf(x, "\"cover\"") >= 0
                    && indexOf(x, "\"cover\"") < indexOf(x, redock));

            long started = System.nanoTime();
            XDisplay.Result second = jar.run(Duration.ofSeconds(30));
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            assertThat(second.exit()).as(second.out()).isZero();
            assertThat(second.out()).contains("Redock is already open on " + home.toAbsolutePath().normalize())
                    .contains("brought its window forward");
            assertThat(took).as("the second launch only hands over").isLessThan(Duration.ofSeconds(15));

            await("the first window on top").atMost(Duration.ofSeconds(10))
                    .until(() -> indexOf(x, redock) >= 0 && indexOf(x, redock) < indexOf(x, "\"cover\""));
            String log = jar.log();
            assertThat(RedockJar.count(log, "Brought the window forward at another launch's request")).isEqualTo(1);
            assertThat(RedockJar.count(log, "Scheduler started")).as("only the first launch schedules").isEqualTo(1);
            assertThat(Files.readString(home.resolve("scheduler.lock"), StandardCharsets.UTF_8).strip())
                    .isEqualTo("pid " + first.pid());
            assertThat(first.isAlive()).isTrue();

            assertThat(jar.cli("service", "ls")).as("the CLI runs beside the window").startsWith("NAME");
        }
    }

    /** The Redock window's id, if it is shown. */
    private static String redockWindow(XDisplay x) throws Exception {
        XDisplay.Result r = x.run(List.of("xdotool", "search", "--onlyvisible", "--name", "^Redock$"), Duration.ofSeconds(10));
        String id = r.out().strip();
        return r.exit() == 0 && !id.isEmpty() ? String.format("0x%x", Long.parseLong(id.lines().findFirst().orElseThrow())) : null;
    }

    /** Where a window is in the stacking order, 0 the top-most; -1 if absent. */
    private static int indexOf(XDisplay x, String needle) throws Exception {
        List<String> order = x.stackingOrder();
        for (int i = 0; i < order.size(); i++) {
            if (needle.startsWith("0x") ? order.get(i).startsWith(needle + " ") : order.get(i).contains(needle)) {
                return i;
            }
        }
        return -1;
    }
}
