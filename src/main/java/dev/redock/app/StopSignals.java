package dev.redock.app;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * SIGTERM and Ctrl-C (SIGINT) for a Redock process. The first lets a deployment under way reach its end (the window's
 * Quit, the agent's and the CLI's stop all drain the deployment queue, within {@code DeployPolicy.stopGrace()}), then
 * exits; a second exits at once, leaving any unfinished deployment's journal to the next start of Redock.
 *
 * <p>Signals belong to the whole process, so this is process-wide by nature: Redock's entry point installs it, and whatever runs
 * says what the first signal does ({@link #onStop}). Without a handler the first signal exits at once, as a JVM does.
 */
public final class StopSignals {

    private static final Logger LOG = LoggerFactory.getLogger(StopSignals.class);
    private static final AtomicInteger RECEIVED = new AtomicInteger();
    private static volatile IntConsumer onStop = System::exit;

    private StopSignals() {
    }

    /** Handles SIGTERM and SIGINT from now on. */
    public static void install() {
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                Signal.handle(new Signal(name), StopSignals::received);
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                LOG.debug("Cannot handle SIG{} here: {}", name, e.getMessage());
            }
        }
    }

    /**
     * What the first signal does, on a thread of its own: given the exit code the signal calls for (130 for Ctrl-C, 143
     * for SIGTERM), it stops gracefully and exits.
     */
    public static void onStop(IntConsumer stop) {
        onStop = stop;
    }

    /** Forgets a handler set by {@link #onStop} (the first signal then exits at once again). */
    public static void clear(IntConsumer stop) {
        if (onStop == stop) {
            onStop = System::exit;
        }
    }

    private static void received(Signal signal) {
        int code = 128 + signal.getNumber();
        if (RECEIVED.incrementAndGet() == 1) {
            LOG.info("SIG{} received: stopping once the deployments under way reach their end", signal.getName());
            Thread stopper = new Thread(() -> onStop.accept(code), "redock-stop");
            stopper.start();
            return;
        }
        System.err.println("redock: stopping at once; the next start of Redock finishes what was under way");
        LOG.warn("SIG{} received again: stopping at once", signal.getName());
        Runtime.getRuntime().halt(code);
    }
}
