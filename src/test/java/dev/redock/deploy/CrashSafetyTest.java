package dev.redock.deploy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.EventType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.redock.app.Redock;
import dev.redock.engine.EngineSettings;
import dev.redock.engine.VolumeMount;
import dev.redock.model.ContainerInfo;
import dev.redock.model.ContainerSpec;
import dev.redock.model.DeployPhase;
import dev.redock.model.DeployResult;
import dev.redock.model.Deployment;
import dev.redock.model.ImageRef;
import dev.redock.model.Labels;
import dev.redock.model.Outcome;
import dev.redock.model.PortBinding;
import dev.redock.model.RestartPolicy;
import dev.redock.model.Service;
import dev.redock.model.Trigger;
import dev.redock.registry.CredentialStore;
import dev.redock.service.LaunchRequest;
import dev.redock.service.ServiceManager;
import dev.redock.testenv.DockerTest;
import dev.redock.testenv.Redocks;
import dev.redock.testenv.TestEnv;
import dev.redock.testenv.TestImages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Redock's promise under faults, in one JVM on the real engine: a redeploy never loses a volume's data, and a deployment
 * cut short at any step is finished or undone by whichever Redock looks next. (The fault matrix does the same with real
 * processes and real signals; this runs every step quickly.)
 */
@ExtendWith(DockerTest.class)
class CrashSafetyTest {

    /** A short lease, so that a deployment left by a "process" that stopped renewing is taken over within seconds. */
    private static final DeployPolicy POLICY = new DeployPolicy(Duration.ofMinutes(2), Duration.ofMinutes(2),
            Duration.ofSeconds(30), Duration.ofSeconds(1), Duration.ofSeconds(2));

    @TempDir
    Path home;

    private Redock redock;
    private String repo;
    private final List<Redock> opened = new ArrayList<>();

    @BeforeEach
    void open() {
        redock = track(Redocks.open(home, POLICY));
        repo = TestEnv.uniqueName("it/crash");
    }

    @AfterEach
    void close() {
        opened.forEach(Redock::close);
    }

    private Redock track(Redock r) {
        opened.add(r);
        return r;
    }

    private ImageRef ref(String tag) {
        return ImageRef.parse(TestEnv.registry() + "/" + repo + ":" + tag);
    }

    private Service launch(ImageRef image, int port, String restart) throws Exception {
        ContainerSpec spec = new ContainerSpec(List.of(new PortBinding("127.0.0.1", port, 80, "tcp")), Map.of(), List.of(),
                List.of(), RestartPolicy.parse(restart), Map.of(), List.of(), 1);
        return redock.services().launch(new LaunchRequest(TestEnv.uniqueName("svc"), image, spec, false), null);
    }

    /** The one container of the service: those carrying its label, or the one it was adopted from while that is its own. */
    private ContainerInfo only(Redock r, Service s) throws Exception {
        List<ContainerInfo> all = r.services().containersOf(r.serviceStore().find(s.id()).orElseThrow());
        assertThat(all).as("exactly one container for %s", s.name()).hasSize(1);
        return all.get(0);
    }

    private static String data(ContainerInfo c) {
        return TestImages.exec(c.id(), "cat", "/data/note").strip();
    }

    @Test
    void aRedeployKeepsTheDataInAnImagesAnonymousVolume() throws Exception {
        TestImages.push(TestImages.volumeWebImage("one"), repo + ":stable");
        int port = TestImages.freePort();
        Service s = launch(ref("stable"), port, "no");
        ContainerInfo before = only(redock, s);
        TestImages.exec(before.id(), "sh", "-c", "echo keep-me > /data/note");
        List<VolumeMount> volumesBefore = redock.engine().volumeMounts(before.id());

        TestImages.push(TestImages.volumeWebImage("two"), repo + ":stable");
        DeployResult r = redock.services().redeploy(s.name());

        assertThat(r.deployment().outcome()).as(r.message()).isEqualTo(Outcome.SUCCEEDED);
        ContainerInfo after = only(redock, s);
        assertThat(after.id()).isNotEqualTo(before.id());
        assertThat(TestImages.httpGet(port)).contains("two");
        assertThat(data(after)).isEqualTo("keep-me");
        assertThat(redock.engine().volumeMounts(after.id())).as("the same volume, mounted again by name").isEqualTo(volumesBefore);

        redock.services().remove(s.name(), true);
    }

