package dev.redock.git;

import java.io.Closeable;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;

import org.eclipse.jgit.transport.SshSessionFactory;
import org.eclipse.jgit.transport.sshd.DefaultProxyDataFactory;
import org.eclipse.jgit.transport.sshd.SshdSessionFactory;
import org.eclipse.jgit.transport.sshd.SshdSessionFactoryBuilder;
import org.eclipse.jgit.transport.sshd.agent.ConnectorFactory;

import dev.redock.engine.OptionalAgentConnectorFactory;

/**
 * How Redock signs in to ssh remotes, made once per app and shared by {@link GitRemotes} and {@link SourceCache}: JGit's
 * Apache MINA sshd session factory, set up as the one JGit makes by default (the config, key files and
 * {@code known_hosts} in {@code <home>/.ssh}, host keys checked against {@code known_hosts}, the user's SSH agent, proxies
 * from the JVM's proxy selector, no key cache), except that an SSH agent that does not answer counts as no agent and the
 * key files are still tried, as {@code ssh} does ({@link OptionalAgentConnectorFactory}).
 *
 * <p>Close it when the app closes: the session factory keeps per-home caches and tracks its open sessions. Thread-safe.
 */
public final class GitSsh implements Closeable {

    private final Path home;
    /** Made on first use: JGit's ssh and its agent connector load a good many classes that most runs never need. */
    private SshdSessionFactory sessions;
    private OptionalAgentConnectorFactory agents;
    private boolean closed;

    private GitSsh(Path home) {
        this.home = home;
    }

    /**
     * Signs in as the user whose home this is, with {@code <home>/.ssh}: the user's own ({@code user.home}) in the app,
     * a temporary one in tests.
     */
    public static GitSsh forHome(Path home) {
        return new GitSsh(home);
    }

    /** The session factory to give every ssh transport. */
    synchronized SshSessionFactory sessionFactory() {
        if (sessions == null) {
            if (closed) {
                throw new IllegalStateException("closed");
            }
            ConnectorFactory found = ConnectorFactory.getDefault(); // JGit's JNA connector, by ServiceLoader; null without it
            agents = found == null ? null : new OptionalAgentConnectorFactory(found);
            sessions = new SshdSessionFactoryBuilder()
                    .setHomeDirectory(home.toFile())
                    .setSshDirectory(home.resolve(".ssh").toFile())
                    .setProxyDataFactory(new DefaultProxyDataFactory())
                    .setConnectorFactory(agents)
                    .build(null); // as JGit's default: keys are read again for each session
        }
        return sessions;
    }

    /** The sockets of the SSH agents that did not answer when last asked (sorted); empty when all did, or none is used. */
    synchronized Set<String> silentAgents() {
        return agents == null ? Set.of() : new TreeSet<>(agents.silentAgents());
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (sessions != null) {
            sessions.close();
        }
    }
}
