package dev.redock.deploy;

import java.time.Duration;

/**
 * How long a deployment waits for each step.
 *
 * @param pullTimeout  the longest a pull may take
 * @param readyTimeout the deadline for a new container to run (and be healthy, where its image has a HEALTHCHECK)
 * @param minUptime    how long a new container must keep running before it counts as up: a process that exits at
 *                     once is caught here rather than after the old container is gone
 */
public record DeployPolicy(Duration pullTimeout, Duration readyTimeout, Duration minUptime) {

    public static DeployPolicy defaults() {
        return new DeployPolicy(Duration.ofMinutes(10), Duration.ofSeconds(60), Duration.ofSeconds(5));
    }
}
