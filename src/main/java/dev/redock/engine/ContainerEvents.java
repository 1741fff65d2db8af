package dev.redock.engine;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.EventType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's events for one container, followed while {@link Readiness} waits for it: each one (a start, a death, a
 * health status, a restart) wakes the wait so it looks again at once, rather than at its next turn. The stream is a help,
 * never a need: one that does not start, ends or brings nothing (Podman 4 answers a filtered query with no events, and
 * this class then asks it unfiltered and filters itself) only leaves the wait to look at the container at its own pace.
 *
 * <p>A wait follows it this way: look at the container, then {@link #awaitStarted} between looks until it streams (from
 * then on no change is missed), look again at once, and from then on {@link #awaitChange} before each look.
 */
final class ContainerEvents implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ContainerEvents.class);

    private final Object lock = new Object();
    private final ResultCallback.Adapter<Event> callback;
    /** The container's full id once known; until then every event counts (the wait looks again, which costs little). */
    private volatile String container;
    private boolean started;
    private boolean ended;
    private boolean closed;
    /** How many of the container's events came, and how many of them a wait has taken. */
    private long seen;
    private long taken;
    private String lastExitCode;
    /** The signal of the last stop or kill the engine was asked for ("kill" event), if any. */
    private String stopSignal;

    private ContainerEvents() {
        this.callback = new ResultCallback.Adapter<>() {
            @Override
            public void onStart(java.io.Closeable stream) {
                super.onStart(stream);
                boolean unwanted;
                synchronized (lock) {
                    started = true;
                    unwanted = closed;
                    lock.notifyAll();
                }
                if (unwanted) {
                    // The wait ended before the stream began (docker-java's callback forgets a close that came first).
                    closeQuietly();
                }
            }

            @Override
            public void onNext(Event event) {
                heard(event);
            }

            @Override
            public void onError(Throwable throwable) {
                LOG.debug("The engine's event stream ended: {}", throwable.toString());
                end();
            }

            @Override
            public void onComplete() {
                end();
            }
        };
    }

    /**
     * Begins following the container's events; returns at once (the stream is set up in the background).
     *
     * @param idOrName       the container, as the engine knows it
     * @param filterOnEngine whether the engine may be asked for this container's events alone (not Podman: see above)
     */
    static ContainerEvents follow(EngineContext engine, String idOrName, boolean filterOnEngine) {
        ContainerEvents events = new ContainerEvents();
        try {
            var cmd = engine.client().eventsCmd();
            if (filterOnEngine) {
                cmd.withEventTypeFilter(EventType.CONTAINER).withContainerFilter(idOrName);
            }
            cmd.exec(events.callback);
        } catch (RuntimeException e) {
            LOG.debug("Cannot follow the engine's events of container {}: {}", idOrName, e.toString());
            events.end();
        }
        return events;
    }

    /** From now on only the events of this container (its full id) count. */
    void watching(String fullId) {
        container = fullId;
    }

    private void heard(Event event) {
        String of = event.getId() != null ? event.getId() : event.getActor() == null ? null : event.getActor().getId();
        String mine = container;
        if (mine != null && !mine.equals(of)) {
            return;
        }
        if (event.getType() != null && event.getType() != EventType.CONTAINER) {
            return;
        }
        Map<String, String> attributes = event.getActor() == null ? null : event.getActor().getAttributes();
        synchronized (lock) {
            if (attributes != null && attributes.get("exitCode") != null) {
                lastExitCode = attributes.get("exitCode");
            }
            // Only once the container is known: before that, an unfiltered stream (Podman) brings other containers' too.
            if (mine != null && ("kill".equals(event.getAction()) || "kill".equals(event.getStatus()))) {
                stopSignal = attributes == null || attributes.get("signal") == null ? "?" : attributes.get("signal");
            }
            seen++;
            lock.notifyAll();
        }
    }

    private void end() {
        synchronized (lock) {
            ended = true;
            lock.notifyAll();
        }
    }

    /**
     * Waits, at most {@code bound}, until the engine streams the events: from then on every change of the container is
     * heard.
     *
     * @return whether it does; false when the stream failed or did not start in time
     */
    boolean awaitStarted(Duration bound) throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        synchronized (lock) {
            while (!started && !ended) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
            return started && !ended;
        }
    }

    /** Whether the stream has ended (or never could start): no event comes any more. */
    boolean ended() {
        synchronized (lock) {
            return ended;
        }
    }

    /** Whether the stream runs: started and not ended. */
    boolean live() {
        synchronized (lock) {
            return started && !ended;
        }
    }

    /**
     * Waits, at most {@code bound}, for an event of the container not taken yet; the whole bound when the stream has
     * ended (a wait that goes on without the events then looks at the container at its own pace).
     *
     * @return whether an event came
     */
    boolean awaitChange(Duration bound) throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        synchronized (lock) {
            while (seen == taken) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
            boolean changed = seen != taken;
            taken = seen;
            return changed;
        }
    }

    /** The signal of the last stop or kill the engine was asked for while this followed the container, if any. */
    Optional<String> stopSignal() {
        synchronized (lock) {
            return Optional.ofNullable(stopSignal);
        }
    }

    /** The exit code of the container's last death heard in the stream, if one was. */
    Optional<Integer> lastExitCode() {
        synchronized (lock) {
            try {
                return lastExitCode == null ? Optional.empty() : Optional.of(Integer.parseInt(lastExitCode));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
    }

    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
        }
        closeQuietly();
    }

    private void closeQuietly() {
        try {
            callback.close();
        } catch (IOException | RuntimeException e) {
            LOG.debug("Closing the engine's event stream failed", e);
        }
    }
}
