package dev.redock.registry;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * When each registry may be asked again after failures: exponential backoff with jitter, per registry.
 *
 * <p>After the n-th failure in a row the ceiling is {@code base * 2^(n-1)}, at most {@code cap}; the wait is drawn below
 * it by the {@link Jitter} policy, so that many clients that failed together do not come back together. A
 * {@code Retry-After} from the registry is a minimum. A success forgets the failures. A failure that is not the
 * registry's ({@link RegistryException#affectsRegistry()}, e.g. an unknown tag) does not back off.
 *
 * <p>Registries are keyed by the name in the image reference ({@link RegistryException#registry()}). The same policy
 * serves other remotes too (git hosts), keyed by whatever names them: see {@link #failure(String, String, Instant)}.
 * Thread-safe.
 */
public final class RegistryBackoff {

    /** How the wait is drawn below the exponential ceiling. */
    public enum Jitter {
        /** Uniform in {@code [0, ceiling]}: spreads clients the most, may retry almost at once. */
        FULL,
        /** Uniform in {@code [ceiling/2, ceiling]}: spreads clients and always waits at least half. */
        EQUAL
    }

    /** The first wait's ceiling unless told otherwise. */
    public static final Duration DEFAULT_BASE = Duration.ofSeconds(5);
    /** The largest ceiling unless told otherwise. */
    public static final Duration DEFAULT_CAP = Duration.ofMinutes(15);
    /** A {@code Retry-After} longer than this is taken as this. */
    public static final Duration MAX_RETRY_AFTER = Duration.ofHours(6);

    private final Duration base;
    private final Duration cap;
    private final Jitter jitter;
    private final Clock clock;
    private final Random random;
    private final ConcurrentMap<String, Status> states = new ConcurrentHashMap<>();

    /** 5 s doubling to 15 min, equal jitter, the system clock. */
    public RegistryBackoff() {
        this(DEFAULT_BASE, DEFAULT_CAP, Jitter.EQUAL, Clock.systemUTC(), new Random());
    }

    public RegistryBackoff(Duration base, Duration cap, Jitter jitter, Clock clock, Random random) {
        if (base.isNegative() || base.isZero() || cap.compareTo(base) < 0) {
            throw new IllegalArgumentException("need 0 < base <= cap, got base " + base + ", cap " + cap);
        }
        this.base = base;
        this.cap = cap;
        this.jitter = Objects.requireNonNull(jitter, "jitter");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
    }

    /**
     * Why and until when a registry is being left alone.
     *
     * @param failures    failures in a row
     * @param nextAttempt the earliest time the registry may be asked again
     * @param reason      the last failure's message, fit to show a user
     */
    public record Status(int failures, Instant nextAttempt, String reason) {
    }

    /** Whether the registry may be asked now (it is not backing off, or its wait is over). */
    public boolean mayCall(String registry, Instant now) {
        Status status = states.get(registry);
        return status == null || !now.isBefore(status.nextAttempt());
    }

    /** {@link #mayCall(String, Instant)} at the clock's current time. */
    public boolean mayCall(String registry) {
        return mayCall(registry, clock.instant());
    }

    /** The earliest time the registry may be asked again, or empty when it has no failures on record. */
    public Optional<Instant> nextAttempt(String registry) {
        return status(registry).map(Status::nextAttempt);
    }

    /** The registry's failures on record, or empty when it has none. */
    public Optional<Status> status(String registry) {
        return Optional.ofNullable(states.get(registry));
    }

    /** Forgets the registry's failures: it answered. */
    public void success(String registry) {
        states.remove(registry);
    }

    /**
     * Records a failure and returns how long to wait before asking the registry again. Failures that are not the
     * registry's (see {@link RegistryException#affectsRegistry()}) change nothing and return zero.
     */
    public Duration failure(String registry, RegistryException e, Instant now) {
        if (!e.affectsRegistry()) {
            return Duration.ZERO;
        }
        Duration minimum = e instanceof RegistryRateLimitedException limited
                ? limited.retryAfter().map(d -> min(d, MAX_RETRY_AFTER)).orElse(Duration.ZERO)
                : Duration.ZERO;
        return record(registry, e.getMessage(), minimum, now);
    }

    /**
     * Records a failure of any remote (a git host, keyed e.g. by its host name) and returns how long to wait before
     * asking it again.
     */
    public Duration failure(String key, String reason, Instant now) {
        return record(key, reason, Duration.ZERO, now);
    }

    private Duration record(String key, String reason, Duration minimum, Instant now) {
        Status next = states.compute(key, (k, old) -> {
            int failures = old == null ? 1 : old.failures() + 1;
            Duration wait = max(draw(ceiling(failures)), minimum);
            return new Status(failures, now.plus(wait), reason);
        });
        return Duration.between(now, next.nextAttempt());
    }

    /** {@link #failure(String, RegistryException, Instant)} at the clock's current time, for the exception's registry. */
    public Duration failure(RegistryException e) {
        return failure(e.registry(), e, clock.instant());
    }

    /** The ceiling after the given number of failures in a row: {@code base * 2^(failures-1)}, at most the cap. */
    Duration ceiling(int failures) {
        int doublings = Math.min(failures - 1, 40);
        long millis = base.toMillis();
        for (int i = 0; i < doublings && millis < cap.toMillis(); i++) {
            millis *= 2;
        }
        return Duration.ofMillis(Math.min(millis, cap.toMillis()));
    }

    private Duration draw(Duration ceiling) {
        long c = ceiling.toMillis();
        double u;
        synchronized (random) {
            u = random.nextDouble();
        }
        long millis = switch (jitter) {
            case FULL -> Math.round(c * u);
            case EQUAL -> c / 2 + Math.round((c - c / 2) * u);
        };
        return Duration.ofMillis(millis);
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
