package dev.redock.model;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * One deployment of a service, as recorded in its history.
 *
 * @param commit the commit deployed (services built from source), or null
 */
public record Deployment(long id, UUID serviceId, Trigger trigger, String oldDigest, String newDigest, Instant started,
                         Instant ended, Outcome outcome, String error, CommitInfo commit) {

    /** A deployment of an image (no commit). */
    public Deployment(long id, UUID serviceId, Trigger trigger, String oldDigest, String newDigest, Instant started,
                      Instant ended, Outcome outcome, String error) {
        this(id, serviceId, trigger, oldDigest, newDigest, started, ended, outcome, error, null);
    }

    public Duration duration() {
        return ended == null ? null : Duration.between(started, ended);
    }
}
