package dev.redock.registry;

import java.time.Duration;
import java.util.Optional;

/** The registry answered 429 Too Many Requests, possibly saying how long to wait ({@code Retry-After}). */
public final class RegistryRateLimitedException extends RegistryException {

    private final Duration retryAfter;

    /**
     * @param retryAfter what the registry's {@code Retry-After} asked for, or null when it did not say
     */
    public RegistryRateLimitedException(String registry, String message, Duration retryAfter) {
        super(registry, message, null);
        this.retryAfter = retryAfter;
    }

    /** How long the registry asked to wait before the next request, when it said. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
