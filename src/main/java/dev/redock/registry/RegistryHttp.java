package dev.redock.registry;

import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import javax.net.ssl.SSLException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.redock.model.Durations;

/**
 * One request to a registry over HTTP, for {@link RegistryClient}: redirects are followed (up to {@value #MAX_REDIRECTS})
 * without carrying {@code Authorization} to another origin; the whole request, redirects included, is bounded by one
 * deadline (connecting, the headers and the body) and then aborted; every answer is read into at most
 * {@value #MAX_BODY_BYTES} bytes; and the network's failures become {@link RegistryException}s a user can read. A
 * registry that stalls half way through an answer, or answers without end, fails the request instead of holding the
 * caller.
 *
 * <p>Each registry has a few requests under way at most; more wait for one of them to end (within their deadline). So
 * many checks side by side never open more than that many connections to one registry, and a registry that stalls
 * holds its own slots only: the requests to other registries go on.
 */
final class RegistryHttp {

    /** The largest answer read: manifests are at most 4 MiB by the OCI spec, tag lists and tokens are small. */
    static final int MAX_BODY_BYTES = 16 * 1024 * 1024;
    static final int MAX_REDIRECTS = 5;

    private static final Logger log = LoggerFactory.getLogger(RegistryHttp.class);
    private static final String USER_AGENT = "Redock";

    private final Supplier<HttpClient> http;
    private final Duration timeout;
    private final int maxInFlight;
    /** The requests each registry may have under way at once, keyed as the image reference names it. */
    private final ConcurrentMap<String, Semaphore> inFlight = new ConcurrentHashMap<>();

    /**
     * @param http        a client that does not follow redirects itself, asked for at each request ({@link #onFirstUse})
     * @param timeout     for each request as a whole, the wait for a free slot included
     * @param maxInFlight how many requests each registry may have under way at once; more wait for a slot
     */
    RegistryHttp(Supplier<HttpClient> http, Duration timeout, int maxInFlight) {
        this.http = http;
        this.timeout = timeout;
        this.maxInFlight = maxInFlight;
    }

    /**
     * The client {@code build} makes, made at the first request rather than with Redock: making one sets up TLS (some
     * 0.4 s), which a command that never asks a registry (most of the CLI's) need not wait for.
     */
    static Supplier<HttpClient> onFirstUse(Supplier<HttpClient> build) {
        return new Supplier<>() {
            private HttpClient client;

            @Override
            public synchronized HttpClient get() {
                if (client == null) {
                    client = build.get();
                }
                return client;
            }
        };
    }

