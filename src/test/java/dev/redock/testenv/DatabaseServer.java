package dev.redock.testenv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.Reader;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;

/** Where a data folder's database server listens (the address H2 writes in its lock file), and who it answers. */
public final class DatabaseServer {

    private DatabaseServer() {
    }

    /** The server the lock file names for other processes, while a process holds the database open. */
    public static InetSocketAddress inLockFile(Path folder) throws IOException {
        Properties lock = new Properties();
        try (Reader r = Files.newBufferedReader(folder.resolve("redock.lock.db"), StandardCharsets.ISO_8859_1)) {
            lock.load(r);
        }
        String server = lock.getProperty("server");
        assertThat(server).as("the lock file's server entry").isNotNull();
        int colon = server.lastIndexOf(':');
        return InetSocketAddress.createUnresolved(server.substring(0, colon), Integer.parseInt(server.substring(colon + 1)));
    }

    /** Whether something accepts a TCP connection at that address and port (within 2 s). */
    public static boolean accepts(InetAddress address, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(address, port), 2000);
            return true;
        } catch (IOException refused) {
            return false;
        }
    }

    /** An address of this machine that is not loopback (IPv4 first), or a failure that says what the check needs. */
    public static InetAddress nonLoopbackAddress() throws SocketException {
        List<InetAddress> found = new ArrayList<>();
        for (NetworkInterface nic : NetworkInterface.networkInterfaces().toList()) {
            if (nic.isUp() && !nic.isLoopback()) {
                nic.inetAddresses().filter(a -> !a.isLoopbackAddress() && !a.isLinkLocalAddress()).forEach(found::add);
            }
        }
        found.sort(Comparator.comparing(a -> a instanceof Inet4Address ? 0 : 1));
        if (found.isEmpty()) {
            fail("this machine has no network address besides loopback, so nothing shows that the database's server"
                    + " refuses other interfaces: run the tests where an interface is up (an Ethernet link, or the docker0"
                    + " bridge that 'bash src/test/scripts/run-tests.sh' starts with the Docker engine)");
        }
        return found.get(0);
    }
}
