package dev.redock.engine;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import dev.redock.app.Redock;
import dev.redock.deploy.DeployPolicy;
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
import dev.redock.model.VolumeBinding;
import dev.redock.service.LaunchRequest;
import dev.redock.testenv.DockerTest;
import dev.redock.testenv.Redocks;
import dev.redock.testenv.TestEnv;
import dev.redock.testenv.TestImages;
import dev.redock.testenv.TestPodman;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Redock on Podman, through its Docker-compatible API, on a Podman service of the tests' own: a service launches, redeploys
 * to a new image, is held to its health check, and rolls back when a new version fails; the engine operations Redock uses
 * work; and Redock says what Podman lacks.
 *
 * <p>The test images are built on the test's Docker engine and pushed to the test registry; Podman pulls them from there.
 * On a machine without systemd (CI) Podman runs no health check by itself: Redock runs them, and says so.
 */
@ExtendWith(DockerTest.class)
class PodmanEngineIT {

    private static final Duration PULL_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration DEADLINE = Duration.ofSeconds(20);
    /** The test deadlines, with a shorter minimum uptime: the test images start at once, and the class has to be quick. */
    private static final DeployPolicy POLICY = new DeployPolicy(Duration.ofMinutes(2), Duration.ofMinutes(2), Duration.ofSeconds(30),
            Duration.ofSeconds(1));

    static TestPodman podman;
    static DockerEngine engine;
    static Redock redock;

    @TempDir
    static Path home;
    @TempDir
    Path site;

    @BeforeAll
    static void startPodman() {
        podman = TestPodman.start();
        engine = DockerEngine.connect(EngineSettings.defaults().withHost(podman.host()).withCommonLabels(TestEnv.runLabels()));
        redock = Redocks.open(home, podman.host(), POLICY);
    }

    @AfterAll
    static void stopPodman() {
        if (redock != null) {
            redock.close();
        }
        if (engine != null) {
            engine.close();
        }
        if (podman != null) {
            podman.close();
        }
    }

    /** {@code <test registry>/<repo>:<tag>}, pushed from a local image of the Docker engine. */
    private static String pushed(String localImage, String repo, String tag) {
        TestImages.push(localImage, repo + ":" + tag);
        return TestEnv.registry() + "/" + repo + ":" + tag;
    }

    private static Deployment deployed(DeployResult result) {
        assertThat(result.kind()).as(result.message()).isEqualTo(DeployResult.Kind.DEPLOYED);
        return result.deployment();
    }

    @Test
    void saysWhatPodmanLacksAndNothingOfDocker() throws Exception {
        assertThat(engine.limitations()).containsExactly(Podman.HEALTH_CHECKS, Podman.RESTART_POLICY, Podman.RECREATION);
        assertThat(engine.limitations().get(0)).startsWith("Podman runs a container's HEALTHCHECK only through systemd timers");
        assertThat(TestEnv.engine().limitations()).isEmpty();
    }

