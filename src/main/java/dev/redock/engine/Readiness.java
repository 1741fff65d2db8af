package dev.redock.engine;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.redock.model.ContainerInfo;
import dev.redock.model.ContainerState;

/**
 * Watches a container that has just been started until it is up or has failed, for {@link DockerEngine}. It looks at the
 * container's state, and between looks waits for the engine's events of that container (a start, a death, a health
 * status: {@link ContainerEvents}), for the moment its minimum uptime is reached, or for its deadline, whichever comes
 * first: nothing waits longer than the engine needs. The events are a help, not a need: it also looks every
 * {@link #LOOK_INTERVAL} while they stream, and every {@link #POLL_INTERVAL} when they do not (a stream that failed or
 * never started), so a lost stream never holds a deployment up. When the engine has restarted the container, it reads the
 * exit code that the restart wiped from the engine's events. On Podman without systemd, which runs no health checks, it
 * runs them itself ({@link DrivenHealthChecks}).
 */
final class Readiness {

    private static final Logger LOG = LoggerFactory.getLogger(Readiness.class);
    /** How often the container is looked at when the engine's events do not stream. */
    private static final Duration POLL_INTERVAL = Duration.ofMillis(250);
    /** How often the container is looked at while they do: in case one went missing. */
    private static final Duration LOOK_INTERVAL = Duration.ofSeconds(1);

    private final EngineContext engine;
    private final Containers containers;
    private final Podman podman;

    Readiness(EngineContext engine, Containers containers, Podman podman) {
        this.engine = engine;
        this.containers = containers;
        this.podman = podman;
    }

    ReadyResult awaitReady(String id, Duration deadline, Duration minUptime) throws EngineException {
        try (ContainerEvents events = ContainerEvents.follow(engine, id, !podmanOrUnknown())) {
            return awaitReady(id, deadline, minUptime, events);
        }
    }

    private ReadyResult awaitReady(String id, Duration deadline, Duration minUptime, ContainerEvents events)
            throws EngineException {
        long begin = System.nanoTime();
        Instant wallBegin = Instant.now();
        Integer restartsAtFirstSight = null;
        Long runningSince = null;
        ContainerInfo info = null;
        DrivenHealthChecks checks = new DrivenHealthChecks(podman, id);
        boolean lookedSinceStreamBegan = false;
        while (true) {
            long now = System.nanoTime();
            Duration waited = Duration.ofNanos(now - begin);
            Optional<InspectContainerResponse> seen = containers.inspectContainer(id, Function.identity());
            if (seen.isEmpty()) {
                return ReadyResult.failed("the container was removed", info, waited);
            }
            info = ContainerInfos.of(seen.get());
            events.watching(info.id());
            ContainerState state = info.state();
            if (restartsAtFirstSight == null) {
                restartsAtFirstSight = state.restartCount();
            }
            if (state.oomKilled() && !state.running()) {
                return ReadyResult.failed("was killed for lack of memory", info, waited);
            }
            if (state.exited()) {
                String reason = exitReason(state.exitCode(), state);
                String fullId = info.id();
                // A stop asked for since the wait began, not before: one from an engine restart that came before it is
                // over, and the container's own exit now is the version's.
                Optional<String> signal = events.stopSignal()
                        .or(() -> lastAttributeFrom(fullId, "kill", "signal", wallBegin));
                return signal.isPresent()
                        ? ReadyResult.stoppedFromOutside(reason + " after a stop from outside (signal " + signal.get() + ")",
                                info, waited)
                        : ReadyResult.failed(reason, info, waited);
            }
            if (state.restarting() || state.restartCount() != restartsAtFirstSight) {
                // Once the engine restarts it, the state's exit code is 0 again: the "die" event still has the real one.
                // Podman 4 answers a filtered query for events with none, so there the code may stay unknown.
                String fullId = info.id();
                Integer exitCode = state.exitCode() != 0 ? Integer.valueOf(state.exitCode())
                        : events.lastExitCode().or(() -> lastAttribute(fullId, "die", "exitCode", wallBegin)
                                .map(Integer::parseInt)).orElse(null);
                return ReadyResult.failed(exitReason(exitCode, state), info, waited);
            }
            if ("unhealthy".equals(state.health())) {
                String output = state.healthOutput() == null || state.healthOutput().isEmpty() ? "health check failed" : state.healthOutput();
                return ReadyResult.failed("unhealthy: " + output + drivenNote(checks, " (", ")"), info, waited);
            }
            Duration upFor = null;
            if (state.running() && !"paused".equals(state.status())) {
                if (runningSince == null) {
                    runningSince = now;
                }
                upFor = Duration.ofNanos(now - runningSince);
                String noChecks = checks.step(seen.get(), upFor, now);
                if (noChecks != null) {
                    return ReadyResult.failed(noChecks, info, waited);
                }
                if (checks.ranAt(now)) {
                    continue; // what the check found is in the container's health now
                }
                boolean upLongEnough = upFor.compareTo(minUptime) >= 0;
                if (upLongEnough && (state.health() == null || "healthy".equals(state.health()))) {
                    return ReadyResult.ok(info, waited);
                }
            } else {
                runningSince = null;
            }
            if (waited.compareTo(deadline) >= 0) {
                String reason;
                if (!state.running()) {
                    reason = "not running after " + Seconds.of(deadline) + " (" + state.status() + ")";
                } else if (state.health() != null && !"healthy".equals(state.health())) {
                    reason = "not healthy after " + Seconds.of(deadline) + " (health: " + state.health() + drivenNote(checks, "; ", "") + ")";
                } else {
                    reason = "not up for " + Seconds.of(minUptime) + " within " + Seconds.of(deadline);
                }
                return ReadyResult.failed(reason, info, waited);
            }
            try {
                Duration next = events.live() ? LOOK_INTERVAL : POLL_INTERVAL;
                if (upFor != null && upFor.compareTo(minUptime) < 0) {
                    next = shorter(next, minUptime.minus(upFor));
                }
                Duration checkDue = checks.untilDue(seen.get(), upFor, now);
                if (checkDue != null) {
                    next = shorter(next, checkDue);
                }
                next = shorter(next, deadline.minus(waited));
                if (!lookedSinceStreamBegan && !events.ended()) {
                    // Until the engine streams, a change may go unheard: wait for the stream (no longer than for the next
                    // look), and once it streams look again at once, for a change that came before.
                    lookedSinceStreamBegan = events.awaitStarted(next);
                    continue;
                }
                events.awaitChange(next);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return ReadyResult.interrupted(info, Duration.ofNanos(System.nanoTime() - begin));
            }
        }
    }

