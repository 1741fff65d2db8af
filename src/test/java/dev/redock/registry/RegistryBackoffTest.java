package dev.redock.registry;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.redock.model.ImageRef;
import dev.redock.testenv.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RegistryBackoffTest {

    private static final String REGISTRY = "registry.example.com";
    private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

    private final MutableClock clock = new MutableClock(NOW);

    private static RegistryUnavailableException unavailable() {
        return new RegistryUnavailableException(REGISTRY, REGISTRY + " answered 503 Service Unavailable", null);
    }

    private RegistryBackoff backoff(RegistryBackoff.Jitter jitter, long seed) {
        return new RegistryBackoff(Duration.ofSeconds(5), Duration.ofMinutes(15), jitter, clock, new Random(seed));
    }

    @Test
    void doublesTheCeilingFromTheBaseUpToTheCap() {
        RegistryBackoff backoff = backoff(RegistryBackoff.Jitter.EQUAL, 1);

        assertThat(List.of(1, 2, 3, 4, 8, 9, 10, 100).stream().map(backoff::ceiling).toList()).containsExactly(
                Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(20), Duration.ofSeconds(40),
                Duration.ofSeconds(640), Duration.ofMinutes(15), Duration.ofMinutes(15), Duration.ofMinutes(15));
    }

    @Test
    void waitsBetweenHalfAndAllOfTheCeilingWithEqualJitter() {
        for (long seed = 0; seed < 20; seed++) {
            RegistryBackoff backoff = backoff(RegistryBackoff.Jitter.EQUAL, seed);
            for (int failure = 1; failure <= 12; failure++) {
                Duration ceiling = backoff.ceiling(failure);
                assertThat(backoff.failure(REGISTRY, unavailable(), NOW)).isBetween(ceiling.dividedBy(2), ceiling);
            }
        }
    }

    @Test
    void waitsAnythingUpToTheCeilingWithFullJitter() {
        RegistryBackoff backoff = backoff(RegistryBackoff.Jitter.FULL, 42);
        List<Duration> firstWaits = new ArrayList<>();
        for (int registry = 0; registry < 20; registry++) {
            for (int failure = 1; failure <= 12; failure++) {
                Duration wait = backoff.failure("registry-" + registry, unavailable(), NOW);
                assertThat(wait).isBetween(Duration.ZERO, backoff.ceiling(failure));
                if (failure == 1) {
                    firstWaits.add(wait);
                }
            }
        }
        assertThat(firstWaits.stream().distinct().count()).as("jitter spreads the waits").isGreaterThan(15);
    }

    @Test
    void honoursRetryAfterAsAMinimum() {
        RegistryBackoff backoff = backoff(RegistryBackoff.Jitter.EQUAL, 3);
        var limited = new RegistryRateLimitedException(REGISTRY, "429", Duration.ofSeconds(120));

        Duration wait = backoff.failure(REGISTRY, limited, NOW);

        assertThat(wait).isGreaterThanOrEqualTo(Duration.ofSeconds(120));
        assertThat(backoff.nextAttempt(REGISTRY)).contains(NOW.plus(wait));
        assertThat(backoff.mayCall(REGISTRY, NOW.plusSeconds(119))).isFalse();
        assertThat(backoff.mayCall(REGISTRY, NOW.plus(wait))).isTrue();
    }

    @Test
    void forgetsTheFailuresAfterASuccess() {
        RegistryBackoff backoff = backoff(RegistryBackoff.Jitter.EQUAL, 4);
        for (int i = 0; i < 6; i++) {
            backoff.failure(REGISTRY, unavailable(), NOW);
        }
        assertThat(backoff.status(REGISTRY)).hasValueSatisfying(s -> {
            assertThat(s.failures()).isEqualTo(6);
            assertThat(s.reason()).isEqualTo(REGISTRY + " answered 503 Service Unavailable");
        });

        backoff.success(REGISTRY);

        assertThat(backoff.status(REGISTRY)).isEmpty();
        assertThat(backoff.mayCall(REGISTRY, NOW)).isTrue();
        assertThat(backoff.failure(REGISTRY, unavailable(), NOW)).isLessThanOrEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void keepsEachRegistryApart() {
        RegistryBackoff backoff = backoff(RegistryBackoff.Jitter.EQUAL, 5);

        backoff.failure(REGISTRY, unavailable(), NOW);

        assertThat(backoff.mayCall(REGISTRY, NOW)).isFalse();
        assertThat(backoff.mayCall("docker.io", NOW)).isTrue();
        assertThat(backoff.nextAttempt("docker.io")).isEmpty();
    }

    @Test
    void usesItsClockWhenNotToldTheTime() {
        RegistryBackoff backoff = backoff(RegistryBackoff.Jitter.EQUAL, 6);

        Duration wait = backoff.failure(unavailable());

        assertThat(backoff.mayCall(REGISTRY)).isFalse();
        clock.advance(wait);
        assertThat(backoff.mayCall(REGISTRY)).isTrue();
    }

    @Test
    void doesNotBackOffTheRegistryForAnUnknownTag() {
        RegistryBackoff backoff = backoff(RegistryBackoff.Jitter.EQUAL, 7);
        ImageRef ref = ImageRef.parse(REGISTRY + "/team/app:gone");

        Duration wait = backoff.failure(REGISTRY, new ManifestUnknownException(ref, "gone"), NOW);

        assertThat(wait).isZero();
        assertThat(backoff.mayCall(REGISTRY, NOW)).isTrue();
    }

    @Test
    void countsEveryFailureWhenManyThreadsReportAtOnce() throws Exception {
        RegistryBackoff backoff = new RegistryBackoff();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < 250; i++) {
                        backoff.failure(REGISTRY, unavailable(), Instant.now());
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(backoff.status(REGISTRY)).hasValueSatisfying(s -> assertThat(s.failures()).isEqualTo(2000));
        assertThat(Duration.between(Instant.now(), backoff.nextAttempt(REGISTRY).orElseThrow()))
                .isLessThanOrEqualTo(RegistryBackoff.DEFAULT_CAP);
    }

    @Test
    void refusesABaseAboveTheCap() {
        assertThatThrownBy(() -> new RegistryBackoff(Duration.ofMinutes(20), Duration.ofMinutes(15),
                RegistryBackoff.Jitter.FULL, clock, new Random()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