    /**
     * The whole life of a service on Podman, as the user sees it: launched; redeployed to a new version, which has a
     * HEALTHCHECK and goes live once it passes; a version whose check fails, and one that crashes, both rolled back.
     */
    @Test
    void launchesRedeploysHoldsToTheHealthCheckAndRollsBackOnPodman() throws Exception {
        String repo = TestEnv.uniqueName("podman/web");
        String stable = pushed(TestImages.webImage("podman one"), repo, "stable");
        String volume = TestEnv.uniqueName("pm-cache");
        String network = podman.createNetwork("pm-net");
        int port = TestImages.freePort();
        Map<String, String> env = new LinkedHashMap<>();
        env.put("MODE", "prod");
        env.put("GREETING", "hello world");
        ContainerSpec spec = new ContainerSpec(List.of(new PortBinding("127.0.0.1", port, 80, "tcp")), env,
                List.of(new VolumeBinding(site.toString(), "/site", true), new VolumeBinding(volume, "/cache", false)),
                List.of(), RestartPolicy.parse("unless-stopped"), Map.of("team", "web"), List.of(network), 3);

        Service web = redock.services().launch(new LaunchRequest(TestEnv.uniqueName("web"), ImageRef.parse(stable), spec, false), null);
        ContainerInfo first = redock.services().container(web).orElseThrow();
        assertThat(TestImages.httpGet(port)).isEqualTo("podman one");
        assertThat(podman.docker().inspectContainerCmd(web.name()).exec().getId()).as("on Podman").isEqualTo(first.id());
        assertThat(first.labels()).containsEntry("team", "web").containsEntry(Labels.SERVICE, web.id().toString())
                .containsAllEntriesOf(TestEnv.runLabels());
        assertMadeAsTheSpecSays(first.id(), spec);

        // A new version under the tag, with a HEALTHCHECK: it goes live once its check passes, made as the spec says.
        pushed(TestImages.healthyWebImage("podman two"), repo, "stable");
        Deployment second = deployed(redock.services().redeploy(web.name()));
        assertThat(second.outcome()).as(second.error()).isEqualTo(Outcome.SUCCEEDED);
        ContainerInfo healthy = redock.services().container(web).orElseThrow();
        assertThat(healthy.id()).isNotEqualTo(first.id());
        assertThat(healthy.name()).isEqualTo(web.name());
        assertThat(healthy.state().health()).as("live once its check passed").isEqualTo("healthy");
        assertThat(TestImages.httpGet(port)).isEqualTo("podman two");
        assertThat(redock.engine().inspect(first.id())).as("the previous container is removed").isEmpty();
        assertMadeAsTheSpecSays(healthy.id(), spec);
        if (!TestPodman.hostHasSystemd()) {
            // What Podman does with a HEALTHCHECK without systemd: it cannot schedule it, says so in its log, and runs none.
            assertThat(Files.readString(podman.log())).contains("unable to get systemd connection to add healthchecks");
        }

        // A version whose check fails: rolled back, and the reason is the check's own output.
        pushed(TestImages.unhealthyImage("podman unhealthy"), repo, "stable");
        Deployment third = deployed(redock.services().redeploy(web.name()));
        assertThat(third.outcome()).as(third.error()).isEqualTo(Outcome.ROLLED_BACK);
        assertThat(third.error()).startsWith("new container unhealthy: health check failed on purpose");
        if (!TestPodman.hostHasSystemd()) {
            assertThat(third.error()).contains("(" + Podman.CHECKS_RUN_BY_REDOCK + ")");
        }
        ContainerInfo back = redock.services().container(web).orElseThrow();
        assertThat(back.id()).isEqualTo(healthy.id());
        assertThat(back.state().health()).as("healthy again after its restart").isEqualTo("healthy");
        assertThat(TestImages.httpGet(port)).isEqualTo("podman two");

        // A version that crashes (and that Podman restarts, by the service's policy): rolled back too.
        pushed(TestImages.crashingImage(), repo, "stable");
        Deployment fourth = deployed(redock.services().redeploy(web.name()));
        assertThat(fourth.outcome()).as(fourth.error()).isEqualTo(Outcome.ROLLED_BACK);
        assertThat(fourth.error()).startsWith("new container exited").contains("crashing on purpose");
        assertThat(TestImages.httpGet(port)).isEqualTo("podman two");
        assertThat(redock.engine().listByLabel(Labels.SERVICE, web.id().toString())).extracting(ContainerInfo::id)
                .as("the failed containers are gone").containsExactly(healthy.id());
        back = redock.services().container(web).orElseThrow();
        assertThat(back.name()).isEqualTo(web.name());
        assertThat(back.state().running()).isTrue();
        assertThat(redock.engine().restartPolicy(back.id())).contains(RestartPolicy.parse("unless-stopped"));
        assertThat(redock.services().history(web.id(), 10)).extracting(Deployment::outcome)
                .containsExactly(Outcome.ROLLED_BACK, Outcome.ROLLED_BACK, Outcome.SUCCEEDED, Outcome.SUCCEEDED);
    }

