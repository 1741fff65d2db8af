package dev.redock.testenv;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;

import dev.redock.testenv.TestEnv;

/**
 * A real X display for the tests that start the packaged app with its real window: Xvfb on a free display number, and
 * optionally {@code trayer} on it as the system tray's host. Everything it starts is stopped by {@link #close()}; a missing
 * program fails the test naming the command that installs it (no silent skip).
 */
public final class XDisplay implements AutoCloseable {

    public static final String SETUP = "`" + TestEnv.SETUP_COMMAND + "` (as root it installs xvfb, trayer, x11-utils, xdotool and"
            + " libgtk-3-0), or `apt-get install -y xvfb trayer x11-utils xdotool libgtk-3-0`";

    private final int number;
    private final Path logs;
    private final List<Process> processes = new ArrayList<>();

    private XDisplay(int number, Path logs) {
        this.number = number;
        this.logs = logs;
    }

    /** Starts Xvfb on the first free display from :91; its output goes to {@code logs}. */
    public static XDisplay start(Path logs) throws IOException, InterruptedException {
        require("Xvfb", "xdotool", "xwininfo", "xmessage");
        Files.createDirectories(logs);
        for (int candidate = 91; candidate < 140; candidate++) {
            int n = candidate;
            if (Files.exists(Path.of("/tmp/.X" + n + "-lock")) || Files.exists(Path.of("/tmp/.X11-unix/X" + n))) {
                continue;
            }
            XDisplay display = new XDisplay(n, logs);
            Process xvfb = display.spawn("xvfb", List.of("Xvfb", ":" + n, "-screen", "0", "1280x800x24", "-nolisten", "tcp"),
                    Map.of());
            try {
                Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                        .until(() -> !xvfb.isAlive() || Files.exists(Path.of("/tmp/.X11-unix/X" + n)));
            } catch (RuntimeException e) {
                display.close();
                throw e;
            }
            if (xvfb.isAlive() && display.run(List.of("xwininfo", "-root"), Duration.ofSeconds(10)).exit == 0) {
                return display;
            }
            display.close(); // another server took the number meanwhile: try the next
        }
        throw new IllegalStateException("no free X display number between :91 and :139");
    }

    /** Starts trayer, the system tray's host, at the top right of the screen, and waits until it has a window. */
    public void startTrayHost() throws Exception {
        require("trayer");
        Process trayer = spawn("trayer", List.of("trayer", "--edge", "top", "--align", "right", "--widthtype", "pixel",
                "--width", "120", "--height", "24"), Map.of());
        Awaitility.await("trayer's window").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    assertThat(trayer.isAlive()).as("trayer runs (see %s)", logs.resolve("trayer.log")).isTrue();
                    return run(List.of("xwininfo", "-root", "-children"), Duration.ofSeconds(5)).out.contains("panel");
                });
    }

    /** DISPLAY's value for this display. */
    public String display() {
        return ":" + number;
    }

    /** Starts a program on this display, its output in {@code <logs>/<name>.log}; stopped at {@link #close()}. */
    public Process spawn(String name, List<String> command, Map<String, String> env) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logs.resolve(name + ".log").toFile()));
        pb.environment().put("DISPLAY", display());
        pb.environment().putAll(env);
        Process p = pb.start();
        processes.add(p);
        return p;
    }

    public record Result(int exit, String out) {
    }

    /** Runs a program on this display to its end (or the timeout), its output returned. */
    public Result run(List<String> command, Duration timeout) throws IOException, InterruptedException {
        return run(command, Map.of(), timeout);
    }

    public Result run(List<String> command, Map<String, String> env, Duration timeout) throws IOException, InterruptedException {
        Path out = Files.createTempFile(logs, "run", ".out");
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(out.toFile());
        pb.environment().put("DISPLAY", display());
        pb.environment().putAll(env);
        Process p = pb.start();
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError(command + " did not end within " + timeout + "; its output: "
                        + Files.readString(out, StandardCharsets.UTF_8));
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
        } finally {
            p.destroyForcibly();
        }
    }

    /** The top-level windows' ids, top-most first (as {@code xwininfo -root -children} lists them), with their names. */
    public List<String> stackingOrder() throws IOException, InterruptedException {
        List<String> windows = new ArrayList<>();
        for (String line : run(List.of("xwininfo", "-root", "-children"), Duration.ofSeconds(10)).out.split("\n")) {
            String l = line.strip();
            if (l.startsWith("0x")) {
                windows.add(l);
            }
        }
        return windows;
    }

    /** Stops what was started here, newest first. */
    @Override
    public void close() {
        for (int i = processes.size() - 1; i >= 0; i--) {
            Process p = processes.get(i);
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
            try {
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
        }
        processes.clear();
    }

    static void require(String... programs) {
        for (String program : programs) {
            boolean found = false;
            for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
                if (Files.isExecutable(Path.of(dir, program))) {
                    found = true;
                    break;
                }
            }
            if (!found) {
                throw new IllegalStateException(program + " is missing: this test needs a real X display and a tray host. "
                        + "Run the tests with " + SETUP);
            }
        }
    }
}
