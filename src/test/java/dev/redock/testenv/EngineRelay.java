package dev.redock.testenv;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The test engine on a TCP port of 127.0.0.1, byte for byte, except for the engine's event stream, which the real engine
 * does not lose on demand: a connection that asks for {@code /events} either gets no answer at all and stays open until
 * the relay closes (a stream that never starts), or is cut at once (a stream that fails). It also counts the requests
 * that read a container ({@code GET .../containers/ID/json}).
 *
 * <pre>{@code
 * try (EngineRelay relay = EngineRelay.holdingBackEvents()) {
 *     DockerEngine engine = DockerEngine.connect(EngineSettings.defaults().withHost(relay.host()));
 * }
 * }</pre>
 */
public final class EngineRelay implements AutoCloseable {

    private final ServerSocket server;
    private final Path engineSocket;
    private final List<AutoCloseable> open = new CopyOnWriteArrayList<>();
    private final AtomicInteger heldBack = new AtomicInteger();
    private final AtomicInteger inspections = new AtomicInteger();
    private final boolean cutOff;

    private EngineRelay(ServerSocket server, Path engineSocket, boolean cutOff) {
        this.server = server;
        this.engineSocket = engineSocket;
        this.cutOff = cutOff;
    }

    /** A relay to the test engine's unix socket that answers no request for the engine's events. */
    public static EngineRelay holdingBackEvents() {
        return start(false);
    }

    /** A relay to the test engine's unix socket that closes a connection as soon as it asks for the engine's events. */
    public static EngineRelay cuttingOffEvents() {
        return start(true);
    }

    private static EngineRelay start(boolean cutOff) {
        URI engine = TestEnv.dockerHost();
        if (!"unix".equals(engine.getScheme())) {
            throw new IllegalStateException("the relay needs the test engine on a unix socket, not " + engine);
        }
        try {
            EngineRelay relay = new EngineRelay(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), Path.of(engine.getPath()),
                    cutOff);
            Thread t = new Thread(relay::accept, "engine-relay");
            t.setDaemon(true);
            t.start();
            return relay;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Where to reach the engine through the relay: {@code tcp://127.0.0.1:<port>}. */
    public URI host() {
        return URI.create("tcp://127.0.0.1:" + server.getLocalPort());
    }

    /** How many requests for the engine's events it held back or cut off. */
    public int heldBack() {
        return heldBack.get();
    }

    /** How many requests read a container. */
    public int inspections() {
        return inspections.get();
    }

    @Override
    public String toString() {
        return cutOff ? "a relay that cuts the engine's events off" : "a relay that holds the engine's events back";
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                SocketChannel engine = SocketChannel.open(StandardProtocolFamily.UNIX);
                engine.connect(UnixDomainSocketAddress.of(engineSocket));
                open.add(client);
                open.add(engine);
                boolean[] holding = new boolean[1];
                InputStream fromClient = client.getInputStream();
                OutputStream toClient = client.getOutputStream();
                // The channel's own read and write, not Channels' streams: those share a lock, and a read blocked on one
                // thread would keep the other from writing.
                pump(fromClient::read, (b, n) -> engine.write(ByteBuffer.wrap(b, 0, n)), holding, true, client, engine);
                pump(b -> engine.read(ByteBuffer.wrap(b)), (b, n) -> {
                    toClient.write(b, 0, n);
                    toClient.flush();
                }, holding, false, client, engine);
            } catch (IOException e) {
                if (!server.isClosed()) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }

    private interface Source {
        int read(byte[] buffer) throws IOException;
    }

    private interface Sink {
        void write(byte[] buffer, int length) throws IOException;
    }

    /**
     * Copies one way. Requests on a connection come one after another, and a request for the events keeps its connection
     * for good: once one is seen going out, nothing more comes back on that connection.
     */
    private void pump(Source in, Sink out, boolean[] holding, boolean outbound, Socket client, SocketChannel engine) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[16384];
            try {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    String head = outbound ? new String(buffer, 0, Math.min(n, 512), StandardCharsets.ISO_8859_1) : "";
                    if (head.matches("(?s)GET \\S*/containers/[^/\\s]+/json[?\\s].*")) {
                        inspections.incrementAndGet();
                    }
                    if (head.matches("(?s)GET \\S*/events[?\\s].*")) {
                        heldBack.incrementAndGet();
                        if (cutOff) {
                            return;
                        }
                        synchronized (holding) {
                            holding[0] = true;
                        }
                    }
                    synchronized (holding) {
                        if (!outbound && holding[0]) {
                            continue;
                        }
                    }
                    out.write(buffer, n);
                }
            } catch (IOException e) {
                // one side closed
            } finally {
                // and so does the other
                closeQuietly(client);
                closeQuietly(engine);
            }
        }, "engine-relay-pump");
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // closing anyway
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
        open.forEach(EngineRelay::closeQuietly);
    }
}
