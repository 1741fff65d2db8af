package dev.redock.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A TCP proxy in front of a real registry that answers each request some time later, as a registry across the internet
 * does (Docker Hub's answers take some 50 to 300 ms): what the client sends is held that long before it goes on, what the
 * registry answers passes at once. Requests on one connection follow one another (HTTP/1.1), so each is held once; the
 * engine pulls through it as from the registry itself (loopback, no TLS).
 */
public final class SlowRegistry implements AutoCloseable {

    private final ServerSocket server;
    private final String upstreamHost;
    private final int upstreamPort;
    private final long delayMillis;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "slow-registry");
        t.setDaemon(true);
        return t;
    });

    private SlowRegistry(ServerSocket server, String upstream, Duration delay) {
        this.server = server;
        int colon = upstream.lastIndexOf(':');
        this.upstreamHost = upstream.substring(0, colon);
        this.upstreamPort = Integer.parseInt(upstream.substring(colon + 1));
        this.delayMillis = delay.toMillis();
        threads.execute(this::accept);
    }

    /** A proxy to {@code host:port} on a free port of 127.0.0.1, answering each request {@code delay} later. */
    public static SlowRegistry start(String upstream, Duration delay) throws IOException {
        ServerSocket server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        return new SlowRegistry(server, upstream, delay);
    }

    /** {@code 127.0.0.1:<port>}: the registry as image references through the proxy name it. */
    public String address() {
        return "127.0.0.1:" + server.getLocalPort();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket(upstreamHost, upstreamPort);
                client.setTcpNoDelay(true);
                upstream.setTcpNoDelay(true);
                sockets.add(client);
                sockets.add(upstream);
                threads.execute(() -> pump(client, upstream, delayMillis));
                threads.execute(() -> pump(upstream, client, 0));
            } catch (IOException closed) {
                return;
            }
        }
    }

    /** Copies one direction until it ends, holding each chunk read for {@code delayMillis} first. */
    private void pump(Socket from, Socket to, long delayMillis) {
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                if (delayMillis > 0) {
                    Thread.sleep(delayMillis);
                }
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException | InterruptedException e) {
            // one side closed: close both
        } finally {
            close(from);
            close(to);
        }
    }

    private void close(Socket socket) {
        sockets.remove(socket);
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        sockets.forEach(this::close);
        threads.shutdownNow();
    }
}
