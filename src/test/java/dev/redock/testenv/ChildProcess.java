package dev.redock.testenv;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/** What the servers the tests start themselves (registry, sshd, ssh-agent) share: waiting for them to be up, stopping them. */
final class ChildProcess {

    private ChildProcess() {
    }

    /**
     * Waits until {@code ready} says the process is up; when it exits first or the time runs out, stops it and fails with
     * {@code what} and its log.
     */
    static void awaitUp(Process process, Duration timeout, Callable<Boolean> ready, String what, Path log) {
        boolean up;
        try {
            Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(50))
                    .until(() -> !process.isAlive() || ready.call());
            up = process.isAlive();
        } catch (ConditionTimeoutException timedOut) {
            up = false;
        }
        if (!up) {
            stop(process);
            throw new IllegalStateException(what + " was not up within " + timeout.toSeconds() + " s; see " + log + ":\n"
                    + logText(log));
        }
    }

    /** Ends the process and its descendants: TERM, then KILL after 5 s. */
    static void stop(Process process) {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        children.forEach(ProcessHandle::destroy);
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    /** What a process has logged so far. */
    static String logText(Path log) {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
