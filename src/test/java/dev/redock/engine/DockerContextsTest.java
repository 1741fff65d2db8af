package dev.redock.engine;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.redock.engine.DockerContexts.ContextEntry;
import dev.redock.engine.DockerContexts.Resolved;
import dev.redock.testenv.DockerCli;
import dev.redock.testenv.TestCertificates;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Which engine Redock picks from the docker CLI's configuration, in folders the real {@code docker} CLI has written: each
 * test has its own {@code DOCKER_CONFIG}, where {@code docker context create} and {@code docker context use} make the
 * contexts, and Redock reads them with the environment the test gives it (never this process's own, never the user's
 * {@code ~/.docker}). No engine is needed: choosing one does not talk to it.
 */
class DockerContextsTest {

    private static final String REMOTE = "ssh://deploy@192.0.2.7:2222";

    @TempDir
    static Path shared;
    private static TestCertificates certs;

    @TempDir
    Path dir;
    private Path config;

    @BeforeAll
    static void makeCertificates() {
        DockerCli.on(shared.resolve("docker-config"));
        certs = TestCertificates.make(shared.resolve("tls"));
    }

    @BeforeEach
    void emptyConfiguration() throws IOException {
        config = Files.createDirectories(dir.resolve("docker-config"));
    }

    /** The environment Redock is given: this test's DOCKER_CONFIG and home, and the variables named. */
    private Map<String, String> env(String... pairs) {
        Map<String, String> env = new HashMap<>();
        env.put("HOME", dir.toString());
        env.put("DOCKER_CONFIG", config.toString());
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return env;
    }

    private Resolved current(String... pairs) throws EngineException {
        return DockerContexts.of(env(pairs)).current();
    }

    @Test
    void withNothingChosenItIsTheDefaultSocket() throws EngineException {
        Resolved resolved = current();

        assertThat(resolved.address()).isEqualTo(EngineAddress.defaultSocket());
        assertThat(resolved.source()).isEqualTo("the default socket");
    }

    @Test
    void theContextChosenWithDockerContextUseIsUsed() throws EngineException {
        docker("context", "create", "remote", "--docker", "host=" + REMOTE);
        docker("context", "use", "remote");

        Resolved resolved = current();

        assertThat(resolved.address()).isEqualTo(EngineAddress.of(URI.create(REMOTE)));
        assertThat(resolved.address().scheme()).isEqualTo("ssh");
        assertThat(resolved.source()).isEqualTo("docker context \"remote\"");
    }

    @Test
    void dockerContextOverridesTheContextInUse() throws EngineException {
        docker("context", "create", "remote", "--docker", "host=" + REMOTE);
        docker("context", "create", "local", "--docker", "host=unix:///run/other/docker.sock");
        docker("context", "use", "local");

        Resolved resolved = current("DOCKER_CONTEXT", "remote");

        assertThat(resolved.address().host()).isEqualTo(URI.create(REMOTE));
        assertThat(resolved.source()).isEqualTo("docker context \"remote\" (DOCKER_CONTEXT)");
    }

    @Test
    void dockerHostWinsOverEveryContext() throws EngineException {
        docker("context", "create", "remote", "--docker", "host=" + REMOTE);
        docker("context", "use", "remote");

        Resolved resolved = current("DOCKER_HOST", "tcp://192.0.2.9:2375", "DOCKER_CONTEXT", "remote");

        assertThat(resolved.address()).isEqualTo(EngineAddress.of(URI.create("tcp://192.0.2.9:2375")));
        assertThat(resolved.source()).isEqualTo("DOCKER_HOST");
    }

    @Test
    void theContextDefaultIsNoContext() throws EngineException {
        docker("context", "create", "remote", "--docker", "host=" + REMOTE);
        docker("context", "use", "remote");

        assertThat(current("DOCKER_CONTEXT", "default").address()).isEqualTo(EngineAddress.defaultSocket());
        assertThat(current("DOCKER_CONTEXT", "default", "DOCKER_HOST", "unix:///run/x.sock").address().host())
                .isEqualTo(URI.create("unix:///run/x.sock"));
        docker("context", "use", "default");
        assertThat(current().source()).isEqualTo("the default socket");
    }

    @Test
    void aContextNamedInDockerContextThatDoesNotExistIsRefused() {
        assertThatThrownBy(() -> current("DOCKER_CONTEXT", "nope"))
                .isInstanceOf(EngineException.class)
                .hasMessage("docker context \"nope\" does not exist (DOCKER_CONTEXT); \"docker context ls\" lists them");
    }

