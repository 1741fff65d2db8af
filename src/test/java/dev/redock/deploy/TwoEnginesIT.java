package dev.redock.deploy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
import dev.redock.cli.CliRunner;
import dev.redock.engine.EngineSettings;
import dev.redock.registry.CredentialStore;
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
import dev.redock.testenv.DockerCli;
import dev.redock.testenv.DockerTest;
import dev.redock.testenv.Redocks;
import dev.redock.testenv.RegistryLog;
import dev.redock.testenv.TestCertificates;
import dev.redock.testenv.TestDockerd;
import dev.redock.testenv.TestEnv;
import dev.redock.testenv.TestImages;
import dev.redock.testenv.TestSshServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One Redock with services on several engines: the user's (the tests' first engine) and a second {@code dockerd} of the
 * tests' own, which these tests stop and start again, reached by its socket, over verified TLS, over ssh (a real sshd on
 * 127.0.0.1 whose docker CLI dials it) and as the engine of the docker context {@code docker context use} chose. A push to
 * a tag followed on two engines redeploys both at one registry request per cycle; an engine that stops holds up only its
 * own services, which say why, and are caught up once it is back.
 */
@ExtendWith(DockerTest.class)
class TwoEnginesIT {

    private static final Duration DEPLOYMENT = Duration.ofSeconds(90);

    private static TestDockerd second;
    private static TestCertificates certs;
    private static TestSshServer sshd;
    private static Path sshKey;

    @TempDir
    static Path shared;
    @TempDir
    Path home;

    private Redock redock;
    private String repo;

    @BeforeAll
    static void startSecondEngine() {
        certs = TestCertificates.make(shared.resolve("tls"));
        second = TestDockerd.startWithTls(certs.caCert(), certs.serverCert(), certs.serverKey());
        // An ssh host whose docker CLI reaches the second engine, as a remote host's reaches its own.
        sshKey = TestSshServer.generateKey(shared.resolve("keys"), "id_ed25519");
        sshd = TestSshServer.start(shared.resolve("sshd"), List.of(Path.of(sshKey + ".pub")),
                Map.of("DOCKER_HOST", second.host().toString()));
    }

    @AfterAll
    static void stopSecondEngine() {
        if (sshd != null) {
            sshd.close();
        }
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

    @Test
    void launchesAndRedeploysOnEnginesReachedOverVerifiedTlsAndOverSsh() throws Exception {
        // Redock signs in to ssh hosts as the user whose home this is: its key, and the host's key as known.
        Path user = Files.createDirectories(home.resolve("user/.ssh")).getParent();
        Files.copy(sshKey, user.resolve(".ssh/id_ed25519"), StandardCopyOption.COPY_ATTRIBUTES);
        Files.writeString(user.resolve(".ssh/known_hosts"), sshd.knownHostsLine() + "\n");
        redock.close();
        redock = new Redock(home.resolve("data"), EngineSettings.defaults().withHost(TestEnv.dockerHost())
                .withCommonLabels(TestEnv.runLabels()).withHome(user), CredentialStore.anonymous(), Redocks.TEST_POLICY);

        EngineStatus tls = redock.core().engines().add("tls", second.tlsHost().toString(), certs.clientDir().toString());
        assertThat(tls.reachable()).as(tls.describeState()).isTrue();
        assertThat(tls.address()).isEqualTo(second.tlsHost() + " (TLS)");
        EngineStatus ssh = redock.core().engines().add("ssh", "ssh://root@" + sshd.address(), null);
        assertThat(ssh.reachable()).as(ssh.describeState()).isTrue();
        EngineStatus strange = redock.core().engines().add("strange", second.tlsHost().toString(),
                certs.wrongCaDir().toString());
        assertThat(strange.reachable()).as("an engine whose certificate another CA signed is refused").isFalse();

        TestImages.push(TestImages.webImage("one"), repo + ":stable");
        int tlsPort = TestImages.freePort();
        int sshPort = TestImages.freePort();
        Service overTls = launch(TestEnv.uniqueName("tls"), tlsPort, "tls");
        Service overSsh = launch(TestEnv.uniqueName("ssh"), sshPort, "ssh");
        assertThat(TestImages.httpGet(tlsPort)).contains("one");
        assertThat(TestImages.httpGet(sshPort)).contains("one");

        String v2 = TestImages.push(TestImages.webImage("two"), repo + ":stable");
        assertThat(redock.services().redeploy(overTls.name()).message()).contains(overTls.name());
        assertThat(redock.services().redeploy(overSsh.name()).message()).contains(overSsh.name());
        awaitDigest(overTls, v2);
        awaitDigest(overSsh, v2);
        assertThat(TestImages.httpGet(tlsPort)).contains("two");
        assertThat(TestImages.httpGet(sshPort)).contains("two");
        assertThat(second.docker().listContainersCmd().exec()).extracting(c -> c.getNames()[0])
                .contains("/" + overTls.name(), "/" + overSsh.name());
    }

    @Test
    void launchesOnTheEngineOfTheDockerContextChosenWithDockerContextUse() throws Exception {
        DockerCli docker = DockerCli.on(home.resolve("docker-config"));
        docker.run("context", "create", "second", "--docker", "host=" + second.host());
        docker.run("context", "use", "second");
        TestImages.push(TestImages.webImage("one"), repo + ":stable");
        String name = TestEnv.uniqueName("ctx");
        int port = TestImages.freePort();

        CliRunner cli = new CliRunner(home.resolve("cli")).without("DOCKER_HOST")
                .with("DOCKER_CONFIG", docker.configDir().toString());
        CliRunner.Result run = cli.run("service", "run", "--name", name, "-p", "127.0.0.1:" + port + ":80",
                TestEnv.registry() + "/" + repo + ":stable");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(second.docker().listContainersCmd().exec()).as("the context's engine runs it")
                .anyMatch(c -> List.of(c.getNames()).contains("/" + name));
        assertThat(TestEnv.docker().listContainersCmd().withShowAll(true).exec()).as("not the engine DOCKER_HOST would say")
                .noneMatch(c -> List.of(c.getNames()).contains("/" + name));
        assertThat(TestImages.httpGet(port)).contains("one");
        CliRunner.Result engines = cli.run("engine", "ls");
        assertThat(engines.out()).containsPattern("default \\*\\s+" + java.util.regex.Pattern.quote(second.host().toString())
                + " \\(docker context \"second\"\\)\\s+connected: Docker");
        assertThat(cli.run("service", "rm", name).exitCode()).isZero();
    }

    private Service launch(String name, int port, String engine) throws Exception {
        ContainerSpec spec = new ContainerSpec(List.of(new PortBinding("127.0.0.1", port, 80, "tcp")), Map.of(),
                // On the tests' first engine a volume of the run's (labelled, so the run's clean-up takes it); the second
                // engine goes with its data.
                List.of(new VolumeBinding(engine == null ? TestEnv.createVolume(name + "-data") : name + "-data", "/data", false)),
                List.of(), RestartPolicy.parse("unless-stopped"),
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
