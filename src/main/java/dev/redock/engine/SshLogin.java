package dev.redock.engine;

import java.io.Closeable;
import java.io.File;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeoutException;

import org.apache.sshd.common.config.keys.KeyUtils;
import org.eclipse.jgit.errors.TransportException;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.URIish;
import org.eclipse.jgit.transport.sshd.DefaultProxyDataFactory;
import org.eclipse.jgit.transport.sshd.ServerKeyDatabase;
import org.eclipse.jgit.transport.sshd.ServerKeyDatabase.Configuration.StrictHostKeyChecking;
import org.eclipse.jgit.transport.sshd.SshdSession;
import org.eclipse.jgit.transport.sshd.SshdSessionFactory;
import org.eclipse.jgit.transport.sshd.agent.ConnectorFactory;
import org.eclipse.jgit.util.FS;

/**
 * Signs in to the host of an {@code ssh://} engine the way OpenSSH's {@code ssh} (which the docker CLI runs) would: Apache
 * MINA sshd through JGit's session factory, the one Redock's git remotes use, so it reads {@code <home>/.ssh/config}
 * ({@code Host}, {@code HostName}, {@code User}, {@code Port}, {@code IdentityFile}, {@code IdentityAgent},
 * {@code ProxyJump}, ...), the key files in {@code <home>/.ssh}, the SSH agent ({@code SSH_AUTH_SOCK}; one that does not
 * answer counts as none, see {@link OptionalAgentConnectorFactory}) and {@code known_hosts}.
 *
 * <p>A host key that is not in {@code known_hosts}, or differs from the one there, is refused: there is nobody to ask, and
 * Redock never accepts a key on its own. (Unless the user's ssh config says {@code StrictHostKeyChecking no} or
 * {@code accept-new} for that host, which ssh would honour as well.) Failures come out as messages that say what to do.
 *
 * <p>Thread-safe; {@link #open} signs in one session at a time.
 */
final class SshLogin implements Closeable {

    private final Sessions sessions;

    SshLogin(Path home) {
        ConnectorFactory found = ConnectorFactory.getDefault(); // JGit's JNA connector, by ServiceLoader; null without it
        this.sessions = new Sessions(found == null ? null : new OptionalAgentConnectorFactory(found));
        sessions.setHomeDirectory(home.toFile());
        sessions.setSshDirectory(home.resolve(".ssh").toFile());
    }