    @Test
    void aContextInUseThatDoesNotExistHereIsRefused() throws IOException {
        // A config.json brought from another machine, without that machine's contexts.
        Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
        dockerIn(elsewhere, "context", "create", "gone", "--docker", "host=" + REMOTE);
        dockerIn(elsewhere, "context", "use", "gone");
        Files.copy(elsewhere.resolve("config.json"), config.resolve("config.json"));

        assertThatThrownBy(this::current)
                .isInstanceOf(EngineException.class)
                .hasMessageStartingWith("docker context \"gone\" does not exist (currentContext in "
                        + config.resolve("config.json"))
                .hasMessageEndingWith("\"docker context ls\" lists them");
        assertThat(DockerContexts.of(env()).list()).extracting(ContextEntry::name).containsExactly("default");
    }

    @Test
    void aContextsTlsFilesAreUsed() throws EngineException {
        Path client = certs.clientDir();
        docker("context", "create", "secure", "--description", "the build box", "--docker",
                "host=tcp://192.0.2.10:2376,ca=" + client.resolve("ca.pem") + ",cert=" + client.resolve("cert.pem")
                        + ",key=" + client.resolve("key.pem"));

        EngineAddress address = DockerContexts.of(env()).context("secure");

        assertThat(address.host()).isEqualTo(URI.create("tcp://192.0.2.10:2376"));
        assertThat(address.tlsDir()).startsWith(config.resolve("contexts").resolve("tls"));
        for (String file : List.of("ca.pem", "cert.pem", "key.pem")) {
            assertThat(address.tlsDir().resolve(file)).hasSameTextualContentAs(client.resolve(file));
        }
        assertThat(address).hasToString("tcp://192.0.2.10:2376 (TLS)");
    }

    @Test
    void dockerTlsVerifyTakesTheCertificatesFromDockerCertPath() throws EngineException {
        Resolved resolved = current("DOCKER_HOST", "tcp://127.0.0.1:2376", "DOCKER_TLS_VERIFY", "1",
                "DOCKER_CERT_PATH", certs.clientDir().toString());

        assertThat(resolved.address().tlsDir()).isEqualTo(certs.clientDir());
        assertThat(resolved.source()).isEqualTo("DOCKER_HOST");
    }

    @Test
    void dockerTlsVerifyWithoutACertPathTakesThemFromTheConfigFolder() throws IOException, EngineException {
        for (String file : List.of("ca.pem", "cert.pem", "key.pem")) {
            Files.copy(certs.clientDir().resolve(file), config.resolve(file));
        }

        assertThat(current("DOCKER_HOST", "tcp://127.0.0.1:2376", "DOCKER_TLS_VERIFY", "1").address().tlsDir())
                .isEqualTo(config);
        assertThat(current("DOCKER_HOST", "tcp://127.0.0.1:2375").address().tls()).isFalse();
    }

    @Test
    void dockerHostDoesNotBorrowTheTlsOfTheContextInUse() throws EngineException {
        Path client = certs.clientDir();
        docker("context", "create", "secure", "--docker", "host=tcp://192.0.2.10:2376,ca=" + client.resolve("ca.pem")
                + ",cert=" + client.resolve("cert.pem") + ",key=" + client.resolve("key.pem"));
        docker("context", "use", "secure");

        assertThat(current("DOCKER_HOST", "tcp://192.0.2.11:2375").address().tls()).isFalse();
    }

    @Test
    void missingTlsFilesAreNamed() {
        assertThatThrownBy(() -> current("DOCKER_HOST", "tcp://127.0.0.1:2376", "DOCKER_TLS_VERIFY", "1"))
                .isInstanceOf(EngineException.class)
                .hasMessageStartingWith("DOCKER_HOST: the TLS folder " + config + " has no ca.pem, cert.pem, key.pem");
    }

