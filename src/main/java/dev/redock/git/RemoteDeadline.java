package dev.redock.git;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * Waits for a conversation with a git remote no longer than a bound. JGit's own timeout
 * ({@link org.eclipse.jgit.transport.Transport#setTimeout}) is per read: a remote that sends a byte now and then, or a
 * transfer that never ends, would hold the caller (a poll, a deployment) for ever.
 *
 * <p>The work runs on a thread of its own. When the bound passes, the caller gets a {@link GitException} at once (a
 * failure of the remote, so that it backs off) and the work is told it was given up: it stops at its next progress
 * report, or at JGit's next read timeout. The work keeps whatever locks it holds until then, so nothing else writes where
 * it still may.
 */
final class RemoteDeadline {

    /** Work with a remote; {@code abandoned} turns true once its caller has given up on it. */
    @FunctionalInterface
    interface Work<T> {
        T run(BooleanSupplier abandoned) throws GitException;
    }

    private RemoteDeadline() {
    }

    /**
     * Runs the work and returns its result, or throws its {@link GitException}; or, once the bound has passed,
     * {@code new GitException(timedOut, true, ...)}.
     */
    static <T> T await(Duration bound, String timedOut, Work<T> work) throws GitException {
        AtomicBoolean abandoned = new AtomicBoolean();
        FutureTask<T> task = new FutureTask<>(() -> work.run(abandoned::get));
        Thread thread = new Thread(task, "redock-git-remote");
        thread.setDaemon(true);
        thread.start();
        try {
            return task.get(bound.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            abandoned.set(true);
            throw new GitException(timedOut, true, e);
        } catch (InterruptedException e) {
            abandoned.set(true);
            Thread.currentThread().interrupt();
            throw new GitException("stopped while waiting for a git remote", false, e);
        } catch (ExecutionException e) {
            throw rethrown(e.getCause());
        }
    }

    private static GitException rethrown(Throwable failure) {
        if (failure instanceof GitException e) {
            return e;
        }
        if (failure instanceof RuntimeException e) {
            throw e;
        }
        if (failure instanceof Error e) {
            throw e;
        }
        throw new IllegalStateException(failure);
    }
}