    /**
     * A signed-in session to the address's host.
     *
     * @throws EngineUnavailableException saying why not, in words a user can act on
     */
    synchronized SshdSession open(EngineAddress address, Duration timeout) throws EngineUnavailableException {
        URIish uri;
        try {
            uri = new URIish(address.host().toString());
        } catch (URISyntaxException e) {
            throw new EngineUnavailableException("not an ssh address: " + address.host(), e);
        }
        sessions.refusal = null;
        try {
            return sessions.getSession(uri, null, FS.DETECTED, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        } catch (TransportException | RuntimeException e) {
            HostKeyRefusal refusal = sessions.refusal;
            String reason = refusal != null ? refusal.describe(sshCommand(address.host())) : describe(e, address, timeout);
            throw new EngineUnavailableException(reason, e);
        }
    }

    @Override
    public void close() {
        sessions.close();
    }

    /** What a failed sign-in means, from the innermost cause that says something. */
    private static String describe(Exception e, EngineAddress address, Duration timeout) {
        String host = address.host().getHost() + (address.host().getPort() > 0 ? ":" + address.host().getPort() : "");
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof NoRouteToHostException) {
                return "ssh could not connect to " + host + " (" + t.getMessage() + ")";
            }
            if (t instanceof UnknownHostException) {
                return "ssh does not know the host " + address.host().getHost();
            }
            if (t instanceof SocketTimeoutException || t instanceof TimeoutException) {
                return "the ssh host " + host + " did not answer within " + timeout.toSeconds() + " s";
            }
        }
        String text = allMessages(e).toLowerCase(Locale.ROOT);
        if (text.contains("authentication") || text.contains("no more authentication methods")) {
            String user = address.host().getUserInfo();
            return "the ssh host " + host + " refused every key Redock offered (the SSH agent's and the key files in ~/.ssh);"
                    + " add your public key to ~" + (user == null ? "" : user) + "/.ssh/authorized_keys there, or name the key"
                    + " with IdentityFile in ~/.ssh/config";
        }
        if (text.contains("timeout") || text.contains("timed out")) {
            return "the ssh host " + host + " did not answer within " + timeout.toSeconds() + " s";
        }
        return "ssh to " + host + " failed: " + innermost(e);
    }

    /** {@code ssh -p 2222 user@host}: what to run once in a terminal to check and accept a host key. */
    static String sshCommand(URI host) {
        return "ssh " + (host.getPort() > 0 ? "-p " + host.getPort() + " " : "")
                + (host.getUserInfo() != null ? host.getUserInfo() + "@" : "") + host.getHost();
    }

    private static String allMessages(Throwable e) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            text.append(t.getMessage()).append('\n');
        }
        return text.toString();
    }

    private static String innermost(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }

    /**
     * A host key refused while signing in.
     *
     * @param changed whether {@code known_hosts} has another key for the host (rather than none)
     */
    private record HostKeyRefusal(String host, boolean changed, String fingerprint, List<String> knownHosts) {

        String describe(String sshCommand) {
            String files = knownHosts.isEmpty() ? "~/.ssh/known_hosts" : String.join(", ", knownHosts);
            if (changed) {
                return "the host key of " + host + " has CHANGED: it is now " + fingerprint + ", not the one " + files
                        + " has for it. Someone may be listening in, or the host was set up again; Redock refuses it. If"
                        + " you trust the new key, remove the old one (ssh-keygen -R '" + host + "'), run `" + sshCommand
                        + "` once to check and accept the new one, then try again";
            }
            return "the host key of " + host + " (" + fingerprint + ") is unknown: it is not in " + files
                    + ", and Redock does not accept a host key it has not seen. Run `" + sshCommand
                    + "` once in a terminal to check and accept it, then try again";
        }
    }

    /** JGit's session factory, with an optional SSH agent, and host keys checked without anyone to ask. */
    private static final class Sessions extends SshdSessionFactory {

        private final ConnectorFactory agents;
        /** The host key refused during the sign-in under way, if one was; {@link #open} is one at a time. */
        volatile HostKeyRefusal refusal;

        Sessions(ConnectorFactory agents) {
            super(null, new DefaultProxyDataFactory()); // as JGit's default: keys are read again for each session
            this.agents = agents;
        }

        @Override
        protected ConnectorFactory getConnectorFactory() {
            return agents;
        }

        @Override
        protected ServerKeyDatabase createServerKeyDatabase(File homeDir, File sshDir) {
            ServerKeyDatabase known = super.createServerKeyDatabase(homeDir, sshDir);
            return new ServerKeyDatabase() {
                @Override
                public List<PublicKey> lookup(String connectAddress, InetSocketAddress remoteAddress, Configuration config) {
                    return known.lookup(connectAddress, remoteAddress, config);
                }

                @Override
                public boolean accept(String connectAddress, InetSocketAddress remoteAddress, PublicKey serverKey,
                                      Configuration config, CredentialsProvider provider) {
                    List<PublicKey> recorded = known.lookup(connectAddress, remoteAddress, config);
                    // With nobody to ask, "ask" (ssh's default) means no for a key that is not known, as ssh -o BatchMode=yes.
                    boolean accepted = !(recorded.isEmpty() && config.getStrictHostKeyChecking() == StrictHostKeyChecking.ASK)
                            && known.accept(connectAddress, remoteAddress, serverKey, config, null);
                    if (!accepted) {
                        List<String> files = config.getUserKnownHostsFiles();
                        refusal = new HostKeyRefusal(connectAddress, !recorded.isEmpty(), KeyUtils.getFingerPrint(serverKey),
                                files == null ? List.of() : List.copyOf(files));
                    }
                    return accepted;
                }
            };
        }
    }
}
