package dev.redock.testenv;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * A real Redock process: the packaged {@code target/redock.jar} ({@code mvn package} makes it), started as users start it,
 * with its own data folder ({@code REDOCK_HOME}) and the engine it is told ({@code DOCKER_HOST}).
 *
 * <pre>{@code
 * RedockProcess.Launcher redock = RedockProcess.launcher(home, engine.host()).env("REDOCK_MIN_UPTIME", "1s");
 * RedockProcess.Result ls = redock.run("service", "ls");                           // to its end
 * RedockProcess agent = redock.start("agent", "--interval", "2s", "--no-api");     // in the background
 * agent.awaitLine(Pattern.compile("polling every"), Duration.ofSeconds(60));
 * agent.sigterm();
 * RedockProcess.Exit exit = agent.awaitExit(Duration.ofSeconds(120));             // code, and how long it took
 * }</pre>
 *
 * <p>Signals are real: {@link #sigterm()} and {@link #sigkill()} are what {@code kill} sends, {@link #sigint()} is what
 * Ctrl-C sends. Every process started here, and what it started, is killed by {@link #killAll()} (after each fault
 * case) and when the JVM ends.
 */
public final class RedockProcess implements AutoCloseable {

    public static final Path JAR = Path.of("target", "redock.jar");
    /** Where each process's output goes, one file per process, to read after a failure. */
    public static final Path LOGS = Path.of("target", "redock-processes");

    private static final Set<RedockProcess> LIVE = ConcurrentHashMap.newKeySet();
    private static final boolean SIGINT_IGNORED = sigintIgnored(ProcessHandle.current().pid());

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(RedockProcess::killAll, "redock-processes-kill"));
    }

    /** One line of output. */
    public record Line(Instant at, boolean stderr, String text) {
        @Override
        public String toString() {
            return (stderr ? "err| " : "out| ") + text;
        }
    }

    /** A command run to its end. */
    public record Result(int exit, String out, String err, Duration took) {
        @Override
        public String toString() {
            String first = (err.isBlank() ? out : err).strip().lines().findFirst().orElse("");
            return "exit " + exit + " after " + took.toMillis() + " ms: " + first + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    /** How a process ended: its exit code and how long after the last signal sent to it (or after the wait began). */
    public record Exit(int code, Duration took) {
    }

    /** How to start Redock processes on one data folder and one engine. Immutable: {@link #env} makes a copy. */
    public static final class Launcher {
        private final Path home;
        private final URI dockerHost;
        private final Map<String, String> env;
        private final List<String> wrapper;
        /** Where the processes start (null: where the tests run). */
        private final Path workingFolder;

        private Launcher(Path home, URI dockerHost, Map<String, String> env, List<String> wrapper, Path workingFolder) {
            this.home = home;
            this.dockerHost = dockerHost;
            this.env = Map.copyOf(env);
            this.wrapper = List.copyOf(wrapper);
            this.workingFolder = workingFolder;
        }

        /** The same, with one more environment variable (or another value for it). */
        public Launcher env(String name, String value) {
            Map<String, String> more = new LinkedHashMap<>(env);
            more.put(name, value);
            return new Launcher(home, dockerHost, more, wrapper, workingFolder);
        }

        /** The same, started in this folder (as a user types a command there). */
        public Launcher in(Path folder) {
            return new Launcher(home, dockerHost, env, wrapper, folder);
        }

        /**
         * The same, started through a command that then runs Redock (e.g. {@code unshare --uts ...}); the process signalled is
         * still Redock's JVM.
         */
        public Launcher wrappedIn(String... command) {
            return new Launcher(home, dockerHost, env, List.of(command), workingFolder);
        }

        public Path home() {
            return home;
        }

        /** Runs a command to its end (at most 120 s). */
        public Result run(String... args) {
            return run(Duration.ofSeconds(120), args);
        }

        /** Runs a command to its end, killing it after {@code timeout}. */
        public Result run(Duration timeout, String... args) {
            try (RedockProcess p = start(args)) {
                Exit exit = p.awaitExit(timeout);
                p.awaitOutputEnd();
                return new Result(exit.code(), p.stdout(), p.stderr(), exit.took());
            }
        }

        /** Runs a command and requires it to succeed; returns its stdout. */
        public String cli(String... args) {
            Result r = run(args);
            assertThat(r.exit()).as("redock %s\n%s", String.join(" ", args), r).isZero();
            return r.out();
        }

        /** Starts a command in the background; its output is read line by line as it comes. */
        public RedockProcess start(String... args) {
            assertThat(JAR).as("mvn package makes %s; run the tests with `%s`", JAR, TestEnv.SETUP_COMMAND).exists();
            List<String> command = new ArrayList<>(wrapper);
            if (wrapper.isEmpty() && SIGINT_IGNORED && Files.isExecutable(Path.of("/usr/bin/perl"))) {
                // Started in the background by a shell, this JVM ignores SIGINT and so would Redock: undo that, so that
                // Ctrl-C reaches it as it reaches a user's.
                command.addAll(List.of("/usr/bin/perl", "-e", "$SIG{INT} = 'DEFAULT'; exec @ARGV or die \"exec: $!\""));
            }
            command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-XX:TieredStopAtLevel=1", "-Xmx384m", "-jar", JAR.toAbsolutePath().toString()));
            command.addAll(List.of(args));
            ProcessBuilder pb = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            if (workingFolder != null) {
                pb.directory(workingFolder.toFile());
            }
            pb.environment().remove("DOCKER_HOST");
            pb.environment().remove("DOCKER_CONTEXT");
            pb.environment().put("DOCKER_HOST", dockerHost.toString());
            pb.environment().put("REDOCK_HOME", home.toAbsolutePath().toString());
            pb.environment().putAll(env);
            String name = String.join(" ", args);
            try {
                return new RedockProcess(name, pb.start(), !wrapper.isEmpty());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start redock " + name, e);
            }
        }
    }

    /** Redock processes on this data folder and engine. */
    public static Launcher launcher(Path home, URI dockerHost) {
        return new Launcher(home, dockerHost, Map.of(), List.of(), null);
    }

    private final String name;
    private final Process process;
    private final boolean wrapped;
    private final List<Line> lines = new ArrayList<>();
    private final Writer log;
    private final Path logFile;
    private final Thread outReader;
    private final Thread errReader;
    private volatile Instant lastSignal;
    /** When the process ended, as this JVM saw it. */
    private final java.util.concurrent.CompletableFuture<Instant> ended;

    private RedockProcess(String name, Process process, boolean wrapped) throws IOException {
        this.name = name;
        this.process = process;
        this.wrapped = wrapped;
        Files.createDirectories(LOGS);
        this.logFile = LOGS.resolve(process.pid() + "-" + name.replaceAll("[^A-Za-z0-9._-]+", "_") + ".log");
        this.log = Files.newBufferedWriter(logFile, StandardCharsets.UTF_8);
        this.log.write(java.time.Instant.now() + " redock " + name + " (pid " + process.pid() + ")\n");
        LIVE.add(this);
        this.ended = process.onExit().thenApply(p -> Instant.now());
        this.outReader = reader(process.getInputStream(), false);
        this.errReader = reader(process.getErrorStream(), true);
    }

    private Thread reader(InputStream stream, boolean stderr) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                String text;
                while ((text = r.readLine()) != null) {
                    Line line = new Line(Instant.now(), stderr, text);
                    synchronized (lines) {
                        lines.add(line);
                        lines.notifyAll();
                    }
                    synchronized (log) {
                        log.write(line.at() + " " + line + "\n");
                        log.flush();
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
            synchronized (lines) {
                lines.notifyAll();
            }
        }, "redock-" + process.pid() + (stderr ? "-err" : "-out"));
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Redock's JVM: the process itself, or, when started through a wrapper, the JVM under it. */
    public long pid() {
        if (!wrapped) {
            return process.pid();
        }
        return process.descendants()
                .filter(p -> p.info().command().map(c -> c.endsWith("/java")).orElse(false))
                .map(ProcessHandle::pid)
                .findFirst().orElse(process.pid());
    }

    public String name() {
        return name;
    }

    public boolean alive() {
        return process.isAlive();
    }

    public Path logFile() {
        return logFile;
    }

    /** Every line so far, stdout and stderr as they came. */
    public List<Line> lines() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    /**
     * The last line of stderr, or of stdout, so far. Lines keep their order within a stream; the two streams are read
     * apart, so between them {@link #lines()} has the order they were read in, not always the one they were written in.
     */
    public Line lastLine(boolean stderr) {
        synchronized (lines) {
            for (int i = lines.size() - 1; i >= 0; i--) {
                if (lines.get(i).stderr() == stderr) {
                    return lines.get(i);
                }
            }
        }
        throw new AssertionError("no line on " + (stderr ? "stderr" : "stdout") + " yet: " + output());
    }

    public String stdout() {
        return text(false);
    }

    public String stderr() {
        return text(true);
    }

    /** All output so far, for messages. */
    public String output() {
        StringBuilder b = new StringBuilder();
        lines().forEach(l -> b.append(l).append('\n'));
        return b.toString();
    }

    private String text(boolean stderr) {
        StringBuilder b = new StringBuilder();
        lines().stream().filter(l -> l.stderr() == stderr).forEach(l -> b.append(l.text()).append('\n'));
        return b.toString();
    }

    /**
     * Waits until a line of its output (stdout or stderr) matches; returns it. Fails when the process ends first or the time
     * runs out, with its output.
     */
    public String awaitLine(Pattern pattern, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int seen = 0;
        synchronized (lines) {
            while (true) {
                for (; seen < lines.size(); seen++) {
                    if (pattern.matcher(lines.get(seen).text()).find()) {
                        return lines.get(seen).text();
                    }
                }
                boolean readersDone = !outReader.isAlive() && !errReader.isAlive();
                if (readersDone) {
                    endsWithin(Duration.ofSeconds(5));
                    throw new AssertionError("redock " + name + " ended (exit " + exitCode() + ") before printing a line"
                            + " matching /" + pattern + "/; its output:\n" + output());
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("redock " + name + " printed no line matching /" + pattern + "/ within "
                            + timeout.toSeconds() + " s; its output:\n" + output());
                }
                try {
                    lines.wait(Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(left), 250)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted", e);
                }
            }
        }
    }

    /** Whether a line so far matches. */
    public boolean printed(Pattern pattern) {
        return lines().stream().anyMatch(l -> pattern.matcher(l.text()).find());
    }

    private String exitCode() {
        return process.isAlive() ? "not yet" : Integer.toString(process.exitValue());
    }

    /** SIGTERM: what {@code kill PID}, a service manager's stop and a system shutdown send. */
    public void sigterm() {
        signal("TERM");
    }

    /** SIGKILL: the process ends at once, whatever it was doing. */
    public void sigkill() {
        signal("KILL");
    }

    /** SIGINT: what Ctrl-C in a terminal sends. */
    public void sigint() {
        long pid = pid();
        assertThat(sigintIgnored(pid)).as("redock %s (pid %d) ignores SIGINT, so Ctrl-C could not reach it", name, pid).isFalse();
        signal("INT");
    }

    private void signal(String signal) {
        long pid = pid();
        lastSignal = Instant.now();
        try {
            Process kill = new ProcessBuilder("kill", "-s", signal, Long.toString(pid)).redirectErrorStream(true).start();
            String out = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                    throw new AssertionError("kill -s " + signal + " " + pid + " failed: " + out);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
        synchronized (log) {
            try {
                log.write("--- SIG" + signal + " sent to pid " + pid + " at " + lastSignal + "\n");
                log.flush();
            } catch (IOException e) {
                // the log is only for reading after a failure
            }
        }
    }

    /**
     * Waits until the process ends; returns its exit code and how long it took after the last signal (or after this call
     * when none was sent). Fails, and kills it, when it is still running after {@code timeout}.
     */
    public Exit awaitExit(Duration timeout) {
        Instant from = lastSignal != null ? lastSignal : Instant.now();
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                close();
                throw new AssertionError("redock " + name + " was still running " + timeout.toSeconds()
                        + " s later (killed now); its output:\n" + output());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
        return new Exit(process.exitValue(), Duration.between(from, Instant.now()));
    }

    /** When the process ended (after {@link #awaitExit}). */
    public Instant endedAt() {
        return ended.join();
    }

    /** Whether it ends within {@code timeout}, without failing when it does not. */
    public boolean endsWithin(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void awaitOutputEnd() {
        try {
            outReader.join(5_000);
            errReader.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Kills the process and everything it started, at once. */
    @Override
    public void close() {
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        process.destroyForcibly();
        tree.forEach(ProcessHandle::destroyForcibly);
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        awaitOutputEnd();
        LIVE.remove(this);
        synchronized (log) {
            try {
                log.close();
            } catch (IOException e) {
                // nothing to do
            }
        }
    }

    /** Kills every Redock process started here that is still running (and what each started). */
    public static void killAll() {
        for (RedockProcess p : List.copyOf(LIVE)) {
            p.close();
        }
    }

    /** Whether a process ignores SIGINT (bit 2 of SigIgn in its status). */
    private static boolean sigintIgnored(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("SigIgn:")) {
                    return (Long.parseUnsignedLong(line.substring(7).strip(), 16) & 0x2) != 0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux, or gone
        }
        return false;
    }

    @Override
    public String toString() {
        return "redock " + name + " (pid " + process.pid() + ")";
    }
}
