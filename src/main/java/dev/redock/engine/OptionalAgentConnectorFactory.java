package dev.redock.engine;

import java.io.File;
import java.io.IOException;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.eclipse.jgit.transport.SshConstants;
import org.eclipse.jgit.transport.sshd.agent.Connector;
import org.eclipse.jgit.transport.sshd.agent.ConnectorFactory;
import org.eclipse.jgit.util.StringUtils;
import org.eclipse.jgit.util.SystemReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JGit's SSH agent connectors, with the agent made optional as OpenSSH's {@code ssh} makes it: an agent that is named
 * ({@code SSH_AUTH_SOCK}, or {@code IdentityAgent} in {@code ~/.ssh/config}) but does not answer, such as a stale socket
 * left from an earlier login, counts as no agent, and the login goes on with the key files in {@code ~/.ssh}. JGit's own
 * connector fails the whole login instead.
 *
 * <p>Shared by the two users of ssh: git remotes ({@code dev.redock.git.GitSsh}) and {@code ssh://} engines
 * ({@link SshLogin}).
 *
 * <p>Each agent that stops answering is logged once (a warning naming its socket), and again only after it answered in
 * between. Connecting to an agent that answers, and everything said to it once connected, is left to the wrapped factory.
 * Thread-safe.
 */
public final class OptionalAgentConnectorFactory implements ConnectorFactory {

    private static final Logger LOG = LoggerFactory.getLogger(OptionalAgentConnectorFactory.class);

    private final ConnectorFactory delegate;
    /** The agents (by socket) that did not answer when last asked. */
    private final Set<String> silent = ConcurrentHashMap.newKeySet();

    /** @param delegate the factory that really connects, e.g. {@link ConnectorFactory#getDefault()} */
    public OptionalAgentConnectorFactory(ConnectorFactory delegate) {
        this.delegate = delegate;
    }

    @Override
    public Connector create(String identityAgent, File homeDir) throws IOException {
        String agent = describe(identityAgent);
        try {
            return new OptionalConnector(delegate.create(identityAgent, homeDir), null, agent);
        } catch (IOException e) {
            // e.g. on Windows, an IdentityAgent that is neither Pageant nor a named pipe
            return new OptionalConnector(null, e, agent);
        }
    }

    @Override
    public boolean isSupported() {
        return delegate.isSupported();
    }

    @Override
    public String getName() {
        return delegate.getName();
    }

    @Override
    public Collection<ConnectorDescriptor> getSupportedConnectors() {
        return delegate.getSupportedConnectors();
    }

    @Override
    public ConnectorDescriptor getDefaultConnector() {
        return delegate.getDefaultConnector();
    }

    /** The sockets of the agents that did not answer when last asked, in no particular order; empty when all did. */
    public Set<String> silentAgents() {
        return Set.copyOf(silent);
    }

    /** Where the agent is: the socket the config names, or what {@code SSH_AUTH_SOCK} says when it names none. */
    private static String describe(String identityAgent) {
        if (StringUtils.isEmptyOrNull(identityAgent) || SshConstants.ENV_SSH_AUTH_SOCKET.equals(identityAgent)) {
            String socket = SystemReader.getInstance().getenv(SshConstants.ENV_SSH_AUTH_SOCKET);
            return StringUtils.isEmptyOrNull(socket) ? SshConstants.ENV_SSH_AUTH_SOCKET : socket;
        }
        return identityAgent;
    }

    private void answered(String agent) {
        if (silent.remove(agent)) {
            LOG.info("SSH agent at {} answers again", agent);
        }
    }

    private void didNotAnswer(String agent, IOException e) {
        if (silent.add(agent)) {
            LOG.warn("SSH agent at {} does not answer ({}); using the key files in ~/.ssh", agent, rootMessage(e));
        }
        LOG.debug("SSH agent at {} does not answer", agent, e);
    }

    /** The innermost cause's words, e.g. the system's "No such file or directory" under JGit's "Could not connect". */
    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }

    /** A connection to one agent; {@link #connect()} says "no agent" where the wrapped one fails. */
    private final class OptionalConnector implements Connector {

        private final Connector connector;
        private final IOException createFailure;
        private final String agent;

        /** @param connector the wrapped connector, or null when it could not be made ({@code createFailure}) */
        OptionalConnector(Connector connector, IOException createFailure, String agent) {
            this.connector = connector;
            this.createFailure = createFailure;
            this.agent = agent;
        }

        @Override
        public boolean connect() {
            if (connector == null) {
                didNotAnswer(agent, createFailure);
                return false;
            }
            try {
                boolean connected = connector.connect();
                if (connected) {
                    answered(agent);
                }
                return connected;
            } catch (IOException e) {
                didNotAnswer(agent, e);
                return false;
            }
        }

        @Override
        public byte[] rpc(byte command, byte[] message) throws IOException {
            return wrapped().rpc(command, message);
        }

        @Override
        public byte[] rpc(byte command) throws IOException {
            return wrapped().rpc(command);
        }

        @Override
        public void close() throws IOException {
            if (connector != null) {
                connector.close();
            }
        }

        private Connector wrapped() {
            if (connector == null) {
                // JGit only talks to an agent after connect() said true, which it never does here.
                throw new IllegalStateException("not connected to the SSH agent at " + agent);
            }
            return connector;
        }
    }
}