    private static Duration shorter(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /**
     * Whether the engine is Podman, or not known to be Docker (its version did not come): then its events are asked for
     * unfiltered (see {@link ContainerEvents}).
     */
    private boolean podmanOrUnknown() {
        try {
            return podman.isPodman();
        } catch (EngineException e) {
            return true;
        }
    }

    /** Says that Redock ran the health checks, when it did. */
    private static String drivenNote(DrivenHealthChecks checks, String before, String after) {
        return checks.driving() ? before + Podman.CHECKS_RUN_BY_REDOCK + after : "";
    }

    /** @param exitCode null when the engine did not say (it restarted the container, and its events do not tell) */
    private static String exitReason(Integer exitCode, ContainerState state) {
        boolean restarting = state.restarting() || state.restartCount() > 0;
        String reason;
        if (exitCode != null) {
            reason = "exited with code " + exitCode + (restarting ? " (restarting)" : "");
        } else {
            reason = "exited" + (restarting ? " (restarting)" : "") + "; the engine did not say with which code";
        }
        return state.error() == null ? reason : reason + ": " + state.error();
    }

    /**
     * An attribute of the container's last event of this kind since a few seconds before {@code since} (the engine's
     * clock may differ a little): a "die" event's {@code exitCode}, if the engine reports one within a few seconds. The
     * engine's own record, which the followed stream may not have brought yet when the wait looks.
     */
    private Optional<String> lastAttribute(String id, String event, String attribute, Instant since) {
        return lastAttribute(id, event, attribute, String.valueOf(since.getEpochSecond() - 5));
    }

    /** As {@link #lastAttribute(String, String, String, Instant)}, from {@code since} to the nanosecond, no earlier. */
    private Optional<String> lastAttributeFrom(String id, String event, String attribute, Instant since) {
        return lastAttribute(id, event, attribute,
                since.getEpochSecond() + "." + String.format(java.util.Locale.ROOT, "%09d", since.getNano()));
    }

    private Optional<String> lastAttribute(String id, String event, String attribute, String since) {
        var callback = new ResultCallback.Adapter<Event>() {
            private volatile String value;

            @Override
            public void onNext(Event e) {
                if (e.getActor() != null && e.getActor().getAttributes() != null
                        && e.getActor().getAttributes().get(attribute) != null) {
                    value = e.getActor().getAttributes().get(attribute);
                }
            }
        };
        try (callback) {
            engine.client().eventsCmd()
                    .withContainerFilter(id)
                    .withEventFilter(event)
                    .withSince(since)
                    .withUntil(String.valueOf(Instant.now().getEpochSecond() + 1))
                    .exec(callback);
            callback.awaitCompletion(5, TimeUnit.SECONDS);
            return Optional.ofNullable(callback.value);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            LOG.debug("Could not read the {} of {} from the engine's events", attribute, id, e);
            return Optional.empty();
        }
    }
}
