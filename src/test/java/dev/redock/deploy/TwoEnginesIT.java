package dev.redock.deploy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import dev.redock.app.Redock;
import dev.redock.model.ContainerSpec;
import dev.redock.model.EngineStatus;
import dev.redock.model.ImageRef;
import dev.redock.model.PortBinding;
import dev.redock.model.RestartPolicy;
import dev.redock.model.Service;
import dev.redock.model.ServiceStatus;
import dev.redock.model.VolumeBinding;
import dev.redock.schedule.Scheduler;
import dev.redock.service.LaunchRequest;
import dev.redock.testenv.DockerTest;
import dev.redock.testenv.Redocks;
import dev.redock.testenv.RegistryLog;
import dev.redock.testenv.TestDockerd;
import dev.redock.testenv.TestEnv;
import dev.redock.testenv.TestImages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One Redock with services on two engines: the user's (the tests' first engine) and a second {@code dockerd} of the tests'
 * own, which this test stops and starts again. A push to a tag both follow redeploys both at one registry request per
 * cycle; an engine that stops holds up only its own services, which say why, and are caught up once it is back.
 */
@ExtendWith(DockerTest.class)
class TwoEnginesIT {

    private static final Duration DEPLOYMENT = Duration.ofSeconds(90);

    private static TestDockerd second;

    @TempDir
    Path home;

    private Redock redock;
    private String repo;

    @BeforeAll
    static void startSecondEngine() {
        second = TestDockerd.start();
    }

    @AfterAll
    static void stopSecondEngine() {
        if (second != null) {
            second.close();
        }
    }

    @BeforeEach
    void open() {
        redock = Redocks.open(home);
        repo = TestEnv.uniqueName("it/two-engines");
    }

    @AfterEach
    void close() {
        redock.close();
    }

    @Test
    void followsOneTagOnTwoEnginesAndAnEngineThatStopsHoldsUpOnlyItsOwnServices() throws Exception {
        EngineStatus added = redock.core().engines().add("second", second.host().toString(), null);
        assertThat(added.reachable()).as(added.describeState()).isTrue();

        TestImages.push(TestImages.webImage("one"), repo + ":stable");
        int homePort = TestImages.freePort();
        int secondPort = TestImages.freePort();
        Service onHome = launch(TestEnv.uniqueName("home"), homePort, null);
        Service onSecond = launch(TestEnv.uniqueName("far"), secondPort, "second");
        assertThat(onHome.engine()).isEqualTo(Service.DEFAULT_ENGINE);
        assertThat(onSecond.engine()).isEqualTo("second");
        assertThat(second.docker().listContainersCmd().exec()).as("the second engine runs its service")
                .anyMatch(c -> List.of(c.getNames()).contains("/" + onSecond.name()));
        assertThat(TestImages.httpGet(homePort)).contains("one");
        assertThat(TestImages.httpGet(secondPort)).contains("one");
        TestImages.exec(redock.services().container(onHome).orElseThrow().name(), "sh", "-c", "echo kept > /data/file");
        writeOnSecond(onSecond, "kept");

        Scheduler scheduler = redock.scheduler(Duration.ofHours(1));
        RegistryLog log = TestEnv.registryLog();
        String manifest = "/v2/" + repo + "/manifests/stable";

        // A push: one registry request in the cycle, and both services follow it, each on its own engine.
        String v2 = TestImages.push(TestImages.webImage("two"), repo + ":stable");
        log.awaitLogged("HEAD", manifest);
        RegistryLog.Mark beforeCycle = log.mark();
        assertThat(scheduler.pollOnce().redeploying()).containsExactlyInAnyOrder(onHome.name(), onSecond.name());
        awaitDigest(onHome, v2);
        awaitDigest(onSecond, v2);
        log.awaitLogged("HEAD", manifest);
        assertThat(log.countSince(beforeCycle, "HEAD", manifest)).as("one HEAD per tag per cycle, across engines").isEqualTo(1);
        assertThat(TestImages.httpGet(homePort)).contains("two");
        assertThat(TestImages.httpGet(secondPort)).contains("two");

        // The second engine stops: the first one's service goes on following its tag; the second one's says why it waits.
        second.stop();
        String v3 = TestImages.push(TestImages.webImage("three"), repo + ":stable");
        assertThat(scheduler.pollOnce().redeploying()).containsExactly(onHome.name());
        awaitDigest(onHome, v3);
        assertThat(TestImages.httpGet(homePort)).contains("three");
        var view = redock.services().view(redock.services().get(onSecond.name()));
        assertThat(view.status()).isEqualTo(ServiceStatus.UNREACHABLE);
        assertThat(view.detail()).startsWith("engine \"second\" unreachable: ");
        assertThat(scheduler.problem(onSecond)).hasValueSatisfying(p -> assertThat(p).contains("engine \"second\" unreachable"));
        assertThat(redock.core().engines().check("second").reachable()).isFalse();
        assertThat(redock.services().history(onSecond.id(), 10)).as("nothing was tried on the stopped engine").hasSize(2);

        // It is back: its service is caught up at the next cycle, its volume's data intact.
        second.startAgain();
        assertThat(scheduler.pollOnce().redeploying()).containsExactly(onSecond.name());
        awaitDigest(onSecond, v3);
        assertThat(TestImages.httpGet(secondPort)).contains("three");
        assertThat(readOnSecond(onSecond)).isEqualTo("kept");
        assertThat(TestImages.exec(redock.services().container(onHome).orElseThrow().name(), "cat", "/data/file").strip())
                .isEqualTo("kept");
        assertThat(redock.services().view(redock.services().get(onSecond.name())).status()).isEqualTo(ServiceStatus.RUNNING);
        assertThat(scheduler.problem(onSecond)).isEmpty();
    }

    private Service launch(String name, int port, String engine) throws Exception {
        ContainerSpec spec = new ContainerSpec(List.of(new PortBinding("127.0.0.1", port, 80, "tcp")), Map.of(),
                List.of(new VolumeBinding(name + "-data", "/data", false)), List.of(), RestartPolicy.parse("unless-stopped"),
                Map.of(), List.of(), 1);
        ImageRef image = ImageRef.parse(TestEnv.registry() + "/" + repo + ":stable");
        return redock.services().launch(new LaunchRequest(name, image, spec, true).onEngine(engine), null);
    }

    private void awaitDigest(Service s, String digest) {
        await().atMost(DEPLOYMENT).until(() -> digest.equals(redock.serviceStore().find(s.id()).orElseThrow().digest()));
    }

    private void writeOnSecond(Service s, String text) throws Exception {
        execOnSecond(s, "sh", "-c", "echo " + text + " > /data/file");
    }

    private String readOnSecond(Service s) throws Exception {
        return execOnSecond(s, "cat", "/data/file").strip();
    }

    /** Runs a command in the service's container on the second engine and returns its output. */
    private String execOnSecond(Service s, String... command) throws Exception {
        var docker = second.docker();
        String exec = docker.execCreateCmd(s.name()).withCmd(command).withAttachStdout(true).withAttachStderr(true).exec().getId();
        var out = new java.io.ByteArrayOutputStream();
        docker.execStartCmd(exec).exec(new com.github.dockerjava.api.async.ResultCallback.Adapter<com.github.dockerjava.api.model.Frame>() {
            @Override
            public void onNext(com.github.dockerjava.api.model.Frame frame) {
                out.writeBytes(frame.getPayload());
            }
        }).awaitCompletion(30, java.util.concurrent.TimeUnit.SECONDS);
        return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }
}
