package dev.redock.schedule;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import dev.redock.app.Redock;
import dev.redock.model.ContainerSpec;
import dev.redock.model.Deployment;
import dev.redock.model.ImageRef;
import dev.redock.model.Outcome;
import dev.redock.model.PortBinding;
import dev.redock.model.Service;
import dev.redock.model.Trigger;
import dev.redock.service.LaunchRequest;
import dev.redock.testenv.DockerTest;
import dev.redock.testenv.FollowedServices;
import dev.redock.testenv.RawHttpServer;
import dev.redock.testenv.Redocks;
import dev.redock.testenv.TestEnv;
import dev.redock.testenv.TestImages;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.head;
import static com.github.tomakehurst.wiremock.client.WireMock.headRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The scheduler against registries that misbehave in ways a real registry cannot be made to on demand: a programmable
 * HTTP server answers 429 and 503, alone or in front of the real test registry, or stalls half way through an answer next
 * to it.
 */
@ExtendWith(DockerTest.class)
class SchedulerBackoffTest {

    @TempDir
    Path home;

    private WireMockServer registry;
    private Redock redock;

    @BeforeEach
    void start() {
        registry = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
        registry.start();
        redock = Redocks.open(home);
    }

    @AfterEach
    void stop() {
        redock.close();
        registry.stop();
    }