    @Test
    void aRollbackKeepsTheDataAndLeavesNoVolumeOfTheNewContainerBehind() throws Exception {
        TestImages.push(TestImages.volumeWebImage("one"), repo + ":stable");
        int port = TestImages.freePort();
        Service s = launch(ref("stable"), port, "unless-stopped");
        ContainerInfo before = only(redock, s);
        TestImages.exec(before.id(), "sh", "-c", "echo keep-me > /data/note");

        TestImages.push(TestImages.custom("crashing-volumes", "crashing", "VOLUME /data /extra",
                "CMD [\"sh\", \"-c\", \"echo crashing on purpose >&2; exit 1\"]"), repo + ":stable");
        Instant since = Instant.now().minusSeconds(1);
        DeployResult r = redock.services().redeploy(s.name());
        Instant until = Instant.now().plusSeconds(1);

        assertThat(r.deployment().outcome()).as(r.message()).isEqualTo(Outcome.ROLLED_BACK);
        ContainerInfo after = only(redock, s);
        assertThat(after.id()).as("the very same container serves again").isEqualTo(before.id());
        assertThat(after.state().running()).isTrue();
        await().atMost(Duration.ofSeconds(20)).until(() -> TestImages.httpGet(port).contains("one"));
        assertThat(data(after)).isEqualTo("keep-me");
        assertThat(redock.engine().restartPolicy(after.id())).contains(RestartPolicy.parse("unless-stopped"));
        List<String> kept = redock.engine().volumeMounts(after.id()).stream().map(VolumeMount::name).toList();
        List<String> mounted = volumesMounted(s, since, until);
        assertThat(mounted).as("the volumes the deployment's containers mounted").isNotEmpty();
        for (String volume : mounted) {
            if (!kept.contains(volume)) {
                assertThat(TestEnv.docker().listVolumesCmd().exec().getVolumes()).as("volume %s of the failed container", volume)
                        .noneMatch(v -> v.getName().equals(volume));
            }
        }

        redock.services().remove(s.name(), true);
    }

    @Test
    void removingAServiceKeepsItsVolumesUnlessAsked() throws Exception {
        TestImages.push(TestImages.volumeWebImage("one"), repo + ":stable");
        Service kept = launch(ref("stable"), TestImages.freePort(), "no");
        String volume = redock.engine().volumeMounts(only(redock, kept).id()).get(0).name();

        ServiceManager.RemoveResult r = redock.services().remove(kept.name(), false);

        assertThat(r.keptVolumes()).singleElement().asString().contains(volume.substring(0, 12)).contains("/data");
        assertThat(TestEnv.docker().inspectVolumeCmd(volume).exec().getName()).isEqualTo(volume);
        TestEnv.docker().removeVolumeCmd(volume).exec();

        Service gone = launch(ref("stable"), TestImages.freePort(), "no");
        String second = redock.engine().volumeMounts(only(redock, gone).id()).get(0).name();
        ServiceManager.RemoveResult removed = redock.services().remove(gone.name(), true);
        assertThat(removed.removedVolumes()).singleElement().asString().contains(second.substring(0, 12));
        assertThat(TestEnv.docker().listVolumesCmd().exec().getVolumes()).noneMatch(v -> v.getName().equals(second));
    }

    @Test
    void anOldContainerThatCannotBeSetAsideServesAgainAndTheSquatterIsLeftAlone() throws Exception {
        TestImages.push(TestImages.webImage("one"), repo + ":stable");
        int port = TestImages.freePort();
        Service s = launch(ref("stable"), port, "always");
        ContainerInfo before = only(redock, s);
        // A container Redock does not manage holds the name the old container would be set aside under.
        String squatter = TestEnv.docker().createContainerCmd(TestImages.baseImage()).withName(s.name() + "-redock-previous")
                .withLabels(TestEnv.runLabels()).exec().getId();

        TestImages.push(TestImages.webImage("two"), repo + ":stable");
        DeployResult r = redock.services().redeploy(s.name());

        assertThat(r.deployment().outcome()).as(r.message()).isEqualTo(Outcome.ROLLED_BACK);
        assertThat(r.deployment().error()).contains("cannot set the old container aside");
        assertThat(r.deployment().versionTried()).as("not the version's fault: polls try it again").isFalse();
        ContainerInfo after = only(redock, s);
        assertThat(after.id()).isEqualTo(before.id());
        assertThat(after.name()).isEqualTo(s.name());
        await().atMost(Duration.ofSeconds(20)).until(() -> TestImages.httpGet(port).contains("one"));
        assertThat(redock.engine().restartPolicy(after.id())).contains(RestartPolicy.parse("always"));
        ContainerInfo untouched = redock.engine().inspect(squatter).orElseThrow();
        assertThat(untouched.name()).isEqualTo(s.name() + "-redock-previous");
        assertThat(untouched.state().status()).isEqualTo("created");
    }

