package dev.redock.engine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import dev.redock.model.ContainerInfo;
import dev.redock.model.ContainerSpec;
import dev.redock.testenv.DockerTest;
import dev.redock.testenv.TestEnv;
import dev.redock.testenv.TestImages;
import dev.redock.testenv.TestSshAgent;
import dev.redock.testenv.TestSshServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code ssh://} engines, as the docker CLI reaches them: a real OpenSSH server on 127.0.0.1 runs
 * {@code docker system dial-stdio} for each connection, which reaches the tests' own engine (the server sets
 * {@code DOCKER_HOST} in its sessions). Redock signs in with a temporary home's {@code .ssh} (a key file, or an
 * {@code ssh-agent} named by {@code IdentityAgent}) and its {@code known_hosts}; the user's own {@code ~/.ssh} is never read.
 */
@ExtendWith(DockerTest.class)
class EngineOverSshTest {

    private static final Duration DEADLINE = Duration.ofSeconds(20);

    @TempDir
    static Path shared;
    private static Path key;
    private static TestSshServer server;

    @TempDir
    Path dir;

    @BeforeAll
    static void startSshd() {
        TestSshServer.requireInstalled(TestSshAgent.SSH_AGENT, TestSshAgent.SSH_ADD);
        key = TestSshServer.generateKey(shared.resolve("keys"), "id_ed25519");
        server = TestSshServer.start(shared.resolve("sshd"), List.of(Path.of(key + ".pub")),
                Map.of("DOCKER_HOST", TestEnv.dockerHost().toString()));
    }

    @AfterAll
    static void stopSshd() {
        if (server != null) {
            server.close();
        }
    }

    /** A home whose {@code .ssh} holds the key the server takes (unless none), and these {@code known_hosts} lines. */
    private Path home(Path privateKey, String... knownHosts) throws IOException {
        Path home = dir.resolve("home");
        Path ssh = Files.createDirectories(home.resolve(".ssh"));
        if (privateKey != null) {
            Files.copy(privateKey, ssh.resolve("id_ed25519"), StandardCopyOption.COPY_ATTRIBUTES);
            Files.copy(Path.of(privateKey + ".pub"), ssh.resolve("id_ed25519.pub"), StandardCopyOption.COPY_ATTRIBUTES);
        }
        Files.writeString(ssh.resolve("known_hosts"), String.join("\n", knownHosts) + "\n", StandardCharsets.UTF_8);
        return home;
    }

    private static DockerEngine connect(TestSshServer to, Path home) throws EngineException {
        EngineAddress address = EngineAddress.parse("ssh://root@" + to.address(), null);
        return DockerEngine.connect(EngineSettings.of(address).withHome(home).withCommonLabels(TestEnv.runLabels()));
    }

    /** The private folders of the tunnels open now. */
    private static Set<Path> tunnelFolders() throws IOException {
        try (Stream<Path> all = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return all.filter(p -> p.getFileName().toString().startsWith("redock-ssh-")).collect(Collectors.toSet());
        }
    }

    @Test
    void runsAContainerOnTheEngineBehindSshAndClosesTheTunnelWithIt() throws Exception {
        String image = TestImages.webImage("over ssh");
        Path home = home(key, server.knownHostsLine());
        Set<Path> before = tunnelFolders();

        try (DockerEngine engine = connect(server, home)) {
            engine.ping();
            assertThat(engine.version().product()).isEqualTo("Docker");
            assertThat(engine.describeHost()).isEqualTo("ssh://root@" + server.address());
            assertThat(tunnelFolders()).hasSize(before.size() + 1);

            String id = engine.create(TestEnv.uniqueName("over-ssh"), image, ContainerSpec.empty(), Map.of());
            try {
                engine.start(id);
                assertThat(engine.awaitReady(id, DEADLINE, Duration.ofMillis(300)).ready()).isTrue();
                assertThat(engine.listByLabel(TestEnv.RUN_LABEL, TestEnv.runId())).extracting(ContainerInfo::id).contains(id);
                // The very engine the tests use, reached the other way.
                assertThat(TestEnv.docker().inspectContainerCmd(id).exec().getState().getRunning()).isTrue();
            } finally {
                engine.remove(id);
            }
        }
        assertThat(tunnelFolders()).isEqualTo(before);
    }

    @Test
    void signsInWithTheKeyAnSshAgentHolds() throws Exception {
        try (TestSshAgent agent = TestSshAgent.start(dir.resolve("agent"))) {
            agent.add(key);
            Path home = home(null, server.knownHostsLine());
            Files.writeString(home.resolve(".ssh").resolve("config"), "IdentityAgent " + agent.socket() + "\n");

            try (DockerEngine engine = connect(server, home)) {
                engine.ping();
            }
        }
    }

    @Test
    void refusesAHostKeyItHasNotSeen() throws Exception {
        try (DockerEngine engine = connect(server, home(key))) {
            assertThatThrownBy(engine::ping)
                    .isInstanceOf(EngineUnavailableException.class)
                    .hasMessageStartingWith("Docker engine at ssh://root@" + server.address() + " is unreachable: the host key of [127.0.0.1]:"
                            + server.port() + " (SHA256:")
                    .hasMessageContaining("is unknown")
                    .hasMessageContaining("Run `ssh -p " + server.port() + " root@127.0.0.1` once");
        }
    }

    @Test
    void refusesAHostKeyThatChanged() throws Exception {
        Path other = TestSshServer.generateKey(dir.resolve("keys"), "other_host_key");
        String[] otherKey = Files.readString(Path.of(other + ".pub")).strip().split("\\s+");
        String staleLine = "[127.0.0.1]:" + server.port() + " " + otherKey[0] + " " + otherKey[1];

        try (DockerEngine engine = connect(server, home(key, staleLine))) {
            assertThatThrownBy(engine::ping)
                    .isInstanceOf(EngineUnavailableException.class)
                    .hasMessageContaining("the host key of [127.0.0.1]:" + server.port() + " has CHANGED")
                    .hasMessageContaining("ssh-keygen -R '[127.0.0.1]:" + server.port() + "'");
        }
    }

    @Test
    void saysWhenTheHostTakesNoneOfItsKeys() throws Exception {
        Path stranger = TestSshServer.generateKey(dir.resolve("keys"), "stranger");

        try (DockerEngine engine = connect(server, home(stranger, server.knownHostsLine()))) {
            assertThatThrownBy(engine::ping)
                    .isInstanceOf(EngineUnavailableException.class)
                    .hasMessageContaining("refused every key Redock offered");
        }
    }

    @Test
    void saysWhenTheHostHasNoDockerCommand() throws Exception {
        try (TestSshServer bare = TestSshServer.start(dir.resolve("sshd"), List.of(Path.of(key + ".pub")),
                Map.of("PATH", "/nonexistent"))) {
            try (DockerEngine engine = connect(bare, home(key, bare.knownHostsLine()))) {
                assertThatThrownBy(engine::ping)
                        .isInstanceOf(EngineUnavailableException.class)
                        .hasMessageContaining("has no docker command for `docker system dial-stdio`");
            }
        }
    }
}
