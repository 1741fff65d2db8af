package dev.redock.git;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.SshException;
import org.eclipse.jgit.errors.NoRemoteRepositoryException;
import org.eclipse.jgit.errors.NotSupportedException;
import org.eclipse.jgit.errors.TransportException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.FetchConnection;
import org.eclipse.jgit.transport.SshTransport;
import org.eclipse.jgit.transport.Transport;
import org.eclipse.jgit.transport.URIish;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.redock.model.Durations;
import dev.redock.model.GitSource;
import dev.redock.model.ValidationException;

/**
 * Reads git remotes without cloning: a branch's head through {@code ls-remote} (asking only for that branch where the
 * server speaks protocol v2), and the remotes configured in a local clone.
 *
 * <p>Each host has at most {@value #MAX_IN_FLIGHT_PER_HOST} {@code ls-remote}s under way at once, whoever asks: a host
 * that stalls holds those only. Counts its own {@code ls-remote} requests per {@link GitSource#key()}, so that tests and
 * the agent's console can check that polling asks once per distinct (remote, branch). Thread-safe.
 */
public final class GitRemotes {

    private static final Logger LOG = LoggerFactory.getLogger(GitRemotes.class);
    private static final String AUTHENTICATION_FAILED = "authentication failed";
    /**
     * How many {@code ls-remote}s one host has under way at most, from all callers together; more wait for one to end.
     * Each is a connection (and, over ssh, a login) of its own, so fewer than a registry's requests.
     */
    public static final int MAX_IN_FLIGHT_PER_HOST = 4;

    private final CredentialsProvider credentials;
    private final Duration timeout;
    /** An {@code ls-remote} as a whole: the timeout for connecting and signing in, and again for reading the refs. */
    private final Duration lsRemoteBound;
    private final GitSsh ssh;
    private final ConcurrentMap<String, AtomicInteger> requests = new ConcurrentHashMap<>();
    /** The {@code ls-remote}s each host ({@link #hostKey}) may have under way at once. */
    private final ConcurrentMap<String, Semaphore> inFlight = new ConcurrentHashMap<>();

    /**
     * @param credentials for https remotes (e.g. {@link GitCredentialHelper}); may be null
     * @param timeout     how long a remote may take to connect and to answer each read; an {@code ls-remote} as a whole
     *                    may take twice that
     * @param ssh         how to sign in to ssh remotes, one per app ({@link GitSsh#forHome}); null for JGit's default
     *                    session factory, which fails when a named SSH agent does not answer (tests of other remotes)
     */
    public GitRemotes(CredentialsProvider credentials, Duration timeout, GitSsh ssh) {
        this.credentials = credentials;
        this.timeout = timeout;
        this.lsRemoteBound = timeout.multipliedBy(2);
        this.ssh = ssh;
    }

