package dev.redock.model;

import java.time.Instant;

/**
 * What a container is doing.
 *
 * @param status       the engine's word: created, running, restarting, paused, exited, removing or dead
 * @param running      whether its process runs (true while paused too)
 * @param restarting   whether the engine is about to restart it after it exited
 * @param exitCode     the last exit code (0 while it never exited)
 * @param restartCount how often the engine restarted it by its restart policy
 * @param startedAt    last start, or null
 * @param finishedAt   last exit, or null
 * @param health       starting, healthy or unhealthy; null when it has no health check
 * @param healthOutput the output of the last health check, or null
 * @param oomKilled    whether the kernel killed it for lack of memory
 * @param error        the engine's error from its last start, or null
 */
public record ContainerState(String status, boolean running, boolean restarting, int exitCode, int restartCount, Instant startedAt,
                             Instant finishedAt, String health, String healthOutput, boolean oomKilled, String error) {

    /** Exited or dead, and not about to be restarted. */
    public boolean exited() {
        return !running && !restarting && ("exited".equals(status) || "dead".equals(status));
    }
}
