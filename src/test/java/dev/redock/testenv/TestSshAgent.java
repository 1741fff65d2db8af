package dev.redock.testenv;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A real {@code ssh-agent} of the test's own ({@code ssh-agent -D -a <socket>}, a child process, not a daemon), holding the
 * keys a test {@linkplain #add adds} and nothing else. Whoever is pointed at its socket ({@code SSH_AUTH_SOCK}, or
 * {@code IdentityAgent} in an ssh config) can sign in with those keys without seeing them.
 */
public final class TestSshAgent implements AutoCloseable {

    /** Debian's openssh-client. */
    public static final Path SSH_AGENT = Path.of("/usr/bin/ssh-agent");
    /** Debian's openssh-client. */
    public static final Path SSH_ADD = Path.of("/usr/bin/ssh-add");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);

    private final Process process;
    private final Path socket;
    private final Path log;

    private TestSshAgent(Process process, Path socket, Path log) {
        this.process = process;
        this.socket = socket;
        this.log = log;
    }

    /**
     * Starts an agent with no keys, listening on {@code dir/agent.sock} (keep {@code dir} short: a Unix socket's path has
     * at most 107 bytes); fails with a message naming the setup command when ssh-agent is not installed.
     */
    public static TestSshAgent start(Path dir) {
        TestSshServer.requireInstalled(SSH_AGENT, SSH_ADD);
        Path home = dir.toAbsolutePath();
        Path socket = home.resolve("agent.sock");
        Path log = home.resolve("ssh-agent.log");
        try {
            Files.createDirectories(home);
            Process process = new ProcessBuilder(SSH_AGENT.toString(), "-D", "-a", socket.toString())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            TestSshAgent agent = new TestSshAgent(process, socket, log);
            agent.awaitSocket();
            return agent;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + SSH_AGENT, e);
        }
    }

    private void awaitSocket() {
        ChildProcess.awaitUp(process, START_TIMEOUT, () -> Files.exists(socket), "ssh-agent's socket " + socket, log);
    }

    /** Adds a private key (without passphrase) to the agent, with {@code ssh-add}. The key file may be deleted afterwards. */
    public void add(Path privateKey) {
        try {
            TestSshServer.run(List.of(SSH_ADD.toString(), privateKey.toAbsolutePath().toString()),
                    Map.of("SSH_AUTH_SOCK", socket.toString()));
        } catch (IOException e) {
            throw new UncheckedIOException("could not run " + SSH_ADD, e);
        }
    }

    /** The agent's Unix socket: what {@code SSH_AUTH_SOCK} or {@code IdentityAgent} names. */
    public Path socket() {
        return socket;
    }

    /** Stops the agent (which removes its socket). */
    @Override
    public void close() {
        ChildProcess.stop(process);
    }
}
