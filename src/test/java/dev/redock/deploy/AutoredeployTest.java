package dev.redock.deploy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import dev.redock.app.Redock;
import dev.redock.engine.EngineReadback;
import dev.redock.model.ContainerInfo;
import dev.redock.model.ContainerSpec;
import dev.redock.model.DeployResult;
import dev.redock.model.Deployment;
import dev.redock.model.ImageRef;
import dev.redock.model.Labels;
import dev.redock.model.Outcome;
import dev.redock.model.PortBinding;
import dev.redock.model.RestartPolicy;
import dev.redock.model.Service;
import dev.redock.model.Trigger;
import dev.redock.model.VolumeBinding;
import dev.redock.schedule.Scheduler;
import dev.redock.service.LaunchRequest;
import dev.redock.service.ServiceManager;
import dev.redock.testenv.DockerTest;
import dev.redock.testenv.Redocks;
import dev.redock.testenv.RegistryLog;
import dev.redock.testenv.TestEnv;
import dev.redock.testenv.TestImages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The loop Redock exists for, on the real engine and a real registry: a service follows its image tag by itself. */
@ExtendWith(DockerTest.class)
class AutoredeployTest {

    private static final Duration INTERVAL = Duration.ofSeconds(3);
    /**
     * What a redeploy may take on a slow, loaded machine once a cycle has seen the new digest: pulling it from the local
     * registry, stopping the old container (it ends at once on SIGTERM), creating and starting the new one, and its server
     * listening.
     */
    private static final Duration DEPLOYMENT_ALLOWANCE = Duration.ofSeconds(30);

    @TempDir
    Path home;
    @TempDir
    Path site;

    private Redock redock;
    private String repo;

    @BeforeEach
    void open() {
        redock = Redocks.open(home);
        repo = TestEnv.uniqueName("it/web");
    }

    @AfterEach
    void close() {
        redock.close();
    }

    private ImageRef ref(String tag) {
        return ImageRef.parse(TestEnv.registry() + "/" + repo + ":" + tag);
    }

    private Service launch(String name, ImageRef image, int hostPort, boolean autoredeploy) throws Exception {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("MODE", "prod");
        env.put("GREETING", "hello world");
        String volume = TestEnv.createVolume("redock-it");
        ContainerSpec spec = new ContainerSpec(
                List.of(new PortBinding("127.0.0.1", hostPort, 80, "tcp")),
                env,
                List.of(new VolumeBinding(site.toString(), "/site", true), new VolumeBinding(volume, "/cache", false)),
                List.of(),
                RestartPolicy.parse("unless-stopped"),
                Map.of("team", "web"),
                List.of(),
                1);
        return redock.services().launch(new LaunchRequest(name, image, spec, autoredeploy), null);
    }

    private Scheduler startScheduler() {
        Scheduler scheduler = redock.scheduler(INTERVAL);
        scheduler.start();
        return scheduler;
    }

    @Test
    void redeploysWithinTwoIntervalsWhenTheTagMovesToANewDigest() throws Exception {
        String v1 = TestImages.push(TestImages.webImage("one"), repo + ":stable");
        int port = TestImages.freePort();
        Service web = launch(TestEnv.uniqueName("web"), ref("stable"), port, true);
        ContainerInfo before = redock.services().container(web).orElseThrow();
        ContainerSpec specBefore = EngineReadback.specOf(redock.engine(), before.id()).orElseThrow();
        assertThat(TestImages.httpGet(port)).contains("one");
        startScheduler();

        String v2 = TestImages.push(TestImages.webImage("two"), repo + ":stable");
        Instant pushed = Instant.now(); // the push has returned: the tag is at v2
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                .until(() -> "two".equals(strip(TestImages.httpGet(port))));
        // The scheduler waits an interval after each cycle: a cycle sees the push at most an interval (plus the cycle's own
        // request) after it; then comes the deployment itself.
        assertThat(Duration.between(pushed, Instant.now()))
                .as("from the push to serving it: within two intervals, plus the deployment's own time on a slow machine")
                .isLessThan(INTERVAL.multipliedBy(2).plus(DEPLOYMENT_ALLOWANCE));

        await().atMost(Duration.ofSeconds(10)).until(() -> redock.services().history(web.id(), 10).get(0).outcome() == Outcome.SUCCEEDED);
        ContainerInfo after = redock.services().container(web).orElseThrow();
        assertThat(after.id()).isNotEqualTo(before.id());
        assertThat(after.name()).isEqualTo(web.name());
        assertThat(EngineReadback.specOf(redock.engine(), after.id()).orElseThrow()).isEqualTo(specBefore);
        assertThat(after.labels()).containsEntry("team", "web").containsEntry(Labels.SERVICE, web.id().toString())
                .containsEntry(Labels.DIGEST, v2);
        assertThat(redock.engine().inspect(before.id())).as("the old container is removed").isEmpty();

        List<Deployment> history = redock.services().history(web.id(), 10);
        assertThat(history).hasSize(2);
        assertThat(history.get(0).trigger()).isEqualTo(Trigger.REGISTRY_POLL);
        assertThat(history.get(0).oldDigest()).isEqualTo(v1);
        assertThat(history.get(0).newDigest()).isEqualTo(v2);
        assertThat(history.get(1).trigger()).isEqualTo(Trigger.LAUNCH);
        assertThat(redock.serviceStore().find(web.id()).orElseThrow().digest()).isEqualTo(v2);
    }

