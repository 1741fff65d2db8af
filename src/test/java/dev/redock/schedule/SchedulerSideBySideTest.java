package dev.redock.schedule;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import dev.redock.app.Redock;
import dev.redock.model.ImageRef;
import dev.redock.model.Service;
import dev.redock.registry.CredentialStore;
import dev.redock.registry.RegistryClient;
import dev.redock.testenv.DockerTest;
import dev.redock.testenv.FollowedServices;
import dev.redock.testenv.RawHttpServer;
import dev.redock.testenv.RegistryLog;
import dev.redock.testenv.Redocks;
import dev.redock.testenv.TestEnv;
import dev.redock.testenv.TokenAuthRegistry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A cycle's checks go out side by side: a few at a time per registry, one per distinct tag however many services follow
 * it, a registry whose requests are held holding only its own slots, and a registry's Bearer tokens serving cycle after
 * cycle. The real test registry answers as fast as it can; a programmable server holds its requests, to see how many are
 * under way at once (which the real registry cannot be made to show).
 */
@ExtendWith(DockerTest.class)
class SchedulerSideBySideTest {

    private static final String HELD_DIGEST = "sha256:" + "ab".repeat(32);

    @TempDir
    Path home;

    @Test
    void checksEachDistinctTagOnceAFewAtATimePerRegistryWhileAnotherRegistryIsHeld() throws Exception {
        AtomicInteger underWay = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        try (Redock redock = Redocks.open(home); RawHttpServer held = RawHttpServer.start(c -> {
            most.accumulateAndGet(underWay.incrementAndGet(), Math::max);
            try {
                release.await(60, TimeUnit.SECONDS);
            } finally {
                underWay.decrementAndGet();
            }
            c.send("HTTP/1.1 200 OK\r\nDocker-Content-Digest: " + HELD_DIGEST + "\r\nContent-Type: "
                    + RegistryClient.DOCKER_MANIFEST + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        })) {
            // 20 tags on the held registry, each followed by two services; 10 on the real one.
            List<Service> services = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                ImageRef ref = ImageRef.parse(held.address() + "/held/app" + i + ":stable");
                services.add(FollowedServices.service("held-" + i + "-a", ref, HELD_DIGEST));
                services.add(FollowedServices.service("held-" + i + "-b", ref, HELD_DIGEST));
            }
            List<Service> real = FollowedServices.onTestRegistry("side/app", "real", 10);
            String repo = real.get(0).image().repository();
            List<String> realTags = real.stream().map(s -> s.image().tagKey()).toList();
            services.addAll(real);
            FollowedServices.insert(redock, services);
            RegistryLog log = TestEnv.registryLog();
            RegistryLog.Mark before = log.mark();

            try (OwnScheduler own = new OwnScheduler(redock, Clock.systemUTC(), Duration.ofMinutes(1), new CheckBudget())) {
                CompletableFuture<Scheduler.CycleReport> cycle = CompletableFuture.supplyAsync(own.get()::pollOnce);

                await("the held registry's slots all taken").atMost(Duration.ofSeconds(10))
                        .until(() -> underWay.get() == RegistryClient.MAX_IN_FLIGHT);
                await("the other registry's tags checked meanwhile").atMost(Duration.ofSeconds(10))
                        .until(() -> headsSince(log, before, repo) == 10);
                assertThat(cycle).isNotDone();
                assertThat(held.requests()).as("no more than its slots").hasSize(RegistryClient.MAX_IN_FLIGHT);

                release.countDown();
                Scheduler.CycleReport report = cycle.get(30, TimeUnit.SECONDS);
                assertThat(report.checkedTags()).hasSize(30).containsAll(realTags);
                assertThat(report.redeploying()).isEmpty();
                assertThat(most.get()).as("requests under way at once on the held registry")
                        .isEqualTo(RegistryClient.MAX_IN_FLIGHT);
                assertThat(held.requests()).as("one per distinct tag, not per service").hasSize(20).doesNotHaveDuplicates();

                own.get().pollOnce();
                assertThat(held.requests()).hasSize(40);
                await().atMost(Duration.ofSeconds(10)).until(() -> headsSince(log, before, repo) >= 20);
                assertThat(headsSince(log, before, repo)).isEqualTo(20);
            }
        }
    }

    @Test
    void aTokenServesItsRepositoryCycleAfterCycle() throws Exception {
        try (Redock redock = Redocks.open(home);
             TokenAuthRegistry tokens = TokenAuthRegistry.start(home.resolve("token-registry"), Duration.ofSeconds(300))) {
            List<Service> services = new ArrayList<>();
            List<String> repos = List.of("team/web", "team/api", "team/worker");
            for (String repo : repos) {
                for (String tag : List.of("stable", "canary")) {
                    String digest = tokens.push().pushImage(repo, tag, repo + ":" + tag);
                    services.add(FollowedServices.service(repo.replace('/', '-') + "-" + tag,
                            ImageRef.parse(tokens.address() + "/" + repo + ":" + tag), digest));
                }
            }
            FollowedServices.insert(redock, services);
            RegistryClient client = RegistryClient.builder(CredentialStore.anonymous()).timeout(Duration.ofSeconds(10)).build();

            try (OwnScheduler own = new OwnScheduler(redock, client, Clock.systemUTC(), () -> Duration.ofMinutes(1),
                    new CheckBudget())) {
                for (int cycle = 0; cycle < 5; cycle++) {
                    assertThat(own.get().pollOnce().checkedTags()).hasSize(6);
                }
            }
            for (String repo : repos) {
                assertThat(tokens.tokenRequests("repository:" + repo + ":pull")).as(repo + ": one token for five cycles")
                        .isEqualTo(1);
            }
        }
    }

    private static long headsSince(RegistryLog log, RegistryLog.Mark mark, String repo) {
        return log.requestsSince(mark).stream()
                .filter(r -> r.method().equals("HEAD") && r.path().startsWith("/v2/" + repo + "/manifests/")).count();
    }
}
