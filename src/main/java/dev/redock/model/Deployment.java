package dev.redock.model;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/** One deployment of a service, as recorded in its history. */
public record Deployment(long id, UUID serviceId, Trigger trigger, String oldDigest, String newDigest, Instant started,
                         Instant ended, Outcome outcome, String error) {

    public Duration duration() {
        return ended == null ? null : Duration.between(started, ended);
    }
}
