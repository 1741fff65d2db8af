package dev.redock.git;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import dev.redock.engine.OptionalAgentConnectorFactory;
import dev.redock.model.BuildProgress;
import dev.redock.model.CommitInfo;
import dev.redock.model.GitSource;
import dev.redock.testenv.GitRepos;
import dev.redock.testenv.TestEnv;
import dev.redock.testenv.TestSshAgent;
import dev.redock.testenv.TestSshServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code ssh://} remotes through a real OpenSSH server on 127.0.0.1, signing in with a key that only a real
 * {@code ssh-agent} holds (no key file is anywhere JGit looks), or, when that agent is gone, with a key file in
 * {@code ~/.ssh} as {@code ssh} would. The ssh setup is the app's own ({@link GitSsh#forHome}: JGit's session factory
 * with the agent made optional), pointed at a temporary home whose {@code .ssh/config} names the agent
 * ({@code IdentityAgent}) and whose {@code known_hosts} has the server's key: the user's own {@code ~/.ssh} is never read
 * or written.
 *
 * <p>Needs sshd and ssh-agent (apt packages openssh-server and openssh-client): without them the tests fail and name
 * {@value TestEnv#SETUP_COMMAND}, which installs them.
 */
class SshRemoteTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    /** What to close after each test, last started first. */
    private final List<AutoCloseable> started = new ArrayList<>();
    private TestSshServer server;
    private TestSshAgent agent;
    private GitRepos repo;
    private Path sshDir;
    /** A key the server takes too, that no agent holds: copied into {@code ~/.ssh} by the tests that want a key file. */
    private Path fileKey;
    private GitSsh ssh;
    private String url;

    @BeforeAll
    static void openSshIsInstalled() {
        TestSshServer.requireInstalled(TestSshAgent.SSH_AGENT, TestSshAgent.SSH_ADD);
    }

    @BeforeEach
    void setUp() throws IOException {
        Path key = TestSshServer.generateKey(dir.resolve("keys"), "agent-only");
        fileKey = TestSshServer.generateKey(dir.resolve("keys"), "id_ed25519");
        agent = started(TestSshAgent.start(dir.resolve("agent")));
        agent.add(key);
        server = started(TestSshServer.start(dir.resolve("sshd"),
                List.of(Path.of(key + ".pub"), Path.of(fileKey + ".pub"))));
        Files.delete(key); // from here on, only the agent has it
        repo = started(GitRepos.create(dir.resolve("git")));
        url = "ssh://root@" + server.address() + repo.bare().toAbsolutePath();

        Path home = dir.resolve("home");
        sshDir = Files.createDirectories(home.resolve(".ssh"));
        ssh = started(GitSsh.forHome(home));
    }

    private <T extends AutoCloseable> T started(T thing) {
        started.add(0, thing);
        return thing;
    }

    @AfterEach
    void stopEverything() throws Exception {
        Exception failure = null;
        for (AutoCloseable thing : started) {
            try {
                thing.close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        started.clear();
        if (failure != null) {
            throw failure;
        }
    }

    /** Writes the temporary home's {@code .ssh/config} (naming the agent's socket) and {@code .ssh/known_hosts}. */
    private void writeSshConfig(Path identityAgent, String... knownHosts) throws IOException {
        Files.writeString(sshDir.resolve("config"), "IdentityAgent " + identityAgent + "\n", StandardCharsets.UTF_8);
        StringBuilder lines = new StringBuilder();
        for (String line : knownHosts) {
            lines.append(line).append('\n');
        }
        Files.writeString(sshDir.resolve("known_hosts"), lines.toString(), StandardCharsets.UTF_8);
    }

    /** Puts the key the server takes (and no agent holds) where ssh looks for one: {@code ~/.ssh/id_ed25519}. */
    private void addKeyFile() throws IOException {
        Files.copy(fileKey, sshDir.resolve("id_ed25519"), StandardCopyOption.COPY_ATTRIBUTES);
        Files.copy(Path.of(fileKey + ".pub"), sshDir.resolve("id_ed25519.pub"), StandardCopyOption.COPY_ATTRIBUTES);
    }

    /** What the agent connector logs from here until the test ends. */
    private ListAppender<ILoggingEvent> captureLog() {
        Logger logger = (Logger) LoggerFactory.getLogger(OptionalAgentConnectorFactory.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        started(() -> logger.detachAppender(appender));
        return appender;
    }

    private GitRemotes remotes() {
        return new GitRemotes(new GitCredentialHelper(), TIMEOUT, ssh);
    }

    @Test
    void readsABranchHeadWithAKeyOnlyTheAgentHolds() throws Exception {
        String sha = repo.commit("main", Map.of("index.html", "v1"), "First page");
        writeSshConfig(agent.socket(), server.knownHostsLine());

        assertThat(remotes().head(url, "main")).isEqualTo(sha);
        assertThat(server.logText()).contains("Accepted publickey for root");
        try (var files = Files.list(sshDir)) {
            assertThat(files.map(f -> f.getFileName().toString())).as("no key file JGit could read")
                    .containsExactlyInAnyOrder("config", "known_hosts");
        }
    }

    @Test
    void fetchesACommitIntoTheSourceCacheThroughTheAgent() throws Exception {
        repo.commit("main", Map.of("index.html", "v1"), "First page");
        String two = repo.commit("main", Map.of("index.html", "v2"), "Second page");
        writeSshConfig(agent.socket(), server.knownHostsLine());
        SourceCache cache = new SourceCache(dir.resolve("data/git-cache"), new GitCredentialHelper(), TIMEOUT, ssh);

        CommitInfo info = cache.fetch(GitSource.of(url, "main"), two, BuildProgress.NONE);

        assertThat(info).isEqualTo(new CommitInfo(two, "Ada Tester <ada@example.test>", "Second page"));
    }

    @Test
    void saysAuthenticationFailedWhenTheAgentHoldsNoKeyTheServerTakes() throws Exception {
        repo.commit("main", Map.of("index.html", "v1"), "First page");
        TestSshAgent empty = started(TestSshAgent.start(dir.resolve("empty")));
        writeSshConfig(empty.socket(), server.knownHostsLine());

        assertThatThrownBy(() -> remotes().head(url, "main"))
                .isInstanceOfSatisfying(GitException.class, e -> assertThat(e.affectsRemote()).isTrue())
                .hasMessageStartingWith("cannot reach " + url + ": authentication failed")
                .hasMessageContaining("the server accepted none of the keys offered")
                .hasMessageNotContaining("does not answer");
    }

    @Test
    void signsInWithTheKeyFileWhenTheAgentIsGoneAndSaysSoOnce() throws Exception {
        String sha = repo.commit("main", Map.of("index.html", "v1"), "First page");
        writeSshConfig(agent.socket(), server.knownHostsLine());
        addKeyFile();
        agent.close();
        assertThat(agent.socket()).doesNotExist();
        ListAppender<ILoggingEvent> log = captureLog();

        GitRemotes remotes = remotes();
        assertThat(remotes.head(url, "main")).isEqualTo(sha);
        assertThat(remotes.head(url, "main")).as("asked again").isEqualTo(sha);

        assertThat(server.logText()).contains("Accepted publickey for root");
        assertThat(log.list).as("one warning for the two logins").singleElement().satisfies(event -> {
            assertThat(event.getLevel()).isEqualTo(Level.WARN);
            assertThat(event.getFormattedMessage()).startsWith("SSH agent at " + agent.socket() + " does not answer")
                    .endsWith("using the key files in ~/.ssh");
        });
    }

    @Test
    void signsInWithTheKeyFileWhenNoAgentListensOnTheSocketLeftBehind() throws Exception {
        String sha = repo.commit("main", Map.of("index.html", "v1"), "First page");
        Path stale = dir.resolve("stale.sock");
        try (ServerSocketChannel gone = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            gone.bind(UnixDomainSocketAddress.of(stale)); // closing it leaves the socket file, as a killed agent does
        }
        assertThat(stale).exists();
        writeSshConfig(stale, server.knownHostsLine());
        addKeyFile();

        assertThat(remotes().head(url, "main")).isEqualTo(sha);
        assertThat(server.logText()).contains("Accepted publickey for root");
    }

    /**
     * With the agent gone and no key file, nothing can sign in: the failure says so, and names the agent that did not
     * answer (its keys were never offered), which a stale {@code SSH_AUTH_SOCK} would otherwise hide.
     */
    @Test
    void saysAuthenticationFailedAndNamesTheAgentWhenItIsGoneAndThereIsNoKeyFile() throws Exception {
        repo.commit("main", Map.of("index.html", "v1"), "First page");
        writeSshConfig(agent.socket(), server.knownHostsLine());
        agent.close();
        assertThat(agent.socket()).doesNotExist();

        assertThatThrownBy(() -> remotes().head(url, "main"))
                .isInstanceOfSatisfying(GitException.class, e -> assertThat(e.affectsRemote()).isTrue())
                .hasMessageStartingWith("cannot reach " + url + ": authentication failed")
                .hasMessageContaining("the server accepted none of the keys offered")
                .hasMessageContaining("the SSH agent at " + agent.socket() + " (named by SSH_AUTH_SOCK, or IdentityAgent"
                        + " in ~/.ssh/config) does not answer, so only the key files were offered");
    }

    @Test
    void refusesAServerWhoseHostKeyIsNotInKnownHosts() throws Exception {
        repo.commit("main", Map.of("index.html", "v1"), "First page");
        writeSshConfig(agent.socket());

        assertThatThrownBy(() -> remotes().head(url, "main"))
                .isInstanceOfSatisfying(GitException.class, e -> assertThat(e.affectsRemote()).isTrue())
                .hasMessageStartingWith("cannot reach " + url + ": the server's host key is not in known_hosts")
                .hasMessageContaining("~/.ssh/known_hosts");
        assertThat(server.logText()).doesNotContain("Accepted publickey");
        assertThat(sshDir.resolve("known_hosts")).as("nothing accepted on the user's behalf").isEmptyFile();
    }
}
