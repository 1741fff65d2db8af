package dev.redock.bench;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * What the benchmarks share: timing whole commands as a user's shell runs them, medians, and the {@code [bench]} lines that
 * put Redock's figure beside its reference.
 */
final class Bench {

    /** How many times each timed command runs; the median is printed. */
    static final int RUNS = Integer.getInteger("redock.bench.runs", 7);

    private Bench() {
    }

    /** One finished command: its exit code, what it printed, and how long it took from start to exit. */
    record Ran(int exit, String out, String err, long millis) {
    }

    /** Runs a command to its end with this environment added, its output to files (a terminal's pace is not measured). */
    static Ran run(List<String> command, Map<String, String> env) {
        try {
            File out = File.createTempFile("bench-out", ".txt");
            File err = File.createTempFile("bench-err", ".txt");
            try {
                ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out).redirectError(err)
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
                pb.environment().putAll(env);
                long started = System.nanoTime();
                Process p = pb.start();
                if (!p.waitFor(5, TimeUnit.MINUTES)) {
                    p.destroyForcibly();
                    throw new IllegalStateException(String.join(" ", command) + " did not end within 5 minutes");
                }
                long millis = (System.nanoTime() - started) / 1_000_000;
                return new Ran(p.exitValue(), Files.readString(out.toPath()), Files.readString(err.toPath()), millis);
            } finally {
                out.delete();
                err.delete();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The median of {@link #RUNS} timings of a command that must succeed, after one run that warms the disk cache. */
    static long medianMillis(List<String> command, Map<String, String> env) {
        millis(command, env);
        return median(RUNS, () -> millis(command, env));
    }

    /** How long one run of a command that must succeed took. */
    static long millis(List<String> command, Map<String, String> env) {
        return check(run(command, env), command).millis();
    }

    private static Ran check(Ran ran, List<String> command) {
        if (ran.exit() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " exited with " + ran.exit() + ":\n" + ran.out()
                    + ran.err());
        }
        return ran;
    }

    /** The median of {@code n} samples. */
    static long median(int n, LongSupplier sample) {
        List<Long> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            all.add(sample.getAsLong());
        }
        return median(all);
    }

    static long median(List<Long> samples) {
        List<Long> sorted = new ArrayList<>(samples);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** A duration as the table shows it: seconds with two or three digits. */
    static String seconds(long millis) {
        return millis < 1000 ? String.format(Locale.ROOT, "%.3f s", millis / 1000.0)
                : String.format(Locale.ROOT, "%.2f s", millis / 1000.0);
    }

    static String seconds(Duration d) {
        return seconds(d.toMillis());
    }

    /**
     * Prints one row: what was measured, Redock's figure, the reference's, how many times the reference Redock takes, and
     * the goal the row is held to.
     */
    static void row(String what, long redockMillis, String reference, long referenceMillis, String goal) {
        double ratio = referenceMillis == 0 ? Double.NaN : (double) redockMillis / referenceMillis;
        print(what + ": " + seconds(redockMillis) + " | " + reference + ": " + seconds(referenceMillis) + " | "
                + String.format(Locale.ROOT, "%.1fx", ratio) + " | goal: " + goal);
    }

    /** Prints a row with a figure of its own kind (a share of a core, megabytes) beside its goal. */
    static void row(String what, String figure, String goal) {
        print(what + ": " + figure + " | goal: " + goal);
    }

    static void print(String line) {
        System.out.println("[bench] " + line);
        System.out.flush();
    }

    /** The JVM the tests run on, which is the one users' {@code java -jar} would find here. */
    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
