package dev.redock.ui.tray;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import dev.redock.testenv.DockerTest;
import dev.redock.testenv.TestEnv;
import dev.redock.testenv.TestImages;
import dev.redock.testenv.XDisplay;

/**
 * The packaged app under a real X server (Xvfb) with a real system tray host (trayer): the tray icon is added, and a redeploy
 * by the scheduler sends a notification naming the service through the tray (the app writes what its tray is asked to show
 * to {@code REDOCK_NOTIFICATION_LOG}).
 */
@ExtendWith(DockerTest.class)
class TrayJarIT {

    @TempDir
    Path home;
    @TempDir
    Path logs;

    @Test
    void underATrayHostTheIconIsAddedAndARedeployByTheSchedulerNotifiesNamingTheService() throws Exception {
        String repository = TestEnv.uniqueName("trayit") + "/web";
        TestImages.push(TestImages.webImage("tray it v1"), repository + ":stable");
        String name = TestEnv.uniqueName("web");
        Path notes = logs.resolve("notifications.log");

        try (XDisplay x = XDisplay.start(logs)) {
            x.startTrayHost();
            RedockJar jar = new RedockJar(x, home).with(RecordingTray.ENV, notes.toString());
            jar.cli("settings", "interval", "2s");
            jar.cli("settings", "api", "--port", Integer.toString(TestImages.freePort()));
            jar.cli("service", "run", "--autoredeploy", "--name", name, "--stop-timeout", "1",
                    "-l", TestEnv.RUN_LABEL + "=" + TestEnv.runId(), TestEnv.registry() + "/" + repository + ":stable");

            Process window = jar.startWindow("redock-window");
            // The app records the tray in the notification log before it logs "Running with a tray icon", and starts its
            // scheduler on another thread: wait for all of it.
            await("the tray icon").atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(250)).until(() -> {
                assertThat(window.isAlive()).as("the app runs; see %s", logs.resolve("redock-window.log")).isTrue();
                String log = jar.log();
                return read(notes).contains("tray awt available=true") && log.contains("Tray icon added")
                        && log.contains("Running with a tray icon") && log.contains("Scheduler started");
            });

            String second = TestImages.push(TestImages.webImage("tray it v2"), repository + ":stable");
            await("the redeploy's notification").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                    .until(() -> read(notes).contains("| " + name + " redeployed |"));
            String line = read(notes).lines().filter(l -> l.contains("| " + name + " redeployed |")).findFirst().orElseThrow();
            assertThat(line).contains("notify INFO ").contains(NotificationText.digest(second)).endsWith("(succeeded)");
            assertThat(read(notes)).contains("state DEPLOYING");
            assertThat(window.isAlive()).isTrue();
        }
    }

    private static String read(Path file) throws Exception {
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    }
}