    @Test
    void listsTheContextsDockerLists() throws EngineException {
        Path client = certs.clientDir();
        docker("context", "create", "remote", "--description", "the web box", "--docker", "host=" + REMOTE);
        docker("context", "create", "secure", "--docker", "host=tcp://192.0.2.10:2376,ca=" + client.resolve("ca.pem")
                + ",cert=" + client.resolve("cert.pem") + ",key=" + client.resolve("key.pem"));
        docker("context", "use", "secure");

        List<ContextEntry> entries = DockerContexts.of(env()).list();

        assertThat(entries).extracting(ContextEntry::name)
                .containsExactlyElementsOf(docker("context", "ls", "--format", "{{.Name}}").lines()
                        .map(name -> name.replace(" *", "").strip()).toList());
        assertThat(entries).extracting(ContextEntry::name).containsExactly("default", "remote", "secure");
        assertThat(entries.get(0).address()).isEqualTo(EngineAddress.defaultSocket());
        assertThat(entries.get(1)).isEqualTo(new ContextEntry("remote", EngineAddress.of(URI.create(REMOTE)), "the web box",
                false));
        assertThat(entries.get(2).current()).isTrue();
        assertThat(entries.get(2).address().tls()).isTrue();
        assertThat(entries).filteredOn(ContextEntry::current).hasSize(1);
        assertThat(DockerContexts.of(env("DOCKER_HOST", "unix:///run/x.sock")).list().get(0))
                .isEqualTo(new ContextEntry("default", EngineAddress.of(URI.create("unix:///run/x.sock")),
                        "the engine DOCKER_HOST names", true));
    }

    @Test
    void offersPodmansAndRootlessDockersSocketsThatExist() throws IOException {
        Path runtime = Files.createDirectories(dir.resolve("run"));
        Path podman = Files.createDirectories(runtime.resolve("podman")).resolve("podman.sock");
        try (ServerSocketChannel podmanSocket = listen(podman)) {
            DockerContexts contexts = DockerContexts.of(env("XDG_RUNTIME_DIR", runtime.toString()));

            assertThat(contexts.localSockets()).contains(EngineAddress.of(URI.create("unix://" + podman)))
                    .doesNotContain(EngineAddress.of(URI.create("unix://" + runtime.resolve("docker.sock"))));

            try (ServerSocketChannel rootless = listen(runtime.resolve("docker.sock"))) {
                assertThat(contexts.localSockets()).contains(EngineAddress.of(URI.create("unix://" + podman)),
                        EngineAddress.of(URI.create("unix://" + runtime.resolve("docker.sock"))));
            }
        }
    }

    private static ServerSocketChannel listen(Path socket) throws IOException {
        ServerSocketChannel channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        channel.bind(UnixDomainSocketAddress.of(socket));
        return channel;
    }

    @Nested
    class Addresses {

        @Test
        void takesTheFourSchemes() throws EngineException {
            assertThat(EngineAddress.parse(" unix:///var/run/docker.sock ", null).scheme()).isEqualTo("unix");
            assertThat(EngineAddress.parse("tcp://192.0.2.1:2376", certs.clientDir())).hasToString("tcp://192.0.2.1:2376 (TLS)");
            assertThat(EngineAddress.parse("ssh://me@host", null).scheme()).isEqualTo("ssh");
            assertThat(EngineAddress.parse("ssh://host:2222", null).host().getPort()).isEqualTo(2222);
            assertThat(EngineAddress.parse("npipe:////./pipe/docker_engine", null).scheme()).isEqualTo("npipe");
        }

        @Test
        void namesWhatIsWrong() {
            assertThatThrownBy(() -> EngineAddress.parse("foo", null))
                    .hasMessage("engine address must start with unix://, tcp://, ssh:// or npipe://: foo");
            assertThatThrownBy(() -> EngineAddress.parse("http://host:2375", null))
                    .hasMessage("engine address must start with unix://, tcp://, ssh:// or npipe://: http://host:2375");
            assertThatThrownBy(() -> EngineAddress.parse("unix://var/run/docker.sock", null))
                    .hasMessageStartingWith("a unix:// address names a path after three slashes");
            assertThatThrownBy(() -> EngineAddress.parse("ssh://me@host/var/run/docker.sock", null))
                    .hasMessageStartingWith("an ssh:// address has nothing after the host and port");
            assertThatThrownBy(() -> EngineAddress.parse("unix:///var/run/docker.sock", certs.clientDir()))
                    .hasMessage("TLS is for tcp:// addresses only, not unix:///var/run/docker.sock");
            assertThatThrownBy(() -> EngineAddress.parse("tcp://192.0.2.1:2376", dir))
                    .hasMessageStartingWith("the TLS folder " + dir + " has no ca.pem, cert.pem, key.pem");
        }
    }

    /** Runs the real docker CLI on this test's configuration folder; returns its output. */
    private String docker(String... args) {
        return DockerCli.on(config).run(args);
    }

    private static void dockerIn(Path configDir, String... args) {
        DockerCli.on(configDir).run(args);
    }
}
