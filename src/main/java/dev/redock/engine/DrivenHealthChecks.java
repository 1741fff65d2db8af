package dev.redock.engine;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

import com.github.dockerjava.api.command.HealthState;
import com.github.dockerjava.api.command.HealthStateLog;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.HealthCheck;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The health checks Redock runs itself during one readiness wait, for an engine that runs none: Podman runs a container's
 * HEALTHCHECK only through systemd timers, so on a host without systemd the container stays "starting" for good.
 *
 * <p>When a container with a health check has run for its interval (plus {@link #GRACE}) and the engine has recorded no
 * check since it started, and the engine is Podman, Redock runs the check through Podman's own API, then again at each
 * interval until the wait ends. Podman records each result as its own run would (the retries, the start period), so the
 * wait reads the health as it always does. A Docker engine always runs its checks, and is never asked.
 */
final class DrivenHealthChecks {

    private static final Logger LOG = LoggerFactory.getLogger(DrivenHealthChecks.class);
    /** How late the engine's own first check may be before Redock takes it that none comes. */
    static final Duration GRACE = Duration.ofSeconds(1);
    /** The engine's interval when the image sets none. */
    private static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(30);

    private final Podman podman;
    private final String id;
    private boolean driving;
    private long lastRun;

    DrivenHealthChecks(Podman podman, String id) {
        this.podman = podman;
        this.id = id;
    }

    /** Whether Redock runs the container's health checks in this wait. */
    boolean driving() {
        return driving;
    }

    /**
     * Runs the container's health check if it is Redock's turn: called at each look at the container.
     *
     * @param runningFor how long the container has been seen running in this wait, or null when it does not run
     * @return null, or why no health check can run, in words for the user (the wait ends with it)
     * @throws EngineUnavailableException when the engine does not answer
     */
    String step(InspectContainerResponse c, Duration runningFor, long now) throws EngineException {
        HealthCheck check = c.getConfig() == null ? null : c.getConfig().getHealthcheck();
        HealthState health = c.getState() == null ? null : c.getState().getHealth();
        if (runningFor == null || check == null || health == null || health.getStatus() == null || health.getStatus().isEmpty()) {
            return null;
        }
        Duration interval = interval(check);
        if (!driving) {
            if (runningFor.compareTo(interval.plus(GRACE)) < 0 || ranSinceStart(c, health) || !isPodman()) {
                return null;
            }
            driving = true;
            LOG.info("Podman has run no health check of container {} within its interval ({}): Redock runs it", id, Seconds.of(interval));
        } else if (now - lastRun < interval.toNanos()) {
            return null;
        }
        lastRun = now;
        try {
            podman.runHealthCheck(id);
        } catch (ContainerNotFoundException gone) {
            // the next look at the container says so
        } catch (EngineUnavailableException e) {
            throw e;
        } catch (EngineException e) {
            return "no health check ran: Podman runs HEALTHCHECKs only through systemd timers, and Redock could not run it"
                    + " through Podman's API either (" + e.getMessage() + ")";
        }
        return null;
    }

    /** Whether {@link #step} ran a check at {@code now}: its result is in the container's health now. */
    boolean ranAt(long now) {
        return driving && lastRun == now;
    }

    /**
     * How long from {@code now} until {@link #step} may have a check to run, so that a wait wakes for it; null when it
     * never will in this wait (the container has no health check, or its engine runs them itself).
     *
     * @param runningFor as for {@link #step}
     */
    Duration untilDue(InspectContainerResponse c, Duration runningFor, long now) {
        HealthCheck check = c.getConfig() == null ? null : c.getConfig().getHealthcheck();
        HealthState health = c.getState() == null ? null : c.getState().getHealth();
        if (runningFor == null || check == null || health == null || health.getStatus() == null || health.getStatus().isEmpty()) {
            return null;
        }
        Duration interval = interval(check);
        if (driving) {
            Duration left = Duration.ofNanos(lastRun + interval.toNanos() - now);
            return left.isNegative() ? Duration.ZERO : left;
        }
        if (ranSinceStart(c, health) || !isPodman()) {
            return null;
        }
        Duration left = interval.plus(GRACE).minus(runningFor);
        return left.isNegative() ? Duration.ZERO : left;
    }

    private static Duration interval(HealthCheck check) {
        return check.getInterval() == null || check.getInterval() <= 0 ? DEFAULT_INTERVAL : Duration.ofNanos(check.getInterval());
    }

    /** Whether the engine is Podman; not known yet (its version did not come) counts as no, and is asked again next time. */
    private boolean isPodman() {
        try {
            return podman.isPodman();
        } catch (EngineException e) {
            LOG.debug("Could not tell which engine runs container {}: {}", id, e.getMessage());
            return false;
        }
    }

    /** Whether the engine recorded a check since the container last started (Podman keeps older ones across a restart). */
    private static boolean ranSinceStart(InspectContainerResponse c, HealthState health) {
        List<HealthStateLog> log = health.getLog();
        if (log == null || log.isEmpty()) {
            return false;
        }
        Instant started = instant(c.getState().getStartedAt());
        for (HealthStateLog entry : log) {
            Instant at = instant(entry.getStart());
            if (started == null || at == null || !at.isBefore(started)) {
                return true;
            }
        }
        return false;
    }

    private static Instant instant(String text) {
        try {
            return text == null || text.isEmpty() ? null : Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
