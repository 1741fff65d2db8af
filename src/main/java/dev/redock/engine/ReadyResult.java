package dev.redock.engine;

import java.time.Duration;

import dev.redock.model.ContainerInfo;

/**
 * How {@link DockerEngine#awaitReady} ended.
 *
 * @param ready  whether the container came up (running long enough, healthy if it has a health check)
 * @param reason why not, in words fit for a user ("exited with code 1"); null when ready
 * @param last   the container as last seen; null when it disappeared
 * @param waited how long it took
 * @param stoppedFromOutside whether the container ended because it was sent a stop signal while it proved itself: an
 *                           engine that stops stops its containers, and so does a {@code docker stop}; neither says
 *                           anything of the version
 */
public record ReadyResult(boolean ready, String reason, ContainerInfo last, Duration waited, boolean stoppedFromOutside) {

    static ReadyResult ok(ContainerInfo last, Duration waited) {
        return new ReadyResult(true, null, last, waited, false);
    }

    static ReadyResult failed(String reason, ContainerInfo last, Duration waited) {
        return new ReadyResult(false, reason, last, waited, false);
    }

    static ReadyResult stoppedFromOutside(String reason, ContainerInfo last, Duration waited) {
        return new ReadyResult(false, reason, last, waited, true);
    }

    /** The wait was cut short from outside (the thread was interrupted): nothing is known of the container. */
    public static final String INTERRUPTED = "interrupted";

    static ReadyResult interrupted(ContainerInfo last, Duration waited) {
        return new ReadyResult(false, INTERRUPTED, last, waited, false);
    }

    /** Whether the wait was cut short from outside rather than ended by the container. */
    public boolean interrupted() {
        return !ready && INTERRUPTED.equals(reason);
    }
}