    /**
     * The commit at the head of the branch on the remote, read within twice the timeout as a whole: a remote that
     * trickles its answer fails as one that says nothing does.
     *
     * @throws GitException when the remote cannot be read ({@link GitException#affectsRemote()}), or has no such branch
     */
    public String head(String url, String branch) throws GitException {
        Semaphore slots = inFlight.computeIfAbsent(hostKey(url), h -> new Semaphore(MAX_IN_FLIGHT_PER_HOST, true));
        try {
            if (!slots.tryAcquire(lsRemoteBound.toNanos(), TimeUnit.NANOSECONDS)) {
                throw new GitException("git remote " + GitSource.withoutCredentials(url) + ": none of the "
                        + MAX_IN_FLIGHT_PER_HOST + " requests under way to its host ended within "
                        + Durations.spoken(lsRemoteBound), true, null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GitException("stopped while waiting for a git remote", false, e);
        }
        try {
            requests.computeIfAbsent(url + "#" + branch, k -> new AtomicInteger()).incrementAndGet();
            return RemoteDeadline.await(lsRemoteBound, "git remote " + url + " sent no complete answer within "
                    + Durations.spoken(lsRemoteBound), abandoned -> lsRemote(url, branch));
        } finally {
            slots.release();
        }
    }

    private String lsRemote(String url, String branch) throws GitException {
        String ref = Constants.R_HEADS + branch;
        try (Transport transport = Transport.open(uri(url))) {
            configure(transport, credentials, timeout, ssh);
            try (FetchConnection connection = transport.openFetch(List.of(), ref)) {
                Ref head = connection.getRef(ref);
                if (head == null || head.getObjectId() == null) {
                    throw new GitException("the branch \"" + branch + "\" does not exist in " + GitSource.withoutCredentials(url),
                            false, null);
                }
                return head.getObjectId().name();
            }
        } catch (TransportException | NotSupportedException e) {
            throw unreachable(url, e, ssh);
        } catch (RuntimeException e) {
            throw new GitException("cannot read " + GitSource.withoutCredentials(url) + ": "
                    + GitSource.hidingCredentials(url, e.getMessage()), true, e);
        }
    }

    /** How many {@code ls-remote} requests were made for this (url, branch) since this instance was made. */
    public int requestCount(String url, String branch) {
        AtomicInteger n = requests.get(url + "#" + branch);
        return n == null ? 0 : n.get();
    }

    /**
     * The remotes a local clone has configured, by name, with their (fetch) URLs: what the launch wizard offers when the
     * user points at a working copy.
     *
     * @throws ValidationException (field {@code git}) when the path is not a git repository
     */
    public static Map<String, String> remotesOf(Path localClone) {
        try (Repository repo = openLocal(localClone)) {
            StoredConfig config = repo.getConfig();
            Map<String, String> remotes = new LinkedHashMap<>();
            for (String name : config.getSubsections("remote")) {
                String url = config.getString("remote", name, "url");
                if (url != null && !url.isBlank()) {
                    remotes.put(name, absolute(localClone, url));
                }
            }
            return remotes;
        }
    }

    /**
     * The URL of a remote configured in a local clone.
     *
     * @throws ValidationException (field {@code git}) when the path is not a git repository or has no such remote
     */
    public static String remoteUrl(Path localClone, String remoteName) {
        Map<String, String> remotes = remotesOf(localClone);
        String url = remotes.get(remoteName);
        if (url == null) {
            throw new ValidationException("git", localClone + " has no remote \"" + remoteName + "\""
                    + (remotes.isEmpty() ? " (it has no remotes)" : " (it has " + String.join(", ", remotes.keySet()) + ")"));
        }
        return url;
    }

    /** The key that backoff goes by: the remote's host (with port), or the path of a local repository. */
    public static String hostKey(String url) {
        try {
            URIish u = uri(url);
            if (u.getHost() != null && !u.getHost().isEmpty()) {
                return u.getHost() + (u.getPort() > 0 ? ":" + u.getPort() : "");
            }
            return u.getPath();
        } catch (GitException e) {
            return url;
        }
    }

    private static Repository openLocal(Path localClone) {
        Path dir = localClone.toAbsolutePath().normalize();
        if (!Files.isDirectory(dir)) {
            throw new ValidationException("git", dir + " is not a folder");
        }
        FileRepositoryBuilder builder = new FileRepositoryBuilder().readEnvironment().findGitDir(dir.toFile());
        if (builder.getGitDir() == null) {
            // A bare repository: the folder itself.
            builder = new FileRepositoryBuilder().setGitDir(dir.toFile()).setMustExist(true);
        }
        try {
            Repository repo = builder.setMustExist(true).build();
            if (!repo.getObjectDatabase().exists()) {
                repo.close();
                throw new ValidationException("git", dir + " is not a git repository");
            }
            return repo;
        } catch (IOException | IllegalArgumentException e) {
            throw new ValidationException("git", dir + " is not a git repository");
        }
    }

    /** A remote URL that is a relative path is relative to the clone's working folder, as git reads it. */
    private static String absolute(Path clone, String url) {
        if (url.startsWith(".")) {
            return clone.toAbsolutePath().resolve(url).normalize().toString();
        }
        return url;
    }

    static URIish uri(String url) throws GitException {
        try {
            return new URIish(url);
        } catch (URISyntaxException e) {
            throw new GitException("invalid git URL \"" + GitSource.withoutCredentials(url) + "\": "
                    + GitSource.hidingCredentials(url, e.getMessage()), false, e);
        }
    }

    /** Sets the transport's timeout, credentials and, for an ssh transport, the session factory (null ssh: JGit's). */
    static void configure(Transport transport, CredentialsProvider credentials, Duration timeout, GitSsh ssh) {
        transport.setTimeout((int) Math.max(1, timeout.toSeconds()));
        if (credentials != null) {
            transport.setCredentialsProvider(credentials);
        }
        if (ssh != null && transport instanceof SshTransport sshTransport) {
            sshTransport.setSshSessionFactory(ssh.sessionFactory());
        }
    }

    /**
     * Words for a failure to reach a remote, with the root cause (a refused connection, an unknown host, 401, ...); a failed
     * ssh login also names the SSH agents that did not answer, whose keys were therefore not offered.
     *
     * @param ssh what the login went through; may be null
     */
    static GitException unreachable(String url, Exception e, GitSsh ssh) {
        String reason = GitSource.hidingCredentials(url, reason(e));
        if (ssh != null && reason.startsWith(AUTHENTICATION_FAILED)) {
            reason += silentAgents(ssh.silentAgents());
        }
        String safeUrl = GitSource.withoutCredentials(url);
        if (safeUrl.equals(url)) {
            LOG.debug("Cannot reach {}", url, e);
        } else {
            // JGit's own messages, in the trace, name the URL as given: credentials and all.
            LOG.debug("Cannot reach {}: {}", safeUrl, reason);
        }
        return new GitException("cannot reach " + safeUrl + ": " + reason, true, e);
    }

    /** "; the SSH agent at ... does not answer, ...", or "" when every agent answered. */
    private static String silentAgents(Set<String> sockets) {
        if (sockets.isEmpty()) {
            return "";
        }
        boolean one = sockets.size() == 1;
        return "; the SSH agent" + (one ? "" : "s") + " at " + String.join(", ", sockets)
                + " (named by SSH_AUTH_SOCK, or IdentityAgent in ~/.ssh/config) " + (one ? "does" : "do")
                + " not answer, so only the key files were offered";
    }

    static String reason(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnknownHostException) {
                return "unknown host " + t.getMessage();
            }
            if (t instanceof ConnectException || t instanceof NoRouteToHostException) {
                return "connection refused";
            }
            if (t instanceof SocketTimeoutException) {
                return "no answer in time";
            }
            if (t instanceof SshException ssh) {
                String sshReason = sshReason(ssh);
                if (sshReason != null) {
                    return sshReason;
                }
            }
        }
        if (e instanceof NoRemoteRepositoryException) {
            return "no repository there";
        }
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        // JGit starts its messages with the URL, which the caller names already.
        int colon = message.indexOf(": ");
        return colon > 0 && message.substring(0, colon).contains("/") ? message.substring(colon + 2) : message;
    }

