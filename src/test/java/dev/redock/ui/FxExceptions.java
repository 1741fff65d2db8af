package dev.redock.ui;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Starts the real JavaFX toolkit (headless Monocle in CI) and turns any exception thrown on the FX thread into a failure
 * of the test during which it happened: an event handler, a binding or a {@link Tasks} callback that throws does not get
 * lost in a log.
 */
public final class FxExceptions implements BeforeAllCallback, AfterEachCallback {

    private static final Logger LOG = LoggerFactory.getLogger(FxExceptions.class);
    private static final List<Throwable> RECORDED = new CopyOnWriteArrayList<>();
    private static volatile boolean installed;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        FxToolkit.registerPrimaryStage();
        synchronized (FxExceptions.class) {
            if (!installed) {
                WaitForAsyncUtils.asyncFx(() -> Thread.currentThread().setUncaughtExceptionHandler((thread, e) -> {
                    LOG.error("Exception on the FX thread", e);
                    RECORDED.add(e);
                })).get(10, TimeUnit.SECONDS);
                installed = true;
            }
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        WaitForAsyncUtils.waitForFxEvents();
        List<Throwable> seen = drain();
        if (!seen.isEmpty()) {
            AssertionError failure = new AssertionError(seen.size() + " exception(s) on the FX thread, the first: " + seen.get(0),
                    seen.get(0));
            seen.stream().skip(1).forEach(failure::addSuppressed);
            throw failure;
        }
    }

    /** The exceptions recorded so far, which are then forgotten. */
    static List<Throwable> drain() {
        List<Throwable> copy = new ArrayList<>(RECORDED);
        RECORDED.removeAll(copy);
        return copy;
    }
}