    @Test
    void leavesAServiceAloneWhenItsAutoredeployIsOff() throws Exception {
        TestImages.push(TestImages.webImage("one"), repo + ":1.0");
        int port = TestImages.freePort();
        Service web = launch(TestEnv.uniqueName("web"), ref("1.0"), port, false);
        String containerId = redock.services().container(web).orElseThrow().id();

        TestImages.push(TestImages.webImage("two"), repo + ":1.0");
        Scheduler scheduler = redock.scheduler(INTERVAL);
        for (int i = 0; i < 3; i++) {
            assertThat(scheduler.pollOnce().checkedTags()).doesNotContain(web.image().tagKey());
        }
        assertThat(strip(TestImages.httpGet(port))).isEqualTo("one");
        assertThat(redock.services().container(web).orElseThrow().id()).isEqualTo(containerId);
        assertThat(redock.services().history(web.id(), 10)).hasSize(1);
    }

    @Test
    void rollsBackWhenTheNewImageExitsAtOnce() throws Exception {
        String v1 = TestImages.push(TestImages.webImage("one"), repo + ":stable");
        int port = TestImages.freePort();
        Service web = launch(TestEnv.uniqueName("web"), ref("stable"), port, true);
        String containerId = redock.services().container(web).orElseThrow().id();

        String bad = TestImages.push(TestImages.crashingImage(), repo + ":stable");
        startScheduler();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .until(() -> redock.services().history(web.id(), 10).get(0).outcome() == Outcome.ROLLED_BACK);

        Deployment rolledBack = redock.services().history(web.id(), 10).get(0);
        assertThat(rolledBack.newDigest()).isEqualTo(bad);
        assertThat(rolledBack.error()).contains("exited with code 1").contains("rolled back");
        // The rollback is recorded once the old container is started again; its server may take a moment to listen.
        await("the old container serves again").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .until(() -> "one".equals(strip(TestImages.httpGet(port))));
        ContainerInfo running = redock.services().container(web).orElseThrow();
        assertThat(running.id()).as("the very same container runs again").isEqualTo(containerId);
        assertThat(running.state().running()).isTrue();
        assertThat(redock.serviceStore().find(web.id()).orElseThrow().digest()).isEqualTo(v1);
        assertThat(redock.engine().listByLabel(Labels.SERVICE, web.id().toString())).hasSize(1);

        // The digest that failed is not tried again at every poll.
        redock.scheduler(INTERVAL).pollOnce();
        await().during(INTERVAL.plusSeconds(1)).atMost(INTERVAL.plusSeconds(3))
                .until(() -> redock.services().history(web.id(), 10).size() == 2);
    }

    @Test
    void aDeploymentCutShortByAStoppedProcessIsTriedAgainByTheNextPoll() throws Exception {
        String v1 = TestImages.push(TestImages.webImage("one"), repo + ":stable");
        int port = TestImages.freePort();
        Service web = launch(TestEnv.uniqueName("web"), ref("stable"), port, true);
        String v2 = TestImages.push(TestImages.webImage("two"), repo + ":stable");
        // A process took the service's lock, began deploying v2 and stopped half way.
        String gone = "a process that stopped";
        assertThat(redock.serviceStore().tryLock(web.id(), gone, Instant.now())).isTrue();
        redock.deploymentStore().start(web.id(), Trigger.REGISTRY_POLL, v1, v2, Instant.now(), gone);

        redock.services().reconcile();
        Deployment cut = redock.services().history(web.id(), 10).get(0);
        assertThat(cut.outcome()).isEqualTo(Outcome.INTERRUPTED);
        assertThat(cut.error()).startsWith("interrupted");
        assertThat(cut.versionTried()).isFalse();

        assertThat(redock.scheduler(INTERVAL).pollOnce().redeploying()).as("v2 was cut short, not judged").contains(web.name());
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .until(() -> "two".equals(strip(TestImages.httpGet(port))));
        await().atMost(Duration.ofSeconds(10)).until(() -> redock.services().history(web.id(), 10).get(0).outcome() == Outcome.SUCCEEDED);
        assertThat(redock.serviceStore().find(web.id()).orElseThrow().digest()).isEqualTo(v2);
    }