    @Test
    void aUsersRedeployAskedForDuringAPollIsNotTurnedIntoAPoll() throws Exception {
        TestImages.push(TestImages.webImage("one"), repo + ":stable");
        Service s = launch(ref("stable"), TestImages.freePort(), "no");
        // Another process holds the lock; a user asks, then a poll asks: the follow-up is the user's.
        Instant now = Instant.now();
        assertThat(redock.serviceStore().tryLock(s.id(), "1:1@elsewhere#1", now, now.plusSeconds(60))).isTrue();
        assertThat(redock.deployer().redeploy(s.id(), Trigger.MANUAL, null).kind()).isEqualTo(DeployResult.Kind.QUEUED);
        assertThat(redock.deployer().redeploy(s.id(), Trigger.REGISTRY_POLL, null).kind()).isEqualTo(DeployResult.Kind.QUEUED);
        redock.serviceStore().breakLock(s.id(), "1:1@elsewhere#1");

        // Nobody is left to run it: the next poll does, as the user asked (the digest did not move, it redeploys anyway).
        Optional<DeployResult> r = redock.deployer().recover(s.id());
        assertThat(r).isPresent();
        assertThat(r.get().deployment().trigger()).isEqualTo(Trigger.MANUAL);
        assertThat(r.get().deployment().outcome()).isEqualTo(Outcome.SUCCEEDED);
    }

    @Test
    void aLaunchCutShortIsUndoneAndARemovalCutShortIsFinished() throws Exception {
        TestImages.push(TestImages.volumeWebImage("one"), repo + ":stable");
        // A launch whose process stopped after creating the container: no service owns it.
        java.util.UUID id = java.util.UUID.randomUUID();
        String name = TestEnv.uniqueName("half");
        new dev.redock.store.LaunchJournal(redock.database()).begin(id, name, "default", "a process that stopped", Instant.now());
        String orphan = redock.engine().create(name, ref("stable").nameWithTag(), ContainerSpec.empty(),
                Map.of(Labels.SERVICE, id.toString()));
        new dev.redock.store.LaunchJournal(redock.database()).created(id, orphan);
        // A removal whose process stopped before removing the container.
        Service s = launch(ref("stable"), TestImages.freePort(), "no");
        String container = only(redock, s).id();
        redock.serviceStore().markRemoving(s.id(), true);

        List<String> done = redock.services().reconcile();

        assertThat(done).anySatisfy(line -> assertThat(line).contains(name).contains("launch"))
                .anySatisfy(line -> assertThat(line).contains(s.name()).contains("removal"));
        assertThat(redock.engine().inspect(orphan)).isEmpty();
        assertThat(redock.engine().inspect(container)).isEmpty();
        assertThat(redock.serviceStore().find(s.id())).isEmpty();
        assertThat(new dev.redock.store.LaunchJournal(redock.database()).all()).isEmpty();
    }

