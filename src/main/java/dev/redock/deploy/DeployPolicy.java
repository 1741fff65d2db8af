package dev.redock.deploy;

import java.time.Duration;

/**
 * How long a deployment waits for each step.
 *
 * @param pullTimeout  the longest a pull may take
 * @param buildTimeout the longest a build from source may take
 * @param readyTimeout the deadline for a new container to run (and be healthy, where its image has a HEALTHCHECK)
 * @param minUptime    how long a new container must keep running before it counts as up: a process that exits at
 *                     once is caught here rather than after the old container is gone
 */
public record DeployPolicy(Duration pullTimeout, Duration buildTimeout, Duration readyTimeout, Duration minUptime) {

    public static DeployPolicy defaults() {
        return new DeployPolicy(Duration.ofMinutes(10), Duration.ofMinutes(30), Duration.ofSeconds(60), Duration.ofSeconds(5));
    }

    /**
     * The defaults, each overridable through the environment for slow machines and for tests: {@code REDOCK_PULL_TIMEOUT},
     * {@code REDOCK_BUILD_TIMEOUT}, {@code REDOCK_READY_TIMEOUT}, {@code REDOCK_MIN_UPTIME} (e.g. {@code 90s}).
     */
    public static DeployPolicy fromEnvironment(java.util.Map<String, String> env) {
        DeployPolicy d = defaults();
        return new DeployPolicy(
                duration(env, "REDOCK_PULL_TIMEOUT", d.pullTimeout()),
                duration(env, "REDOCK_BUILD_TIMEOUT", d.buildTimeout()),
                duration(env, "REDOCK_READY_TIMEOUT", d.readyTimeout()),
                duration(env, "REDOCK_MIN_UPTIME", d.minUptime()));
    }

    private static Duration duration(java.util.Map<String, String> env, String name, Duration fallback) {
        String v = env.get(name);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        try {
            return dev.redock.model.Durations.parse(v);
        } catch (dev.redock.model.ValidationException e) {
            throw new dev.redock.model.ValidationException(name, name + ": " + e.getMessage());
        }
    }
}
