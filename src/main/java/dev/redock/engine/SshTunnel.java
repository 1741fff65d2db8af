package dev.redock.engine;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.jgit.transport.sshd.SshdSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The way to an {@code ssh://} engine, as the docker CLI goes: a local Unix socket that docker-java talks to, where each
 * connection becomes an ssh channel running {@code docker system dial-stdio} on the far host, which joins its standard
 * input and output to that host's engine. Bytes are pumped both ways until either side is done.
 *
 * <p>The socket lives in a folder of its own that only this user may enter (0700). The ssh session is opened on the
 * first connection, shared by the following ones, opened again when it drops, and a second one is added when one holds
 * {@value #CHANNELS_PER_SESSION} channels (OpenSSH lets a session have 10). When signing in or {@code dial-stdio} fails,
 * the connection is closed and {@link #problem()} says why, for the message the failed request gets.
 *
 * <p>{@link #close()} ends every channel and session, and removes the socket and its folder. Thread-safe.
 */
final class SshTunnel implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(SshTunnel.class);
    /** The command the docker CLI runs on the far host. */
    static final String DIAL_STDIO = "docker system dial-stdio";
    private static final int CHANNELS_PER_SESSION = 8;
    private static final int BUFFER = 32 * 1024;
    /** How much of {@code dial-stdio}'s standard error is kept for a message. */
    private static final int STDERR_KEPT = 4096;
    private static final Duration EXIT_WAIT = Duration.ofSeconds(5);
    private static final AtomicInteger TUNNELS = new AtomicInteger();

    private final EngineAddress address;
    private final SshLogin login;
    private final Duration timeout;
    private final Path dir;
    private final Path socket;
    private final ServerSocketChannel server;
    private final ExecutorService threads;
    /** The sessions open now, with how many channels each carries. Guarded by {@code this}. */
    private final List<Slot> slots = new ArrayList<>();
    private final Set<Link> links = ConcurrentHashMap.newKeySet();
    private volatile String problem;
    private volatile boolean closed;

    private SshTunnel(EngineAddress address, SshLogin login, Duration timeout, Path dir, ServerSocketChannel server) {
        this.address = address;
        this.login = login;
        this.timeout = timeout;
        this.dir = dir;
        this.socket = dir.resolve("docker.sock");
        this.server = server;
        int number = TUNNELS.incrementAndGet();
        AtomicInteger threadNumber = new AtomicInteger();
        this.threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "redock-ssh-tunnel-" + number + "-" + threadNumber.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Opens the local socket (nothing is sent over ssh until docker-java connects to it).
     *
     * @param home    whose {@code .ssh} signs in
     * @param timeout how long signing in, and opening a channel, may take
     */
    static SshTunnel open(EngineAddress address, Path home, Duration timeout) throws IOException {
        Path dir = privateFolder();
        ServerSocketChannel server = null;
        try {
            server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(dir.resolve("docker.sock")));
            SshTunnel tunnel = new SshTunnel(address, new SshLogin(home), timeout, dir, server);
            tunnel.threads.execute(tunnel::acceptLoop);
            return tunnel;
        } catch (IOException | RuntimeException e) {
            if (server != null) {
                server.close();
            }
            Files.deleteIfExists(dir.resolve("docker.sock"));
            Files.deleteIfExists(dir);
            throw e;
        }
    }

    private static Path privateFolder() throws IOException {
        // Short, as a Unix socket's path has at most 107 bytes: the JVM's temporary folder, usually /tmp.
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return Files.createTempDirectory(tmp, "redock-ssh-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        return Files.createTempDirectory(tmp, "redock-ssh-");
    }

    /** {@code unix:///tmp/redock-ssh-.../docker.sock}: what docker-java dials. */
    URI localHost() {
        return DockerContexts.unixUri(socket);
    }

    /** Why the last connection could not reach the engine (signing in, or {@code dial-stdio}), or null when it could. */
    String problem() {
        return problem;
    }

    @Override
    public void close() {
        List<Slot> open;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            open = new ArrayList<>(slots);
            slots.clear();
        }
        try {
            server.close();
        } catch (IOException e) {
            LOG.debug("Closing the tunnel's socket failed", e);
        }
        links.forEach(Link::close);
        for (Slot slot : open) {
            slot.session.disconnect();
        }
        threads.shutdownNow();
        login.close();
        try {
            Files.deleteIfExists(socket);
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            LOG.debug("Removing {} failed", dir, e);
        }
    }

    private void acceptLoop() {
        while (!closed) {
            SocketChannel local;
            try {
                local = server.accept();
            } catch (IOException e) {
                if (!closed) {
                    LOG.warn("The ssh tunnel to {} stopped accepting connections: {}", address, e.getMessage());
                }
                return;
            }
            try {
                threads.execute(() -> serveOrClose(local));
            } catch (RuntimeException rejected) { // closing
                closeQuietly(local);
            }
        }
    }

    private void serveOrClose(SocketChannel local) {
        try {
            serve(local);
        } catch (RuntimeException | Error e) {
            // Never leave docker-java waiting on a connection nobody serves.
            problem = "the ssh connection failed: " + e;
            LOG.warn("The ssh tunnel to {} failed", address, e);
            closeQuietly(local);
        }
    }

    /** One connection from docker-java: a channel running {@code dial-stdio}, pumped both ways. */
    private void serve(SocketChannel local) {
        Slot slot = null;
        Process remote = null;
        // A session that dropped since its last channel fails to open the next one: then once more, on a new session.
        for (int attempt = 0; attempt < 2 && remote == null; attempt++) {
            try {
                slot = reserve();
            } catch (EngineUnavailableException e) {
                problem = e.getMessage();
                LOG.debug("ssh to {} failed: {}", address, e.getMessage(), e);
                closeQuietly(local);
                return;
            }
            try {
                remote = exec(slot);
            } catch (IOException e) {
                release(slot, true);
                problem = "ssh could not run `" + DIAL_STDIO + "` on " + address.host().getHost() + ": " + e.getMessage();
            }
        }
        if (remote == null) {
            closeQuietly(local);
            return;
        }
        Link link = new Link(local, remote);
        links.add(link);
        try {
            link.pump();
        } finally {
            links.remove(link);
            link.close();
            release(slot, false);
        }
    }

    /** A session with room for one more channel: one open already, or a new one. */
    private synchronized Slot reserve() throws EngineUnavailableException {
        if (closed) {
            throw new EngineUnavailableException("the connection is closed", null);
        }
        slots.removeIf(s -> !s.open);
        for (Slot slot : slots) {
            if (slot.channels < CHANNELS_PER_SESSION) {
                slot.channels++;
                return slot;
            }
        }
        Slot slot = new Slot(login.open(address, timeout));
        slot.session.addCloseListener(s -> slot.open = false);
        slot.channels++;
        slots.add(slot);
        return slot;
    }

    private synchronized void release(Slot slot, boolean broken) {
        slot.channels--;
        if (broken) {
            slot.open = false;
            slots.remove(slot);
            slot.session.disconnect();
        }
    }

    private Process exec(Slot slot) throws IOException {
        int seconds = (int) Math.max(1, timeout.toSeconds());
        return slot.session.exec(DIAL_STDIO, seconds);
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // nothing to do
        }
    }

    /** One ssh session, and how many channels it carries. */
    private static final class Slot {
        final SshdSession session;
        int channels;
        volatile boolean open = true;

        Slot(SshdSession session) {
            this.session = session;
        }
    }

    /** One local connection joined to one {@code dial-stdio} on the far host. */
    private final class Link {

        private final SocketChannel local;
        private final Process remote;
        private volatile boolean answered;

        Link(SocketChannel local, Process remote) {
            this.local = local;
            this.remote = remote;
        }

        /** Pumps until the far side is done (or either side fails); on this thread, the other direction on another. */
        void pump() {
            CompletableFuture<String> stderr = CompletableFuture.supplyAsync(this::readStderr, threads);
            threads.execute(this::localToRemote);
            try {
                InputStream in = remote.getInputStream();
                byte[] buffer = new byte[BUFFER];
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    if (n > 0) {
                        if (!answered) {
                            answered = true;
                            problem = null;
                        }
                        ByteBuffer out = ByteBuffer.wrap(buffer, 0, n);
                        while (out.hasRemaining()) {
                            local.write(out);
                        }
                    }
                }
                if (!answered) {
                    noteFailure(stderr);
                }
            } catch (IOException e) {
                LOG.debug("A connection through the ssh tunnel to {} ended: {}", address, e.getMessage());
            }
        }

        /** Docker-java's bytes to {@code dial-stdio}; its end of input becomes the far side's end of input. */
        private void localToRemote() {
            try (OutputStream out = remote.getOutputStream()) {
                ByteBuffer buffer = ByteBuffer.allocate(BUFFER);
                while (local.read(buffer) >= 0) {
                    out.write(buffer.array(), 0, buffer.position());
                    out.flush();
                    buffer.clear();
                }
            } catch (IOException e) {
                LOG.trace("Sending through the ssh tunnel ended: {}", e.getMessage());
            }
        }

        private String readStderr() {
            ByteArrayOutputStream kept = new ByteArrayOutputStream();
            try (InputStream err = remote.getErrorStream()) {
                byte[] buffer = new byte[1024];
                int n;
                while ((n = err.read(buffer)) >= 0) {
                    kept.write(buffer, 0, Math.max(0, Math.min(n, STDERR_KEPT - kept.size())));
                }
            } catch (IOException e) {
                // what was read is what there is
            }
            // One line for a message: the far shell may have said several.
            return kept.toString(StandardCharsets.UTF_8).strip().replaceAll("\\s*\\R\\s*", "; ");
        }

        /** {@code dial-stdio} ended without a byte of answer: say why, before docker-java sees the connection close. */
        private void noteFailure(CompletableFuture<String> stderr) {
            Integer exit = null;
            String said = "";
            try {
                if (remote.waitFor(EXIT_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                    exit = remote.exitValue();
                }
                said = stderr.get(EXIT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                // no exit status or error output to tell
            }
            if (exit == null || exit == 0 && said.isEmpty()) {
                return; // the engine just closed the connection
            }
            String host = address.host().getHost();
            if (exit == 127 || said.contains("command not found") || said.contains("not found") && said.contains("docker")) {
                problem = "the ssh host " + host + " has no docker command for `" + DIAL_STDIO + "` (" + said
                        + "); install the Docker CLI there, or put it on the PATH of non-interactive ssh sessions";
            } else {
                problem = "`" + DIAL_STDIO + "` failed on " + host + " (exit " + exit + ")" + (said.isEmpty() ? "" : ": " + said);
            }
        }

        void close() {
            closeQuietly(local);
            remote.destroy();
        }
    }
}