    @Test
    void honoursRetryAfterAndSaysWhyTheTagWasNotChecked() {
        registry.stubFor(head(urlEqualTo("/v2/team/app/manifests/stable"))
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "120")));
        Service app = insert("team/app", "stable");
        Scheduler scheduler = redock.scheduler(Duration.ofSeconds(1));

        Scheduler.CycleReport first = scheduler.pollOnce();
        assertThat(first.checkedTags()).isEmpty();
        assertThat(first.redeploying()).isEmpty();
        assertThat(scheduler.problem(app)).hasValueSatisfying(p -> assertThat(p).contains("429"));

        for (int i = 0; i < 5; i++) {
            assertThat(scheduler.pollOnce().backingOff()).containsExactly(app.image().tagKey());
        }
        registry.verify(1, headRequestedFor(urlEqualTo("/v2/team/app/manifests/stable")));
    }

    @Test
    void backsOffARegistryThatFailsWithoutHoldingUpOthers() {
        registry.stubFor(head(urlEqualTo("/v2/team/app/manifests/1.0")).willReturn(aResponse().withStatus(503)));
        Service failing = insert("team/app", "1.0");
        Service elsewhere = insertAt("localhost:1", "other/app", "1.0");
        Scheduler scheduler = redock.scheduler(Duration.ofSeconds(1));

        scheduler.pollOnce();
        assertThat(scheduler.problem(failing)).hasValueSatisfying(p -> assertThat(p).contains("503"));
        assertThat(scheduler.problem(elsewhere)).hasValueSatisfying(p -> assertThat(p).containsIgnoringCase("unreachable"));
        Scheduler.CycleReport second = scheduler.pollOnce();
        assertThat(second.backingOff()).containsExactlyInAnyOrder(failing.image().tagKey(), elsewhere.image().tagKey());
        registry.verify(1, headRequestedFor(urlEqualTo("/v2/team/app/manifests/1.0")));
        assertThat(redock.deploymentStore().history(failing.id(), 10)).isEmpty();
    }

    @Test
    void aPullThatFailsHalfWayIsTriedAgainAtTheNextPollAndFillsNoHistory() throws Exception {
        // In front of the real registry: every request passes through, until the manifest GET of a pull by digest fails.
        registry.stubFor(any(anyUrl()).atPriority(10).willReturn(aResponse().proxiedFrom("http://" + TestEnv.registry())));
        String repo = "flaky/" + TestEnv.uniqueName("web");
        // Content of its own: a manifest the engine has pulled before (for another test) comes from its local cache.
        String one = TestEnv.uniqueName("one");
        String two = TestEnv.uniqueName("two");
        TestImages.push(TestImages.webImage(one), repo + ":stable");
        int port = TestImages.freePort();
        ContainerSpec spec = new ContainerSpec(List.of(new PortBinding("127.0.0.1", port, 80, "tcp")), Map.of(), null, null,
                null, Map.of(), null, 1);
        Service web = redock.services().launch(new LaunchRequest(TestEnv.uniqueName("web"),
                ImageRef.parse("127.0.0.1:" + registry.port() + "/" + repo + ":stable"), spec, true), null);
        assertThat(TestImages.httpGet(port)).contains(one);
        String v2 = TestImages.push(TestImages.webImage(two), repo + ":stable");
        StubMapping failingPull = registry.stubFor(get(urlMatching("/v2/" + repo + "/manifests/sha256:.*")).atPriority(1)
                .willReturn(aResponse().withStatus(503)));
        Scheduler scheduler = redock.scheduler(Duration.ofSeconds(1));

        assertThat(scheduler.pollOnce().redeploying()).containsExactly(web.name());
        await().atMost(Duration.ofSeconds(60)).until(() -> scheduler.problem(web).isPresent());
        assertThat(scheduler.problem(web)).hasValueSatisfying(p -> assertThat(p).startsWith("pull failed: "));
        assertThat(redock.deploymentStore().history(web.id(), 10)).as("nothing recorded while the image cannot be had")
                .extracting(Deployment::trigger).containsExactly(Trigger.LAUNCH);
        assertThat(TestImages.httpGet(port)).contains(one);

        registry.removeStub(failingPull);
        assertThat(scheduler.pollOnce().redeploying()).as("the same digest, asked for again").containsExactly(web.name());
        await().atMost(Duration.ofSeconds(60)).until(() -> two.equals(strip(TestImages.httpGet(port))));
        await().atMost(Duration.ofSeconds(10)).until(() -> redock.deploymentStore().history(web.id(), 10).get(0).outcome()
                == Outcome.SUCCEEDED);
        List<Deployment> history = redock.deploymentStore().history(web.id(), 10);
        assertThat(history).extracting(Deployment::trigger).containsExactly(Trigger.REGISTRY_POLL, Trigger.LAUNCH);
        assertThat(history.get(0).newDigest()).isEqualTo(v2);
        // The deployment is recorded (and serves) before the deployer hands its result back to the scheduler, which then
        // clears the problem.
        await("the problem is cleared once the version is live").atMost(Duration.ofSeconds(10))
                .until(() -> scheduler.problem(web).isEmpty());
    }

    @Test
    void aRegistryThatStallsAfterTheHeadersTimesOutAndSaysWhyWhileServicesOnOtherRegistriesKeepPolling()
            throws Exception {
        try (RawHttpServer stalling = RawHttpServer.start(RawHttpServer.manifestsStallingAfterTheirHeaders())) {
            Service stalled = insertAt(stalling.address(), "team/app", "stable");
            String repo = TestEnv.uniqueName("it/web");
            TestImages.push(TestImages.webImage("one"), repo + ":stable");
            int port = TestImages.freePort();
            ContainerSpec spec = new ContainerSpec(List.of(new PortBinding("127.0.0.1", port, 80, "tcp")), Map.of(), null, null,
                    null, Map.of(), null, 1);
            Service web = redock.services().launch(new LaunchRequest(TestEnv.uniqueName("web"),
                    ImageRef.parse(TestEnv.registry() + "/" + repo + ":stable"), spec, true), null);
            Duration interval = Duration.ofSeconds(2);
            Duration deadline = Redock.REGISTRY_TIMEOUT;
            Scheduler scheduler = redock.scheduler(interval);
            scheduler.start();

            await("the stalled registry's check times out").atMost(deadline.multipliedBy(3))
                    .until(() -> scheduler.problem(stalled).isPresent());
            assertThat(scheduler.problem(stalled)).contains("registry " + stalling.address()
                    + " sent no complete answer within " + deadline.toSeconds() + " s");
            await("the stalled exchange is aborted").atMost(Duration.ofSeconds(10)).until(() -> stalling.abandoned() >= 1);

            // The stalled registry is asked again once its backoff ends, and stalls again: the other keeps being polled.
            TestImages.push(TestImages.webImage("two"), repo + ":stable");
            Instant pushed = Instant.now();
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                    .until(() -> "two".equals(strip(TestImages.httpGet(port))));
            assertThat(Duration.between(pushed, Instant.now()))
                    .as("from the push to serving it: a cycle under way may wait for the stalled registry's deadline, then"
                            + " the next sees the push; then comes the deployment itself")
                    .isLessThan(interval.multipliedBy(2).plus(deadline).plus(Duration.ofSeconds(30)));
            await().atMost(deadline.multipliedBy(3)).until(() -> stalling.abandoned() >= 2);
            assertThat(scheduler.problem(stalled)).isPresent();
            assertThat(scheduler.problem(web)).isEmpty();
        }
    }

    private static String strip(String s) {
        return s == null ? null : s.strip();
    }

    private Service insert(String repo, String tag) {
        return insertAt("127.0.0.1:" + registry.port(), repo, tag);
    }

    private Service insertAt(String host, String repo, String tag) {
        return FollowedServices.insert(redock, repo.replace('/', '-') + "-" + tag.replace('.', '-'),
                ImageRef.parse(host + "/" + repo + ":" + tag), "sha256:" + "0".repeat(64));
    }
}
