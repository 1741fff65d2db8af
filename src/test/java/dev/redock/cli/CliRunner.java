package dev.redock.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.redock.Main;
import dev.redock.testenv.TestEnv;

/** Runs Redock's CLI on a data folder: in this JVM, or as a new process, the way a user runs it. */
public final class CliRunner {

    private final Path home;
    private final Map<String, String> env = new HashMap<>();

    public CliRunner(Path home) {
        this.home = home;
        env.putAll(System.getenv());
        env.put("REDOCK_HOME", home.toString());
        env.put("DOCKER_HOST", TestEnv.dockerHost().toString());
        env.put("REDOCK_READY_TIMEOUT", "30s");
        env.put("REDOCK_MIN_UPTIME", "2s");
    }

    public CliRunner with(String name, String value) {
        env.put(name, value);
        return this;
    }

    /** Runs without this environment variable (e.g. {@code DOCKER_HOST}, to let the docker CLI's context choose). */
    public CliRunner without(String name) {
        env.remove(name);
        return this;
    }

    public Path home() {
        return home;
    }

    /** What a command printed and how it exited. */
    public record Result(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- out\n" + out + "--- err\n" + err;
        }
    }

    /** In this JVM, through the same entry point as {@code java -jar redock.jar}. */
    public Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** In a new JVM, on this JVM's class path. */
    public Result runProcess(String... args) throws IOException, InterruptedException {
        Process p = start(args);
        if (!p.waitFor(2, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException("redock " + String.join(" ", args) + " did not end within 2 minutes");
        }
        return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    /** Starts a new JVM running the command; the caller reads its output and ends it. */
    public Process start(String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Main.class.getName());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().clear();
        pb.environment().putAll(env);
        return pb.start();
    }
}
