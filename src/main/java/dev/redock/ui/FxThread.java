package dev.redock.ui;

import javafx.application.Platform;

/** Where UI code may run: the scene graph and the view models are touched on the FX thread only. */
public final class FxThread {

    private FxThread() {
    }

    /** Fails fast when called from another thread than the FX thread. */
    public static void check() {
        if (!Platform.isFxApplicationThread()) {
            throw new IllegalStateException("UI state touched off the FX thread, on " + Thread.currentThread().getName());
        }
    }

    /** Runs on the FX thread: at once when already on it, else later. */
    public static void run(Runnable r) {
        if (Platform.isFxApplicationThread()) {
            r.run();
        } else {
            Platform.runLater(r);
        }
    }
}
