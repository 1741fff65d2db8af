package dev.redock.ui;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import javafx.application.Platform;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs work off the FX thread and hands its result or its failure back on the FX thread: the window never waits on
 * Docker, a registry or the database. Every call from the UI to the core goes through here.
 */
public final class Tasks implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Tasks.class);

    private final ExecutorService executor;
    private final ReadOnlyIntegerWrapper running = new ReadOnlyIntegerWrapper(this, "running");
    private final AtomicInteger pending = new AtomicInteger();
    /** Set once the window closes: work asked for after that has nowhere to hand its result. */
    private volatile boolean closed;

    public Tasks() {
        AtomicInteger n = new AtomicInteger();
        this.executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "redock-ui-worker-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Work that returns nothing. */
    @FunctionalInterface
    public interface Action {
        void run() throws Exception;
    }

    /**
     * Runs {@code work} on a worker thread; then {@code onSuccess} or {@code onFailure} on the FX thread. Called on the FX
     * thread.
     */
    public <T> void run(Callable<T> work, Consumer<? super T> onSuccess, Consumer<Throwable> onFailure) {
        FxThread.check();
        if (closed) {
            // A result handed back on the FX thread as the window closed asks for more (a refresh after a refresh): the
            // window is gone, so the work is not done.
            LOG.debug("A task asked for after the window closed is dropped");
            return;
        }
        running.set(pending.incrementAndGet());
        try {
            executor.execute(() -> {
                T result;
                try {
                    result = work.call();
                } catch (Throwable e) {
                    LOG.debug("A background task failed", e);
                    Platform.runLater(() -> {
                        try {
                            onFailure.accept(e);
                        } finally {
                            done();
                        }
                    });
                    return;
                }
                Platform.runLater(() -> {
                    try {
                        onSuccess.accept(result);
                    } finally {
                        done();
                    }
                });
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // Closed on another thread meanwhile: as above.
            done();
        }
    }

    /** As {@link #run(Callable, Consumer, Consumer)}, for work without a result. */
    public void run(Action work, Runnable onSuccess, Consumer<Throwable> onFailure) {
        run(() -> {
            work.run();
            return Boolean.TRUE;
        }, ignored -> onSuccess.run(), onFailure);
    }

    private void done() {
        running.set(pending.decrementAndGet());
    }

    /** How many tasks are under way (tests wait for zero). */
    public ReadOnlyIntegerProperty runningProperty() {
        return running.getReadOnlyProperty();
    }

    /** Tasks not yet handed back, readable from any thread. */
    public int pending() {
        return pending.get();
    }

    @Override
    public void close() {
        closed = true;
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The message to show a user for a failure: the exception's own words, which the core writes for users. */
    public static String message(Throwable e) {
        Throwable t = e;
        while ((t.getMessage() == null || t.getMessage().isBlank()) && t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null || t.getMessage().isBlank() ? t.getClass().getSimpleName() : t.getMessage();
    }
}