    @Test
    void closingRedockDuringARedeployLetsItFinishAndKeepsLaterRequests() throws Exception {
        TestImages.push(TestImages.webImage("one"), repo + ":stable");
        int port = TestImages.freePort();
        Service s = launch(ref("stable"), port, "no");
        TestImages.push(TestImages.webImage("two"), repo + ":stable");
        // A minimum uptime long enough that the close below lands in the middle of the readiness wait.
        Redock quitting = new Redock(home, engineSettings(), CredentialStore.anonymous(), new DeployPolicy(Duration.ofMinutes(2),
                Duration.ofMinutes(2), Duration.ofSeconds(30), Duration.ofSeconds(6), Duration.ofSeconds(2)), Failpoints.NONE);
        CompletableFuture<DeployResult> redeploy = CompletableFuture.supplyAsync(() -> quitting.services().redeploy(s.name()));
        await().atMost(Duration.ofSeconds(60)).until(() -> quitting.deploymentStore().unfinished().stream()
                .anyMatch(j -> j.phase() == DeployPhase.READY_WAIT));

        quitting.close(); // what Quit, SIGTERM and Ctrl-C do

        assertThat(redeploy.get(5, TimeUnit.SECONDS).deployment().outcome()).as("not rolled back because Redock stopped")
                .isEqualTo(Outcome.SUCCEEDED);
        assertThat(TestImages.httpGet(port)).contains("two");
        assertThat(redock.deploymentStore().unfinished()).isEmpty();
        // A request that arrives while a Redock stops is kept for the next one, not dropped.
        redock.deployer().beginStop();
        assertThat(redock.deployer().redeploy(s.id(), Trigger.MANUAL, null).kind()).isEqualTo(DeployResult.Kind.QUEUED);
        assertThat(redock.serviceStore().lock(s.id())).isEmpty();
        assertThat(redock.deployer().orphanedFollowUps()).contains(s.id());
    }

    /**
     * A "process" runs a redeploy until it reaches the step and stops there for good, and stops renewing its lock (as a
     * killed process would); another one on the same data folder then takes over after the lease.
     */
    @ParameterizedTest
    @EnumSource(value = DeployPhase.class, names = {"PULLED", "CREATED", "OLD_STOPPED", "OLD_ASIDE", "NEW_NAMED", "NEW_STARTED",
            "READY_WAIT", "COMMITTED", "ROLLING_BACK"})
    void aDeploymentCutShortAtAnyStepIsFinishedOrUndoneByTheNextProcess(DeployPhase step) throws Exception {
        TestImages.push(TestImages.volumeWebImage("one"), repo + ":stable");
        int port = TestImages.freePort();
        cutShortAt(step, launch(ref("stable"), port, "unless-stopped"), port);
    }

    /**
     * The same for a service adopted from a container that {@code docker run} started: until its first redeploy went live,
     * the service's container is the one it was adopted from, which carries no label of Redock's.
     */
    @ParameterizedTest
    @EnumSource(value = DeployPhase.class, names = {"CREATED", "OLD_ASIDE", "NEW_STARTED", "COMMITTED", "ROLLING_BACK"})
    void anAdoptedServicesDeploymentCutShortAtAStepIsFinishedOrUndoneToo(DeployPhase step) throws Exception {
        TestImages.push(TestImages.volumeWebImage("one"), repo + ":stable");
        int port = TestImages.freePort();
        String name = TestEnv.uniqueName("adopted");
        var docker = TestEnv.docker();
        var exposed = com.github.dockerjava.api.model.ExposedPort.tcp(80);
        var ports = new com.github.dockerjava.api.model.Ports();
        ports.bind(exposed, com.github.dockerjava.api.model.Ports.Binding.bindIpAndPort("127.0.0.1", port));
        docker.createContainerCmd(ref("stable").nameWithTag()).withName(name).withLabels(TestEnv.runLabels())
                .withExposedPorts(exposed).withStopTimeout(1)
                .withHostConfig(com.github.dockerjava.api.model.HostConfig.newHostConfig().withPortBindings(ports)
                        .withRestartPolicy(com.github.dockerjava.api.model.RestartPolicy.unlessStoppedRestart()))
                .exec();
        docker.startContainerCmd(name).exec();
        Service s = redock.services().adoptions().adopt(dev.redock.service.AdoptRequest.container(null, name, false)).get(0);
        assertThat(s.adopted()).isNotNull();
        cutShortAt(step, s, port);
    }