    /** The container's configuration is the spec's: Podman adds variables of its own to the environment, and only those. */
    private static void assertMadeAsTheSpecSays(String id, ContainerSpec spec) throws EngineException {
        ContainerSpec made = EngineReadback.specOf(redock.engine(), id).orElseThrow();
        assertThat(made.env()).containsAllEntriesOf(spec.env());
        assertThat(made.env().keySet()).allMatch(k -> spec.env().containsKey(k) || List.of("container", "TERM", "HOSTNAME").contains(k));
        assertThat(made.withEnv(spec.env())).isEqualTo(spec);
        assertThat(redock.engine().volumeMounts(id)).extracting(VolumeMount::name).contains(spec.volumes().get(1).source());
    }

    @Test
    void doesThroughPodmanEveryEngineOperationRedockUses() throws Exception {
        String repo = TestEnv.uniqueName("podman/ops");
        String digest = TestImages.push(TestImages.webImage("podman one"), repo + ":v1");
        String byDigest = TestEnv.registry() + "/" + repo + "@" + digest;
        ImageInfo pulled = engine.pull(byDigest, null, PULL_TIMEOUT, null);
        assertThat(pulled.repoDigests()).contains(byDigest);
        assertThat(pulled.labels()).containsAllEntriesOf(TestEnv.runLabels());
        assertThat(engine.imagesByLabel(TestEnv.RUN_LABEL, TestEnv.runId())).contains(pulled.id());
        engine.tag(byDigest, ImageRef.parse("localhost/" + repo + ":tagged"));
        assertThat(EngineReadback.image(engine, "localhost/" + repo + ":tagged")).map(ImageInfo::id).contains(pulled.id());
        assertThat(engine.removeImage("localhost/" + repo + ":tagged")).isTrue();

        String service = UUID.randomUUID().toString();
        String volume = TestEnv.uniqueName("pm-data");
        ContainerSpec spec = new ContainerSpec(null, Map.of("SAY", "hi"), List.of(new VolumeBinding(volume, "/data", false)),
                null, RestartPolicy.parse("on-failure:2"), null, null, 2);
        String id = engine.create(TestEnv.uniqueName("pm-ops"), byDigest, spec, Map.of(Labels.SERVICE, service));
        engine.start(id);
        ReadyResult ready = engine.awaitReady(id, DEADLINE, Duration.ofMillis(500));
        assertThat(ready.ready()).as(ready.reason()).isTrue();
        assertThat(engine.listByLabel(Labels.SERVICE, service)).extracting(ContainerInfo::id).containsExactly(id);
        assertThat(engine.volumeMounts(id)).containsExactly(new VolumeMount(volume, "/data", false));

        // Podman 4 has no container update: the policy stays as it was, and Redock goes on.
        assertThat(engine.setRestartPolicy(id, RestartPolicy.NO)).isFalse();
        assertThat(engine.restartPolicy(id)).contains(RestartPolicy.parse("on-failure:2"));

        String renamed = TestEnv.uniqueName("pm-renamed");
        engine.rename(id, renamed);
        assertThat(engine.inspect(renamed)).map(ContainerInfo::id).contains(id);
        long begin = System.nanoTime();
        engine.stop(id);
        assertThat(Duration.ofNanos(System.nanoTime() - begin)).isLessThan(Duration.ofSeconds(8));
        assertThat(engine.inspect(id).orElseThrow().state().running()).isFalse();
        assertThat(engine.removeWithOwnVolumes(id)).isTrue();
        assertThat(engine.removeVolume(volume)).isTrue();

        // A process that exits: the wait ends at once, with its code and its output.
        String crashing = pushed(TestImages.crashingImage(), repo, "crash");
        engine.pull(crashing, null, PULL_TIMEOUT, null);
        String crash = engine.create(TestEnv.uniqueName("pm-crash"), crashing, ContainerSpec.empty(), Map.of());
        engine.start(crash);
        ReadyResult exited = engine.awaitReady(crash, DEADLINE, Duration.ofSeconds(5));
        assertThat(exited.reason()).isEqualTo("exited with code 1");
        assertThat(engine.logTail(crash, 5)).containsExactly("crashing on purpose");
        assertThat(engine.remove(crash)).isTrue();

        // Its events, asked for unfiltered as the readiness wait asks Podman: a death comes with its exit code.
        String heard = engine.create(TestEnv.uniqueName("pm-events"), crashing, ContainerSpec.empty(), Map.of());
        try (ContainerEvents events = ContainerEvents.follow(engine.context(), heard, false)) {
            assertThat(events.awaitStarted(Duration.ofSeconds(10))).as("Podman streams its events").isTrue();
            events.watching(engine.inspect(heard).orElseThrow().id());
            engine.start(heard);
            long until = System.nanoTime() + DEADLINE.toNanos();
            while (events.lastExitCode().isEmpty() && System.nanoTime() < until) {
                events.awaitChange(Duration.ofSeconds(1));
            }
            assertThat(events.lastExitCode()).as("the death heard in Podman's events").contains(1);
        }
        assertThat(engine.remove(heard)).isTrue();

        // One that Podman keeps restarting: still removable (Podman refuses a kill while it restarts it; Redock tries again).
        String always = engine.create(TestEnv.uniqueName("pm-always"), crashing,
                new ContainerSpec(null, null, null, null, RestartPolicy.parse("always"), null, null, null), Map.of());
        engine.start(always);
        assertThat(engine.awaitReady(always, DEADLINE, Duration.ofSeconds(5)).reason()).startsWith("exited");
        assertThat(engine.removeWithOwnVolumes(always)).isTrue();
        assertThat(engine.inspect(always)).isEmpty();

        // A host port that is taken.
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            String blocked = engine.create(TestEnv.uniqueName("pm-port"), byDigest, new ContainerSpec(
                    List.of(new PortBinding("127.0.0.1", taken.getLocalPort(), 80, "tcp")), null, null, null, null, null, null, null), Map.of());
            assertThatThrownBy(() -> engine.start(blocked)).isInstanceOf(PortInUseException.class)
                    .hasMessageContaining(String.valueOf(taken.getLocalPort()));
            assertThat(engine.remove(blocked)).isTrue();
        }

