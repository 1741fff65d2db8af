package dev.redock.model;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * One deployment of a service, as recorded in its history.
 *
 * @param commit       the commit deployed (services built from source), or null
 * @param versionTried whether it put its version to the test (built it, or started a container from it); false when the
 *                     version never arrived (its pull or fetch failed), so a failure says nothing about the version
 */
public record Deployment(long id, UUID serviceId, Trigger trigger, String oldDigest, String newDigest, Instant started,
                         Instant ended, Outcome outcome, String error, CommitInfo commit, boolean versionTried) {

    /** A deployment that got its version. */
    public Deployment(long id, UUID serviceId, Trigger trigger, String oldDigest, String newDigest, Instant started,
                      Instant ended, Outcome outcome, String error, CommitInfo commit) {
        this(id, serviceId, trigger, oldDigest, newDigest, started, ended, outcome, error, commit, true);
    }

    /** A deployment of an image (no commit) that got its version. */
    public Deployment(long id, UUID serviceId, Trigger trigger, String oldDigest, String newDigest, Instant started,
                      Instant ended, Outcome outcome, String error) {
        this(id, serviceId, trigger, oldDigest, newDigest, started, ended, outcome, error, null);
    }

    public Duration duration() {
        return ended == null ? null : Duration.between(started, ended);
    }
}
