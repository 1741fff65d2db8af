package dev.redock.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.eclipse.jgit.transport.sshd.SshdSessionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.redock.engine.BuildProgress;
import dev.redock.model.CommitInfo;
import dev.redock.model.GitSource;
import dev.redock.testenv.GitRepos;
import dev.redock.testenv.TestEnv;
import dev.redock.testenv.TestSshAgent;
import dev.redock.testenv.TestSshServer;

/**
 * {@code ssh://} remotes through a real OpenSSH server on 127.0.0.1, signing in with a key that only a real
 * {@code ssh-agent} holds: no key file is anywhere JGit looks. JGit's session factory is the one the app uses by default
 * ({@link SshdSessionFactory}, with the SSH agent connector that JGit finds through ServiceLoader), pointed at a temporary
 * home whose {@code .ssh/config} names the agent ({@code IdentityAgent}) and whose {@code known_hosts} has the server's key:
 * the user's own {@code ~/.ssh} is never read or written.
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
    private SshdSessionFactory ssh;
    private String url;

    @BeforeAll
    static void openSshIsInstalled() {
        TestSshServer.requireInstalled(TestSshAgent.SSH_AGENT, TestSshAgent.SSH_ADD);
    }

    @BeforeEach
    void setUp() throws IOException {
        Path key = TestSshServer.generateKey(dir.resolve("keys"), "agent-only");
        agent = started(TestSshAgent.start(dir.resolve("agent")));
        agent.add(key);
        server = started(TestSshServer.start(dir.resolve("sshd"), List.of(Path.of(key + ".pub"))));
        Files.delete(key); // from here on, only the agent has it
        repo = started(GitRepos.create(dir.resolve("git")));
        url = "ssh://root@" + server.address() + repo.bare().toAbsolutePath();

        Path home = dir.resolve("home");
        sshDir = Files.createDirectories(home.resolve(".ssh"));
        ssh = started(new SshdSessionFactory());
        ssh.setHomeDirectory(home.toFile());
        ssh.setSshDirectory(sshDir.toFile());
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
                .hasMessageContaining("the server accepted none of the keys offered");
    }

    @Test
    void saysAuthenticationFailedWhenTheAgentIsGone() throws Exception {
        repo.commit("main", Map.of("index.html", "v1"), "First page");
        writeSshConfig(agent.socket(), server.knownHostsLine());
        agent.close();
        assertThat(agent.socket()).doesNotExist();

        assertThatThrownBy(() -> remotes().head(url, "main"))
                .isInstanceOfSatisfying(GitException.class, e -> assertThat(e.affectsRemote()).isTrue())
                .hasMessageStartingWith("cannot reach " + url + ": authentication failed")
                .hasMessageContaining(agent.socket().toString())
                .hasMessageContaining("IdentityAgent");
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