    /** The headers of a request: {@code Accept}, and {@code Authorization} unless it is null. */
    static Map<String, String> headers(String accept, String authorization) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Accept", accept);
        if (authorization != null) {
            headers.put("Authorization", authorization);
        }
        return headers;
    }

    /**
     * One request, following redirects (without carrying Authorization to another origin), with the failures of the
     * network turned into {@link RegistryUnavailableException}s. The whole request, redirects included, has one deadline
     * ({@link #timeout}): connecting, the headers and the body.
     */
    Reply send(String registry, String method, URI uri, Map<String, String> headers, byte[] body)
            throws RegistryException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Semaphore slots = inFlight.computeIfAbsent(registry, r -> new Semaphore(maxInFlight, true));
        try {
            if (!slots.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                throw new RegistryUnavailableException(registry, "registry " + uri.getAuthority() + " answered none of "
                        + maxInFlight + " requests under way within " + Durations.spoken(timeout), null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryUnavailableException(registry, "interrupted while waiting to ask " + uri.getAuthority(), e);
        }
        try {
            return sendFollowing(registry, method, uri, headers, body, deadline);
        } finally {
            slots.release();
        }
    }

    private Reply sendFollowing(String registry, String method, URI uri, Map<String, String> headers, byte[] body,
                                long deadline) throws RegistryException {
        URI current = uri;
        Map<String, String> currentHeaders = new LinkedHashMap<>(headers);
        for (int hop = 0; ; hop++) {
            HttpResponse<byte[]> response = sendOnce(registry, method, current, currentHeaders, body, deadline);
            int status = response.statusCode();
            Optional<String> location = response.headers().firstValue("Location");
            boolean redirect = (status == 301 || status == 302 || status == 303 || status == 307 || status == 308)
                    && location.isPresent() && body == null;
            if (redirect && hop < MAX_REDIRECTS) {
                URI next;
                try {
                    next = current.resolve(location.get().strip());
                } catch (IllegalArgumentException e) {
                    throw new RegistryProtocolException(registry, current.getAuthority() + " redirected to an invalid location \""
                            + location.get() + "\"");
                }
                if (!sameOrigin(current, next)) {
                    currentHeaders.remove("Authorization");
                }
                log.debug("{} redirected {} to {}", current.getAuthority(), method, next.getAuthority());
                current = next;
                continue;
            }
            return new Reply(status, response.headers(), response.body(), current);
        }
    }

    /**
     * Sends one request and reads its whole answer (at most {@value #MAX_BODY_BYTES} bytes) before the deadline
     * ({@link System#nanoTime()}), or aborts the exchange: cancelling the future {@code sendAsync} returned closes its
     * connection, so a registry that stalls mid-answer holds neither a thread nor a socket.
     */
    private HttpResponse<byte[]> sendOnce(String registry, String method, URI uri, Map<String, String> headers, byte[] body,
                                         long deadline) throws RegistryException {
        CompletableFuture<HttpResponse<byte[]>> answer;
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                    .header("User-Agent", USER_AGENT)
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
            headers.forEach(request::header);
            if ("http".equalsIgnoreCase(uri.getScheme())) {
                request.version(HttpClient.Version.HTTP_1_1); // no h2c upgrade dance on plain http
            }
            answer = http.get().sendAsync(request.build(), method.equals("HEAD")
                    ? HttpResponse.BodyHandlers.replacing(new byte[0])
                    : LimitedBody.handler(MAX_BODY_BYTES));
        } catch (IllegalArgumentException e) {
            throw new RegistryProtocolException(registry, "cannot ask " + uri + ": " + e.getMessage());
        }
        try {
            return answer.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            answer.cancel(true);
            throw new RegistryUnavailableException(registry, "registry " + uri.getAuthority() + " sent no complete answer within "
                    + Durations.spoken(timeout), e);
        } catch (InterruptedException e) {
            answer.cancel(true);
            Thread.currentThread().interrupt();
            throw new RegistryUnavailableException(registry, "interrupted while asking " + uri.getAuthority(), e);
        } catch (ExecutionException e) {
            throw failure(registry, uri, e.getCause());
        }
    }

    /** What a failed exchange means for the user. */
    private RegistryException failure(String registry, URI uri, Throwable e) {
        String host = uri.getAuthority();
        if (causedBy(e, LimitedBody.TooLargeException.class)) {
            return new RegistryProtocolException(registry, host + " sent more than " + MAX_BODY_BYTES / (1024 * 1024)
                    + " MiB for " + uri.getPath());
        }
        if (causedBy(e, LimitedBody.BrokenOffException.class)) {
            return new RegistryUnavailableException(registry, host + " broke off its answer: " + describe(e), e);
        }
        if (causedBy(e, HttpConnectTimeoutException.class)) {
            return new RegistryUnavailableException(registry, host + " is unreachable: no connection within "
                    + Durations.spoken(timeout), e);
        }
        Throwable tls = cause(e, SSLException.class);
        if (tls != null) {
            return new RegistryUnavailableException(registry, host + " failed the TLS handshake: "
                    + Objects.requireNonNullElse(tls.getMessage(), tls.getClass().getSimpleName()), e);
        }
        return new RegistryUnavailableException(registry, host + " is unreachable: " + describe(e), e);
    }

    private static boolean sameOrigin(URI a, URI b) {
        return Objects.equals(lower(a.getScheme()), lower(b.getScheme())) && Objects.equals(lower(a.getHost()), lower(b.getHost()))
                && port(a) == port(b);
    }

    private static int port(URI uri) {
        return uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    private static String lower(String s) {
        return s == null ? null : s.toLowerCase(Locale.ROOT);
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> kind) {
        return cause(e, kind) != null;
    }

    /** The first exception of that kind in the chain, or null. */
    private static Throwable cause(Throwable e, Class<? extends Throwable> kind) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (kind.isInstance(t)) {
                return t;
            }
        }
        return null;
    }

    /** A short reason for a network failure: "connection refused", "unknown host", or the exception's own words. */
    static String describe(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnresolvedAddressException || t instanceof UnknownHostException) {
                return "unknown host";
            }
            String message = t.getMessage();
            if (message != null && message.toLowerCase(Locale.ROOT).contains("connection refused")) {
                return "connection refused";
            }
        }
        if (e instanceof ConnectException) {
            return "connection refused";
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                return t.getMessage();
            }
        }
        return e.getClass().getSimpleName();
    }
}
