package dev.redock.ui.tray;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.redock.testenv.XDisplay;

/** The packaged {@code target/redock.jar} on an {@link XDisplay}: the window as users start it, and its CLI beside it. */
final class RedockJar {

    static final Path JAR = Path.of("target", "redock.jar");

    private final XDisplay x;
    private final Path home;
    private final Map<String, String> env = new HashMap<>();

    RedockJar(XDisplay x, Path home) {
        assertThat(JAR).as("mvn package makes target/redock.jar").exists();
        this.x = x;
        this.home = home;
        env.put("REDOCK_HOME", home.toString());
        env.put("REDOCK_MIN_UPTIME", "1s");
        env.put("REDOCK_READY_TIMEOUT", "30s");
    }

    RedockJar with(String name, String value) {
        env.put(name, value);
        return this;
    }

    private List<String> command(String... args) {
        List<String> c = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dprism.order=sw", "-jar", JAR.toString()));
        c.addAll(List.of(args));
        return c;
    }

    /** Starts the window (no arguments), output in {@code <logs>/<name>.log}; {@link XDisplay#close()} stops it. */
    Process startWindow(String name) throws IOException {
        return x.spawn(name, command(), env);
    }

    /** Runs a launch of the jar to its end. */
    XDisplay.Result run(Duration timeout, String... args) throws IOException, InterruptedException {
        return x.run(command(args), env, timeout);
    }

    /** Runs a CLI command and requires it to succeed. */
    String cli(String... args) throws IOException, InterruptedException {
        XDisplay.Result r = run(Duration.ofSeconds(90), args);
        assertThat(r.exit()).as("redock %s: %s", String.join(" ", args), r.out()).isZero();
        return r.out();
    }

    /** The app's own log. */
    String log() throws IOException {
        Path log = home.resolve("logs").resolve("redock.log");
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    }

    static long count(String text, String needle) {
        return text.lines().filter(l -> l.contains(needle)).count();
    }
}
