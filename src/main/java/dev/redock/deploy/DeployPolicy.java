package dev.redock.deploy;

import java.time.Duration;

import dev.redock.model.Durations;
import dev.redock.model.Service;

/**
 * How long a deployment waits for each step.
 *
 * @param pullTimeout  the longest a pull may take
 * @param buildTimeout the longest a build from source may take
 * @param readyTimeout the deadline for a new container to run (and be healthy, where its image has a HEALTHCHECK); its
 *                     minimum uptime comes on top
 * @param minUptime    how long a new container must keep running before it counts as up: a process that exits at
 *                     once is caught here rather than after the old container is gone. The default for services that
 *                     set none ({@link Service#minUptime()}); zero when the engine saying it runs is enough
 * @param lockLease    how long a deployment lock holds without being renewed; its holder renews it at a third of that,
 *                     and a lock whose lease ran out (its holder stopped, its host went away) is taken over
 */
public record DeployPolicy(Duration pullTimeout, Duration buildTimeout, Duration readyTimeout, Duration minUptime,
                           Duration lockLease) {

    public static final Duration DEFAULT_LOCK_LEASE = Duration.ofSeconds(60);
    /** What a graceful stop allows a deployment beyond its own waits: stopping the old container, a rollback's steps. */
    private static final Duration STOP_MARGIN = Duration.ofSeconds(40);

    public DeployPolicy(Duration pullTimeout, Duration buildTimeout, Duration readyTimeout, Duration minUptime) {
        this(pullTimeout, buildTimeout, readyTimeout, minUptime, DEFAULT_LOCK_LEASE);
    }

    public static DeployPolicy defaults() {
        return new DeployPolicy(Duration.ofMinutes(10), Duration.ofMinutes(30), Duration.ofSeconds(60), Duration.ofSeconds(5),
                DEFAULT_LOCK_LEASE);
    }

    /** How long a new container of this service must keep running before it counts as up: its own, or the default. */
    public Duration minUptimeOf(Service service) {
        return service.minUptime() != null ? service.minUptime() : minUptime;
    }

    /** How long a new container of this service has to prove itself: to run (and be healthy), then its minimum uptime. */
    public Duration readyDeadlineOf(Service service) {
        return readyTimeout.plus(minUptimeOf(service));
    }

    /**
     * How long a stopping Redock waits for a deployment that is swapping containers to reach its end: its readiness
     * wait, and a rollback's readiness wait, plus a margin for the steps between. A deployment still pulling or building
     * is cut short at once instead (nothing has changed on the engine yet). Past this bound the process exits anyway
     * and leaves the deployment's journal to the next start.
     */
    public Duration stopGrace() {
        return readyTimeout.multipliedBy(2).plus(minUptime).plus(STOP_MARGIN);
    }

    /**
     * The defaults, each overridable through the environment for slow machines and for tests: {@code REDOCK_PULL_TIMEOUT},
     * {@code REDOCK_BUILD_TIMEOUT}, {@code REDOCK_READY_TIMEOUT}, {@code REDOCK_MIN_UPTIME}, {@code REDOCK_LOCK_LEASE}
     * (e.g. {@code 90s}).
     */
    public static DeployPolicy fromEnvironment(java.util.Map<String, String> env) {
        DeployPolicy d = defaults();
        return new DeployPolicy(
                Durations.fromEnvironment(env, "REDOCK_PULL_TIMEOUT", d.pullTimeout()),
                Durations.fromEnvironment(env, "REDOCK_BUILD_TIMEOUT", d.buildTimeout()),
                Durations.fromEnvironment(env, "REDOCK_READY_TIMEOUT", d.readyTimeout()),
                minUptime(env, d.minUptime()),
                Durations.fromEnvironment(env, "REDOCK_LOCK_LEASE", d.lockLease()));
    }

    /** {@code REDOCK_MIN_UPTIME}: checked as a service's own minimum uptime is, zero allowed. */
    private static Duration minUptime(java.util.Map<String, String> env, Duration fallback) {
        String v = env.get("REDOCK_MIN_UPTIME");
        if (v == null || v.isBlank()) {
            return fallback;
        }
        try {
            Duration d = Durations.amount(v, "REDOCK_MIN_UPTIME");
            return Service.validMinUptime(d);
        } catch (dev.redock.model.ValidationException e) {
            throw new dev.redock.model.ValidationException("REDOCK_MIN_UPTIME", "REDOCK_MIN_UPTIME: " + e.getMessage());
        }
    }
}
