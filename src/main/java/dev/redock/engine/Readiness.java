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
 * Watches a container that has just been started until it is up or has failed, for {@link DockerEngine}: it polls the
 * container's state, and when the engine has restarted it, reads the exit code that the restart wiped from the engine's
 * events. On Podman without systemd, which runs no health checks, it runs them itself ({@link DrivenHealthChecks}).
 */
final class Readiness {

    private static final Logger LOG = LoggerFactory.getLogger(Readiness.class);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(250);

    private final EngineContext engine;
    private final Containers containers;
    private final Podman podman;

    Readiness(EngineContext engine, Containers containers, Podman podman) {
        this.engine = engine;
        this.containers = containers;
        this.podman = podman;
    }

    ReadyResult awaitReady(String id, Duration deadline, Duration minUptime) throws EngineException {
        long begin = System.nanoTime();
        Instant wallBegin = Instant.now();
        Integer restartsAtFirstSight = null;
        Long runningSince = null;
        ContainerInfo info = null;
        DrivenHealthChecks checks = new DrivenHealthChecks(podman, id);
        while (true) {
            long now = System.nanoTime();
            Duration waited = Duration.ofNanos(now - begin);
            Optional<InspectContainerResponse> seen = containers.inspectContainer(id, Function.identity());
            if (seen.isEmpty()) {
                return ReadyResult.failed("the container was removed", info, waited);
            }
            info = ContainerInfos.of(seen.get());
            ContainerState state = info.state();
            if (restartsAtFirstSight == null) {
                restartsAtFirstSight = state.restartCount();
            }
            if (state.oomKilled() && !state.running()) {
                return ReadyResult.failed("was killed for lack of memory", info, waited);
            }
            if (state.exited()) {
                return ReadyResult.failed(exitReason(state.exitCode(), state), info, waited);
            }
            if (state.restarting() || state.restartCount() != restartsAtFirstSight) {
                // Once the engine restarts it, the state's exit code is 0 again: the "die" event still has the real one.
                // Podman 4 answers a filtered query for events with none, so there the code may stay unknown.
                Integer exitCode = state.exitCode() != 0 ? Integer.valueOf(state.exitCode()) : lastExitCode(info.id(), wallBegin).orElse(null);
                return ReadyResult.failed(exitReason(exitCode, state), info, waited);
            }
            if ("unhealthy".equals(state.health())) {
                String output = state.healthOutput() == null || state.healthOutput().isEmpty() ? "health check failed" : state.healthOutput();
                return ReadyResult.failed("unhealthy: " + output + drivenNote(checks, " (", ")"), info, waited);
            }
            if (state.running() && !"paused".equals(state.status())) {
                if (runningSince == null) {
                    runningSince = now;
                }
                String noChecks = checks.step(seen.get(), Duration.ofNanos(now - runningSince), now);
                if (noChecks != null) {
                    return ReadyResult.failed(noChecks, info, waited);
                }
                boolean upLongEnough = Duration.ofNanos(now - runningSince).compareTo(minUptime) >= 0;
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
                Thread.sleep(POLL_INTERVAL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return ReadyResult.interrupted(info, Duration.ofNanos(System.nanoTime() - begin));
            }
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

    /** The exit code of the container's last "die" event since {@code since}, if the engine reports one within a few seconds. */
    private Optional<Integer> lastExitCode(String id, Instant since) {
        var callback = new ResultCallback.Adapter<Event>() {
            private volatile String exitCode;

            @Override
            public void onNext(Event event) {
                if (event.getActor() != null && event.getActor().getAttributes() != null
                        && event.getActor().getAttributes().get("exitCode") != null) {
                    exitCode = event.getActor().getAttributes().get("exitCode");
                }
            }
        };
        try (callback) {
            engine.client().eventsCmd()
                    .withContainerFilter(id)
                    .withEventFilter("die")
                    .withSince(String.valueOf(since.getEpochSecond() - 5))
                    .withUntil(String.valueOf(Instant.now().getEpochSecond() + 1))
                    .exec(callback);
            callback.awaitCompletion(5, TimeUnit.SECONDS);
            return callback.exitCode == null ? Optional.empty() : Optional.of(Integer.parseInt(callback.exitCode));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            LOG.debug("Could not read the exit code of {} from the engine's events", id, e);
            return Optional.empty();
        }
    }
}