    @Test
    void asksTheRegistryOncePerCycleForTwoServicesOnOneTag() throws Exception {
        TestImages.push(TestImages.webImage("one"), repo + ":shared");
        Service a = launch(TestEnv.uniqueName("a"), ref("shared"), TestImages.freePort(), true);
        Service b = launch(TestEnv.uniqueName("b"), ref("shared"), TestImages.freePort(), true);
        RegistryLog log = TestEnv.registryLog();
        String manifest = "/v2/" + repo + "/manifests/shared";
        Scheduler scheduler = redock.scheduler(INTERVAL);

        // Let the launches' own requests reach the log before counting.
        log.awaitLogged("HEAD", manifest);
        RegistryLog.Mark mark = log.mark();
        for (int cycle = 1; cycle <= 3; cycle++) {
            assertThat(scheduler.pollOnce().redeploying()).isEmpty();
            int expected = cycle;
            await().atMost(Duration.ofSeconds(5)).until(() -> log.countSince(mark, "HEAD", manifest) == expected);
        }
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(3)).until(() -> log.countSince(mark, "HEAD", manifest) == 3);
        assertThat(log.countSince(mark, "GET", manifest)).as("no manifest GET while the digest is unchanged").isZero();

        // A push: still one HEAD, and both services follow.
        String v2 = TestImages.push(TestImages.webImage("two"), repo + ":shared");
        log.awaitLogged("HEAD", manifest); // the push's own HEAD (for its digest) is not the cycle's
        RegistryLog.Mark beforeCycle = log.mark();
        assertThat(scheduler.pollOnce().redeploying()).containsExactlyInAnyOrder(a.name(), b.name());
        await().atMost(Duration.ofSeconds(60)).until(() ->
                v2.equals(redock.serviceStore().find(a.id()).orElseThrow().digest())
                        && v2.equals(redock.serviceStore().find(b.id()).orElseThrow().digest()));
        assertThat(log.countSince(beforeCycle, "HEAD", manifest)).isEqualTo(1);
    }

    @Test
    void showsAContainerRemovedByHandAsMissingAndDoesNotRecreateItByItself() throws Exception {
        TestImages.push(TestImages.webImage("one"), repo + ":stable");
        Service web = launch(TestEnv.uniqueName("web"), ref("stable"), TestImages.freePort(), true);
        TestEnv.docker().removeContainerCmd(redock.services().container(web).orElseThrow().id()).withForce(true).exec();

        assertThat(redock.services().view(web).status()).isEqualTo(dev.redock.model.ServiceStatus.MISSING);
        redock.services().reconcile();
        assertThat(redock.services().view(web).status()).isEqualTo(dev.redock.model.ServiceStatus.MISSING);
    }

    @Test
    void foldsRequestsThatArriveDuringADeploymentIntoOneFollowUp() throws Exception {
        TestImages.push(TestImages.webImage("one"), repo + ":stable");
        Service web = launch(TestEnv.uniqueName("web"), ref("stable"), TestImages.freePort(), false);
        ServiceManager services = redock.services();

        var pool = java.util.concurrent.Executors.newFixedThreadPool(6);
        try {
            var results = new java.util.ArrayList<java.util.concurrent.Future<DeployResult>>();
            for (int i = 0; i < 6; i++) {
                results.add(pool.submit(() -> services.redeploy(web.name())));
            }
            int deployed = 0;
            int queued = 0;
            for (var f : results) {
                DeployResult r = f.get(2, java.util.concurrent.TimeUnit.MINUTES);
                if (r.kind() == DeployResult.Kind.QUEUED) {
                    queued++;
                } else {
                    deployed++;
                }
            }
            // Every request either ran or was folded; at most one follow-up ran per deployment under way.
            assertThat(deployed + queued).isEqualTo(6);
            List<Deployment> manual = services.history(web.id(), 100).stream().filter(d -> d.trigger() == Trigger.MANUAL).toList();
            assertThat(manual).allMatch(d -> d.outcome() == Outcome.SUCCEEDED);
            assertThat(manual.size()).isLessThanOrEqualTo(deployed * 2).isLessThan(6);
            assertThat(redock.engine().listByLabel(Labels.SERVICE, web.id().toString())).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
    }

    private static String strip(String s) {
        return s == null ? null : s.strip();
    }

}
