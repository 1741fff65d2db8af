package dev.redock.ui;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

import javafx.application.Platform;

/**
 * Runs work off the FX thread and hands its result or its failure back on the FX thread. The window never waits on
 * Docker, a registry or the database.
 */
public final class Background {

    private static final ExecutorService EXECUTOR = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "redock-ui-worker");
        t.setDaemon(true);
        return t;
    });

    private Background() {
    }

    public static <T> void run(Callable<T> work, Consumer<T> onSuccess, Consumer<Throwable> onFailure) {
        EXECUTOR.submit(() -> {
            try {
                T result = work.call();
                Platform.runLater(() -> onSuccess.accept(result));
            } catch (Throwable e) {
                Platform.runLater(() -> onFailure.accept(e));
            }
        });
    }

    /** Fails fast when called from another thread than the FX thread. */
    public static void assertFxThread() {
        if (!Platform.isFxApplicationThread()) {
            throw new IllegalStateException("not on the FX thread: " + Thread.currentThread().getName());
        }
    }
}