    /**
     * Words for the ssh failures a user can do something about (Apache MINA sshd's disconnect codes, and JGit's agent
     * connector's messages: an agent that fails while it is asked, or one whose socket does not answer when JGit's default
     * session factory is used rather than {@link GitSsh}), or null.
     */
    private static String sshReason(SshException e) {
        if (e.getDisconnectCode() == SshConstants.SSH2_DISCONNECT_NO_MORE_AUTH_METHODS_AVAILABLE) {
            return AUTHENTICATION_FAILED
                    + ": the server accepted none of the keys offered (the SSH agent's and those in ~/.ssh)";
        }
        if (e.getDisconnectCode() == SshConstants.SSH2_DISCONNECT_HOST_KEY_NOT_VERIFIABLE) {
            return "the server's host key is not in known_hosts, or does not match it: nothing is sent to a host that"
                    + " cannot be checked (connect once with ssh to check its key and add it to ~/.ssh/known_hosts)";
        }
        String message = e.getMessage() == null ? "" : e.getMessage();
        int agent = message.toLowerCase(Locale.ROOT).indexOf("ssh agent");
        if (agent < 0) {
            return null;
        }
        // "[ssh-connection]: Failed (IOException) to execute: Could not connect to SSH agent via socket '...'"
        int start = message.lastIndexOf(": ", agent);
        String detail = message.substring(start < 0 ? 0 : start + 2);
        return AUTHENTICATION_FAILED + ": " + Character.toLowerCase(detail.charAt(0)) + detail.substring(1)
                + " (the agent that SSH_AUTH_SOCK, or IdentityAgent in ~/.ssh/config, names)";
    }
}
