package dev.redock.store;

import java.io.IOException;
import java.time.Duration;

/**
 * How the store waits for another process on a data folder (a lock file it holds, sessions it has on this process's
 * database server): it tries again every little while until it succeeds or a deadline passes, and says once that it waits
 * when that lasts longer than a moment, so that a user at a terminal knows why nothing happens.
 */
final class Waiting {

    /** How long a wait lasts before it is said. */
    static final Duration QUIET = Duration.ofSeconds(1);
    private static final Duration RETRY = Duration.ofMillis(20);

    private Waiting() {
    }

    /** One try: its result, or null to try again. */
    @FunctionalInterface
    interface Attempt<T> {
        T tryOnce() throws IOException;
    }

    /**
     * Tries until {@code attempt} gives a result and returns it; null once {@code deadline} (a {@link System#nanoTime})
     * passed, or when the thread is interrupted (which it stays). {@code sayWaiting} runs once, when the wait lasts longer
     * than {@link #QUIET}.
     */
    static <T> T until(long deadline, Runnable sayWaiting, Attempt<T> attempt) throws IOException {
        long start = System.nanoTime();
        boolean said = false;
        while (true) {
            T result = attempt.tryOnce();
            if (result != null) {
                return result;
            }
            long now = System.nanoTime();
            if (now > deadline) {
                return null;
            }
            if (!said && now - start > QUIET.toNanos()) {
                said = true;
                sayWaiting.run();
            }
            try {
                Thread.sleep(RETRY.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
    }
}
