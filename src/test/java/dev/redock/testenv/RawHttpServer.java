package dev.redock.testenv;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A server of raw HTTP/1.1 answers on 127.0.0.1, for the network faults no real registry or git server produces on
 * demand: an answer that stops after its headers, one that trickles a byte at a time, a body without end. WireMock
 * shapes bodies; this one also tells when the client gave up on an answer and closed the connection ({@link #abandoned()}),
 * which is how a test sees that a request was aborted rather than left hanging.
 *
 * <p>Each connection carries one request: its head is read and handed to the test's {@link Answer} on a thread of its
 * own, and the connection is closed when the answer returns.
 */
public final class RawHttpServer implements AutoCloseable {

    /** What the server writes for one request; it may block, e.g. in {@link Connection#stall()}. */
    @FunctionalInterface
    public interface Answer {
        void write(Connection connection) throws IOException, InterruptedException;
    }

    /** A request line and what the server may do with its connection. */
    public final class Connection {
        private final Socket socket;
        private final String method;
        private final String path;

        private Connection(Socket socket, String method, String path) {
            this.socket = socket;
            this.method = method;
            this.path = path;
        }

        public String method() {
            return method;
        }

        /** The server's {@link RawHttpServer#address()}, e.g. for a token realm on the same server. */
        public String serverAddress() {
            return address();
        }

        /** The request's path, with its query. */
        public String path() {
            return path;
        }

        /** Writes text as it is (ASCII: a status line, headers, a body) and sends it at once. */
        public void send(String text) throws IOException {
            send(text.getBytes(StandardCharsets.US_ASCII));
        }

        public void send(byte[] bytes) throws IOException {
            OutputStream out = socket.getOutputStream();
            out.write(bytes);
            out.flush();
        }

        /** Sends nothing more, until the client closes the connection (then counted in {@link #abandoned()}). */
        public void stall() throws IOException {
            InputStream in = socket.getInputStream();
            try {
                while (in.read() >= 0) {
                    // the client has nothing more to say: wait for it to give up
                }
            } catch (IOException closed) {
                // reset by the client (or by close()): it gave up too
            }
            gaveUp();
        }

        /**
         * Sends one byte every {@code everyMillis} until the client closes the connection (then counted in
         * {@link #abandoned()}): never silent long enough for a read timeout.
         */
        public void trickle(byte filler, long everyMillis) throws InterruptedException {
            repeat(new byte[] {filler}, everyMillis);
        }

        /**
         * Sends the bytes again and again, every {@code everyMillis} (0: as fast as the client reads), until the client
         * closes the connection (then counted in {@link #abandoned()}).
         */
        public void repeat(byte[] bytes, long everyMillis) throws InterruptedException {
            try {
                while (true) {
                    send(bytes);
                    Thread.sleep(everyMillis);
                }
            } catch (IOException closed) {
                gaveUp();
            }
        }

        private void gaveUp() {
            if (!closing) {
                abandoned.incrementAndGet();
            }
        }
    }

    private final ServerSocket server;
    private final Answer answer;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "raw-http-server");
        t.setDaemon(true);
        return t;
    });
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger abandoned = new AtomicInteger();
    private volatile boolean closing;

    private RawHttpServer(ServerSocket server, Answer answer) {
        this.server = server;
        this.answer = answer;
    }

    /**
     * A registry whose manifests stall after their headers: a {@code HEAD} answers without {@code Docker-Content-Digest},
     * so the client fetches the manifest to hash it, and that {@code GET} sends its headers and one byte of 1000.
     */
    public static Answer manifestsStallingAfterTheirHeaders() {
        return c -> {
            String headers = "HTTP/1.1 200 OK\r\nContent-Type: application/vnd.oci.image.index.v1+json\r\nContent-Length: ";
            if (c.method().equals("HEAD")) {
                c.send(headers + "0\r\n\r\n");
            } else {
                c.send(headers + "1000\r\n\r\n{");
                c.stall();
            }
        };
    }

    /** Starts serving on a free port of 127.0.0.1. */
    public static RawHttpServer start(Answer answer) {
        try {
            RawHttpServer s = new RawHttpServer(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), answer);
            s.threads.execute(s::accept);
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return server.getLocalPort();
    }

    /** {@code 127.0.0.1:<port>}, as an image reference names a registry. */
    public String address() {
        return "127.0.0.1:" + port();
    }

    /** The requests received so far, as {@code METHOD path}. */
    public List<String> requests() {
        return List.copyOf(requests);
    }

    /** How many answers the client gave up on: it closed the connection while the answer stalled or trickled. */
    public int abandoned() {
        return abandoned.get();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                open.add(socket);
                threads.execute(() -> serve(socket));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            String[] requestLine = readHead(socket.getInputStream()).split(" ");
            if (requestLine.length < 2) {
                return;
            }
            requests.add(requestLine[0] + " " + requestLine[1]);
            answer.write(new Connection(socket, requestLine[0], requestLine[1]));
        } catch (IOException | InterruptedException e) {
            // the client or close() ended it
        } finally {
            open.remove(socket);
        }
    }

    /** The request head up to its blank line; returns its first line. */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        for (int b; matched < end.length && (b = in.read()) >= 0; ) {
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        String text = head.toString(StandardCharsets.US_ASCII);
        int eol = text.indexOf("\r\n");
        return eol < 0 ? text : text.substring(0, eol);
    }

    @Override
    public void close() {
        closing = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (Socket socket : open) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        threads.shutdownNow();
    }
}