    private void cutShortAt(DeployPhase step, Service s, int port) throws Exception {
        TestImages.exec(only(redock, s).id(), "sh", "-c", "echo keep-me > /data/note");
        String next = step == DeployPhase.ROLLING_BACK ? TestImages.crashingVolumeImage() : TestImages.volumeWebImage("two");
        TestImages.push(next, repo + ":stable");

        Failpoints stopHere = new Failpoints(Set.of(step), Set.of());
        Redock stopped = track(new Redock(home, engineSettings(), CredentialStore.anonymous(), POLICY, stopHere));
        CompletableFuture.runAsync(() -> stopped.deployer().redeploy(s.id(), Trigger.MANUAL, null));
        // Stopped at the step, its engine calls for it made (the journal names a step before they are), and journalled there.
        await().atMost(Duration.ofSeconds(60)).until(() -> stopHere.pausedAt(step) && redock.deploymentStore().unfinished()
                .stream().anyMatch(j -> j.serviceId().equals(s.id()) && j.phase() == step));
        stopped.deployer().lock().close(); // it no longer renews its lease, as if it had been killed

        Instant leaseOut = Instant.now().plus(POLICY.lockLease());
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                .until(() -> !redock.services().reconcile().isEmpty() || redock.deploymentStore().unfinished().isEmpty());
        assertThat(Instant.now()).as("taken over only once the lease ran out").isAfter(leaseOut.minusMillis(500));

        assertThat(redock.deploymentStore().unfinished()).isEmpty();
        ContainerInfo now = only(redock, s);
        assertThat(now.name()).isEqualTo(s.name());
        assertThat(now.state().running()).isTrue();
        assertThat(data(now)).as("the volume's data").isEqualTo("keep-me");
        Deployment d = redock.services().history(s.id(), 1).get(0);
        String page = awaitPage(port);
        if (step == DeployPhase.NEW_STARTED || step == DeployPhase.READY_WAIT || step == DeployPhase.COMMITTED) {
            assertThat(d.outcome()).as(d.error()).isEqualTo(Outcome.SUCCEEDED);
            assertThat(page).contains("two");
        } else if (step == DeployPhase.ROLLING_BACK) {
            assertThat(d.outcome()).as(d.error()).isEqualTo(Outcome.ROLLED_BACK);
            assertThat(page).contains("one");
        } else {
            assertThat(d.outcome()).as(d.error()).isEqualTo(Outcome.INTERRUPTED);
            assertThat(d.versionTried()).isFalse();
            assertThat(page).contains("one");
        }
        assertThat(d.error()).contains("interrupted at " + step.step());
        assertThat(redock.engine().restartPolicy(now.id())).contains(RestartPolicy.parse("unless-stopped"));
        for (String leftover : List.of(s.name() + "-redock-next", s.name() + "-redock-previous")) {
            assertThat(redock.engine().inspect(leftover)).as(leftover).isEmpty();
        }
        redock.services().remove(s.name(), true);
    }

    private static String awaitPage(int port) {
        String[] page = new String[1];
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            page[0] = TestImages.httpGet(port);
            return page[0] != null && !page[0].isBlank();
        });
        return page[0];
    }

    private static EngineSettings engineSettings() {
        return EngineSettings.defaults().withHost(TestEnv.dockerHost()).withCommonLabels(TestEnv.runLabels());
    }

    /**
     * The volumes that containers of the service mounted between then and then, from the engine's own events: another
     * test's volumes, made meanwhile on the same engine, are not among them.
     */
    private static List<String> volumesMounted(Service s, Instant since, Instant until) throws InterruptedException {
        Set<String> containers = new HashSet<>();
        List<String[]> mounts = new ArrayList<>(); // {volume, the container that mounted it}
        var callback = new ResultCallback.Adapter<Event>() {
            @Override
            public void onNext(Event e) {
                Map<String, String> attributes = e.getActor() == null || e.getActor().getAttributes() == null ? Map.of()
                        : e.getActor().getAttributes();
                synchronized (mounts) {
                    if (e.getType() == EventType.CONTAINER && "create".equals(e.getAction())
                            && s.id().toString().equals(attributes.get(Labels.SERVICE))) {
                        containers.add(e.getActor().getId());
                    } else if (e.getType() == EventType.VOLUME && "mount".equals(e.getAction())
                            && attributes.get("container") != null) {
                        mounts.add(new String[] {e.getActor().getId(), attributes.get("container")});
                    }
                }
            }
        };
        TestEnv.docker().eventsCmd().withSince(String.valueOf(since.getEpochSecond()))
                .withUntil(String.valueOf(until.getEpochSecond())).exec(callback);
        callback.awaitCompletion(10, TimeUnit.SECONDS);
        synchronized (mounts) {
            return mounts.stream().filter(m -> containers.contains(m[1])).map(m -> m[0]).distinct().toList();
        }
    }
}
