package dev.redock.ui;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One window per data folder. The first window process holds an OS lock on {@code window.lock} in the data folder (freed
 * by the OS if the process dies, so a stale file is never mistaken for a live window) and listens on a loopback port; the
 * file says which port, and a random nonce. A second launch on the same folder finds the lock held, reads the file, and asks
 * the first to bring its window forward, sending the nonce (so only someone who can read the data folder can ask), then
 * ends. No JavaFX here: the second launch decides before starting any toolkit.
 */
public final class SingleInstance implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SingleInstance.class);

    public static final String FILE = "window.lock";
    static final String SHOW = "redock-show";
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(3);

    private final FileChannel channel;
    private final FileLock lock;
    private final ServerSocket server;
    private final String nonce;
    private final Thread acceptor;
    private Runnable onShow;
    private boolean showPending;

    private SingleInstance(FileChannel channel, FileLock lock, ServerSocket server, String nonce) {
        this.channel = channel;
        this.lock = lock;
        this.server = server;
        this.nonce = nonce;
        this.acceptor = new Thread(this::accept, "redock-single-instance");
        acceptor.setDaemon(true);
    }

    /**
     * Becomes the data folder's window process, if no other is.
     *
     * @return this process's claim (close it when the window process ends), or empty when another live process holds it
     */
    public static Optional<SingleInstance> claim(Path dataFolder) throws IOException {
        Files.createDirectories(dataFolder);
        Path file = dataFolder.resolve(FILE);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            channel.close();
            return Optional.empty();
        }
        try {
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            }
            ServerSocket server = new ServerSocket();
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
            byte[] random = new byte[16];
            new SecureRandom().nextBytes(random);
            String nonce = HexFormat.of().formatHex(random);
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((server.getLocalPort() + " " + nonce + " " + ProcessHandle.current().pid() + "\n")
                    .getBytes(StandardCharsets.UTF_8)), 0);
            channel.force(false);
            SingleInstance instance = new SingleInstance(channel, lock, server, nonce);
            instance.acceptor.start();
            return Optional.of(instance);
        } catch (IOException | RuntimeException e) {
            lock.release();
            channel.close();
            throw e;
        }
    }

    /**
     * Asks the window process holding {@code dataFolder} to bring its window forward.
     *
     * @return whether it answered that it did; false when the file does not say where it listens yet, or nobody answers
     */
    public static boolean bringForward(Path dataFolder) {
        Path file = dataFolder.resolve(FILE);
        String[] parts;
        try {
            parts = Files.readString(file, StandardCharsets.UTF_8).strip().split(" ");
        } catch (IOException e) {
            return false;
        }
        if (parts.length < 2) {
            return false;
        }
        int port;
        try {
            port = Integer.parseInt(parts[0]);
        } catch (NumberFormatException e) {
            return false;
        }
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), (int) ANSWER_TIMEOUT.toMillis());
            socket.setSoTimeout((int) ANSWER_TIMEOUT.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write((SHOW + " " + parts[1] + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            String answer = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8)).readLine();
            return "ok".equals(answer);
        } catch (IOException e) {
            return false;
        }
    }

    /** The process holding {@code dataFolder}'s window, as its file says, or empty. */
    public static Optional<Long> holder(Path dataFolder) {
        try {
            String[] parts = Files.readString(dataFolder.resolve(FILE), StandardCharsets.UTF_8).strip().split(" ");
            return parts.length >= 3 ? Optional.of(Long.parseLong(parts[2])) : Optional.empty();
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * What to do when another launch asks for the window (called on a background thread). A request that came before
     * this is set is run now.
     */
    public void onShow(Runnable action) {
        boolean pending;
        synchronized (this) {
            onShow = action;
            pending = showPending;
            showPending = false;
        }
        if (pending) {
            action.run();
        }
    }

    /** The loopback port it listens on. */
    public int port() {
        return server.getLocalPort();
    }

    private void accept() {
        while (!server.isClosed()) {
            try (Socket socket = server.accept()) {
                socket.setSoTimeout((int) ANSWER_TIMEOUT.toMillis());
                String line = readLine(socket);
                boolean valid = line != null && line.startsWith(SHOW + " ")
                        && MessageDigest.isEqual(line.substring(SHOW.length() + 1).getBytes(StandardCharsets.UTF_8),
                                nonce.getBytes(StandardCharsets.UTF_8));
                Runnable action = null;
                if (valid) {
                    // Kept before answering, so a window set up right after the "ok" still sees the request.
                    synchronized (this) {
                        action = onShow;
                        showPending = action == null;
                    }
                }
                socket.getOutputStream().write((valid ? "ok\n" : "refused\n").getBytes(StandardCharsets.UTF_8));
                socket.getOutputStream().flush();
                if (valid) {
                    LOG.info("Another launch on this data folder asked for the window");
                    if (action != null) {
                        action.run();
                    }
                } else {
                    LOG.warn("Refused a request on the window's port without the right nonce");
                }
            } catch (IOException e) {
                if (!server.isClosed()) {
                    LOG.debug("A request on the window's port failed", e);
                }
            } catch (RuntimeException e) {
                LOG.warn("Bringing the window forward failed", e);
            }
        }
    }

    /** One line of at most 200 characters, or null. */
    private static String readLine(Socket socket) throws IOException {
        StringBuilder sb = new StringBuilder();
        var in = socket.getInputStream();
        int c;
        while ((c = in.read()) != -1 && c != '\n') {
            if (sb.length() >= 200) {
                return null;
            }
            sb.append((char) c);
        }
        return sb.toString();
    }

    /** Stops listening and lets go of the lock (the file stays: the lock, not the file, says whether a window runs). */
    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            LOG.debug("Closing the window's port failed", e);
        }
        try {
            if (channel.isOpen()) {
                channel.truncate(0);
                lock.release();
                channel.close();
            }
        } catch (IOException e) {
            LOG.debug("Releasing {} failed", FILE, e);
        }
    }
}
