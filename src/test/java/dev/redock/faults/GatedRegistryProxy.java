package dev.redock.faults;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A TCP proxy in front of the test registry that can hold one blob's download half way: the engine has begun pulling the
 * layer and waits for the rest, which is the moment "mid-pull" names. Everything else passes through untouched. It listens
 * on 127.0.0.1, so the engine pulls through it without TLS as it does from the registry itself.
 *
 * <pre>{@code
 * try (GatedRegistryProxy proxy = GatedRegistryProxy.start(TestEnv.registry())) {
 *     proxy.hold("/v2/app/web/blobs/");   // responses to requests naming it stop after their first bytes
 *     proxy.awaitHeld(Duration.ofSeconds(60));
 *     proxy.release();                    // they go on, and later ones pass
 * }
 * }</pre>
 */
final class GatedRegistryProxy implements AutoCloseable {

    /** How much of a held response passes before it stops: its headers and the layer's first bytes. */
    private static final int PASS_BEFORE_HOLDING = 32 * 1024;

    private final ServerSocket server;
    private final String upstreamHost;
    private final int upstreamPort;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile String held;
    private volatile CountDownLatch gate = new CountDownLatch(0);
    private final CountDownLatch holding = new CountDownLatch(1);

    private GatedRegistryProxy(ServerSocket server, String upstream) {
        this.server = server;
        int colon = upstream.lastIndexOf(':');
        this.upstreamHost = upstream.substring(0, colon);
        this.upstreamPort = Integer.parseInt(upstream.substring(colon + 1));
        Thread accept = new Thread(this::accept, "registry-proxy-accept");
        accept.setDaemon(true);
        accept.start();
    }

    /** A proxy to {@code host:port} on a free port of 127.0.0.1. */
    static GatedRegistryProxy start(String upstream) throws IOException {
        ServerSocket server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        return new GatedRegistryProxy(server, upstream);
    }

    /** {@code 127.0.0.1:<port>}: the registry as image references through the proxy name it. */
    String address() {
        return "127.0.0.1:" + server.getLocalPort();
    }

    /**
     * From now on, holds the responses to requests whose line names {@code path} (once their first bytes have passed),
     * until {@link #release()}.
     */
    void hold(String path) {
        gate = new CountDownLatch(1);
        held = path;
    }

    /** Waits until a response is being held; fails when none is within the time. */
    void awaitHeld(Duration timeout) throws InterruptedException {
        if (!holding.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("no request for " + held + " came through the registry proxy within " + timeout.toSeconds()
                    + " s");
        }
    }

    /** Lets held responses go on, and holds no more. */
    void release() {
        held = null;
        gate.countDown();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket(upstreamHost, upstreamPort);
                sockets.add(client);
                sockets.add(upstream);
                Connection c = new Connection();
                pump(client, upstream, c, true);
                pump(upstream, client, c, false);
            } catch (IOException e) {
                // closed, or the registry refused: the client sees its connection end
            }
        }
    }

    /** What one client connection has asked for. */
    private static final class Connection {
        volatile boolean namesHeld;
        volatile long responseBytes;
        private final StringBuilder recent = new StringBuilder();
    }

    private void pump(Socket from, Socket to, Connection c, boolean request) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[8192];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    if (request) {
                        String path = held;
                        synchronized (c.recent) {
                            c.recent.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
                            if (path != null && c.recent.indexOf(path) >= 0) {
                                // A new request on this connection: the response to count from is the one to come.
                                c.namesHeld = true;
                                c.responseBytes = 0;
                                c.recent.setLength(0);
                            }
                            if (c.recent.length() > 512) {
                                c.recent.delete(0, c.recent.length() - 256);
                            }
                        }
                    } else if (c.namesHeld && held != null && c.responseBytes + n > PASS_BEFORE_HOLDING) {
                        int pass = (int) Math.max(0, PASS_BEFORE_HOLDING - c.responseBytes);
                        out.write(buffer, 0, pass);
                        out.flush();
                        c.responseBytes += pass;
                        holding.countDown();
                        gate.await();
                        out.write(buffer, pass, n - pass);
                        c.responseBytes += n - pass;
                        continue;
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                    if (!request) {
                        c.responseBytes += n;
                    }
                }
            } catch (IOException e) {
                // one side closed
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "registry-proxy-" + (request ? "request" : "response"));
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // nothing to do
        }
    }

    @Override
    public void close() {
        release();
        closeQuietly(server);
        sockets.forEach(GatedRegistryProxy::closeQuietly);
    }

    private static void closeQuietly(ServerSocket s) {
        try {
            s.close();
        } catch (IOException e) {
            // nothing to do
        }
    }
}