        // A build tagged as a service built from git is (redock/<service>:<commit>), whose HEALTHCHECK Podman keeps
        // (it builds in Docker's format through this API): Redock's wait runs it.
        String tag = ImageRef.parse(TestEnv.uniqueName("redock/pm-built") + ":1a2b3c4").nameWithTag();
        String built = engine.build(new ByteArrayInputStream(context("FROM " + byDigest + "\n"
                        + "HEALTHCHECK --interval=1s --timeout=10s --retries=1 CMD [\"wget\", \"-q\", \"-O\", \"/dev/null\", \"http://127.0.0.1/\"]\n")),
                "Dockerfile", Set.of(tag), Map.of(), Duration.ofSeconds(60), null);
        assertThat(engine.imagesByLabel(TestEnv.RUN_LABEL, TestEnv.runId())).contains(built);
        String checked = engine.create(TestEnv.uniqueName("pm-built"), tag, ContainerSpec.empty(), Map.of());
        engine.start(checked);
        ReadyResult healthy = engine.awaitReady(checked, DEADLINE, Duration.ZERO);
        assertThat(healthy.ready()).as(healthy.reason()).isTrue();
        assertThat(healthy.last().state().health()).isEqualTo("healthy");
        assertThat(engine.remove(checked)).isTrue();
    }

    /** A build context of one Dockerfile. */
    private static byte[] context(String dockerfile) throws IOException {
        byte[] data = dockerfile.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            TarArchiveEntry entry = new TarArchiveEntry("Dockerfile");
            entry.setSize(data.length);
            tar.putArchiveEntry(entry);
            tar.write(data);
            tar.closeArchiveEntry();
        }
        return bytes.toByteArray();
    }
}
