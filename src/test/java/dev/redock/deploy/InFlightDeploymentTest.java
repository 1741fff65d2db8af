package dev.redock.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import dev.redock.app.Redock;
import dev.redock.model.ContainerSpec;
import dev.redock.model.DeployResult;
import dev.redock.model.Deployment;
import dev.redock.model.ImageRef;
import dev.redock.model.Outcome;
import dev.redock.model.PortBinding;
import dev.redock.model.Service;
import dev.redock.model.Trigger;
import dev.redock.service.LaunchRequest;
import dev.redock.testenv.DockerTest;
import dev.redock.testenv.Redocks;
import dev.redock.testenv.RegistryLog;
import dev.redock.testenv.TestEnv;
import dev.redock.testenv.TestImages;

/**
 * Requests that come while a service's deployment is under way: one for the very version being deployed (a poll that saw
 * the tag move while the database still names the old digest) joins it, and one for a newer version follows it; and the
 * service's own minimum uptime is the health gate its deployments use.
 */
@ExtendWith(DockerTest.class)
class InFlightDeploymentTest {

    /** The default minimum uptime here: long, so that a deployment is still under way when the second request comes. */
    private static final DeployPolicy POLICY = new DeployPolicy(Duration.ofMinutes(2), Duration.ofMinutes(2),
            Duration.ofSeconds(30), Duration.ofSeconds(5));
    private static final Duration DEPLOYMENT = Duration.ofSeconds(90);

    @TempDir
    Path home;

    private Redock redock;
    private DeployQueue queue;
    private String repo;

    @BeforeEach
    void open() {
        redock = Redocks.open(home, POLICY);
        // A queue of the test's own on Redock's deployer: requests join what that deployer has under way.
        queue = new DeployQueue(redock.deployer());
        repo = TestEnv.uniqueName("it/inflight");
    }

    @AfterEach
    void close() {
        queue.drain(DEPLOYMENT);
        redock.close();
    }

    private Service launch(Duration minUptime) throws Exception {
        ImageRef image = ImageRef.parse(TestEnv.registry() + "/" + repo + ":stable");
        ContainerSpec spec = new ContainerSpec(List.of(new PortBinding("127.0.0.1", TestImages.freePort(), 80, "tcp")),
                null, null, null, null, Map.of(TestEnv.RUN_LABEL, TestEnv.runId()), null, 1);
        return redock.services().launch(new LaunchRequest(TestEnv.uniqueName("inflight"), image, spec, true)
                .withMinUptime(minUptime), null);
    }

    /** A service's redeploy to a new version, asked for by a user and under way. */
    private record UnderWay(Service service, String version, CompletableFuture<DeployResult> deployment) {
    }

    /**
     * Launches a service at a first version, pushes a second, asks for a redeploy and waits until its deployment has named
     * the version it deploys.
     */
    private UnderWay deploymentUnderWay() throws Exception {
        TestImages.push(TestImages.webImage("one"), repo + ":stable");
        Service s = launch(null);
        String v2 = TestImages.push(TestImages.webImage("two"), repo + ":stable");
        CompletableFuture<DeployResult> first = queue.submit(s.id(), Trigger.MANUAL);
        await().atMost(DEPLOYMENT).until(() -> redock.deployer().deploymentOf(s.id(), v2).isPresent() || first.isDone());
        assertThat(first).as("still under way when the second request comes").isNotDone();
        return new UnderWay(s, v2, first);
    }

    @Test
    void aPollForTheVersionUnderWayJoinsItsDeploymentRatherThanFollowingIt() throws Exception {
        UnderWay underWay = deploymentUnderWay();
        Service s = underWay.service();
        CompletableFuture<DeployResult> first = underWay.deployment();
        RegistryLog registry = RegistryLog.ofTestRegistry();
        String tag = "/v2/" + repo + "/manifests/stable";
        registry.awaitLogged("HEAD", tag); // the deployment under way's own look at the tag
        RegistryLog.Mark mark = registry.mark();

        DeployResult polled = queue.submit(s.id(), Trigger.REGISTRY_POLL, underWay.version()).get(DEPLOYMENT.toSeconds(), TimeUnit.SECONDS);
        DeployResult asked = first.get(DEPLOYMENT.toSeconds(), TimeUnit.SECONDS);

        assertThat(asked.kind()).as(asked.message()).isEqualTo(DeployResult.Kind.DEPLOYED);
        assertThat(polled.kind()).as("the poll hears how the deployment under way ended").isEqualTo(DeployResult.Kind.DEPLOYED);
        assertThat(polled.deployment().id()).isEqualTo(asked.deployment().id());
        assertThat(polled.deployment().outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(redock.serviceStore().takeFollowUp(s.id())).as("no follow-up was asked for").isEmpty();
        List<Deployment> history = redock.services().history(s.id(), 10);
        assertThat(history).extracting(Deployment::trigger).containsExactly(Trigger.MANUAL, Trigger.LAUNCH);
        registry.awaitLogged("HEAD", tag);
        assertThat(registry.countSince(mark, "HEAD", tag)).as("no second look at the tag").isZero();
    }

    @Test
    void aPollForANewerVersionFollowsTheDeploymentUnderWay() throws Exception {
        UnderWay underWay = deploymentUnderWay();
        Service s = underWay.service();
        CompletableFuture<DeployResult> first = underWay.deployment();
        String v3 = TestImages.push(TestImages.webImage("three"), repo + ":stable");

        DeployResult polled = queue.submit(s.id(), Trigger.REGISTRY_POLL, v3).get(DEPLOYMENT.toSeconds(), TimeUnit.SECONDS);
        assertThat(polled.kind()).as(polled.message()).isEqualTo(DeployResult.Kind.QUEUED);
        assertThat(first.get(DEPLOYMENT.toSeconds(), TimeUnit.SECONDS).kind()).isEqualTo(DeployResult.Kind.DEPLOYED);

        // The deployment under way runs the follow-up before it lets the service go.
        List<Deployment> history = redock.services().history(s.id(), 10);
        assertThat(history).extracting(Deployment::trigger)
                .containsExactly(Trigger.REGISTRY_POLL, Trigger.MANUAL, Trigger.LAUNCH);
        assertThat(history.get(0).newDigest()).isEqualTo(v3);
        assertThat(history.get(0).outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(redock.serviceStore().find(s.id()).orElseThrow().digest()).isEqualTo(v3);
    }

    @Test
    void aServicesOwnMinimumUptimeOfZeroIsItsHealthGateRatherThanTheDefault() throws Exception {
        TestImages.push(TestImages.webImage("one"), repo + ":stable");
        Service s = launch(Duration.ZERO);
        TestImages.push(TestImages.webImage("two"), repo + ":stable");

        DeployResult r = queue.submit(s.id(), Trigger.MANUAL).get(DEPLOYMENT.toSeconds(), TimeUnit.SECONDS);

        assertThat(r.kind()).as(r.message()).isEqualTo(DeployResult.Kind.DEPLOYED);
        assertThat(r.deployment().outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(redock.serviceStore().find(s.id()).orElseThrow().minUptime()).isEqualTo(Duration.ZERO);
        assertThat(r.deployment().duration()).as("it did not wait out the default minimum uptime")
                .isLessThan(POLICY.minUptime());
    }
}
