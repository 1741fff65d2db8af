package dev.redock.store;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * H2's lock file beside the database ({@code redock.lock.db}). H2 writes it when a process opens the database, keeps it
 * fresh while that process serves the database, and deletes it when the process closes the database; in
 * {@code AUTO_SERVER} mode it names where the process serves it ({@code server=host:port}). A process that was killed, or
 * that stopped at once at a second Ctrl-C, leaves it behind. H2 cannot tell that file from a live one without waiting: it
 * waits until the file is 2 s old, writes it, and waits 2 s more to see whether another process writes it back. So the
 * first start after such a stop took 3 to 4 s longer.
 *
 * <p>Redock can tell at once. It looks under {@link OpeningLock}, which every Redock process holds to open or to close the
 * database: a lock file found then belongs either to a process that finished opening and serves the database, or to one
 * that is gone. When its server refuses the connection, the process is gone.
 */
final class H2LockFile {

    private static final Logger LOG = LoggerFactory.getLogger(H2LockFile.class);
    /** A live server accepts at once; a remote one that does not answer within this is left to H2 to judge. */
    private static final int CONNECT_TIMEOUT_MILLIS = 1_000;

    private H2LockFile() {
    }

    /** H2's lock file of the database whose files start with {@code base} ({@code .../redock}). */
    static Path of(Path base) {
        return base.resolveSibling(base.getFileName() + ".lock.db");
    }

    /**
     * Deletes the lock file if the process that wrote it is gone: its server refuses the connection. Keeps it in every other
     * case (no such file, no server named, a server that answers or cannot be reached), for H2 to judge as it does.
     * Call it holding {@link OpeningLock}.
     *
     * @return whether it deleted the file
     */
    static boolean removeIfOwnerGone(Path file) {
        Properties written = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            written.load(in);
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException | IllegalArgumentException e) {
            LOG.debug("Cannot read the database's lock file {}: {}", file, e.toString());
            return false;
        }
        String server = written.getProperty("server");
        InetSocketAddress address = server == null ? null : address(server);
        if (address == null) {
            return false;
        }
        try (Socket socket = new Socket()) {
            socket.connect(address, CONNECT_TIMEOUT_MILLIS);
            return false;
        } catch (ConnectException refused) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                LOG.debug("Cannot delete the database's lock file {}: {}", file, e.toString());
                return false;
            }
            LOG.info("Removed the database's lock file {}: the Redock process that wrote it stopped without closing the"
                    + " database (its server at {} no longer answers)", file, server);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** {@code host:port} or {@code [v6]:port} as H2 writes it; null when it is neither. */
    private static InetSocketAddress address(String server) {
        int colon = server.lastIndexOf(':');
        if (colon <= 0) {
            return null;
        }
        String host = server.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        try {
            int port = Integer.parseInt(server.substring(colon + 1));
            return port > 0 && port <= 0xFFFF ? new InetSocketAddress(host, port) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
