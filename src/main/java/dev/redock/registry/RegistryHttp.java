package dev.redock.registry;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpHeaders;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import javax.net.ssl.SSLException;

import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.DefaultHttpRequestRetryStrategy;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;
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
 *
 * <p>Requests go out on the caller's thread through Apache HttpClient's blocking client, over connections kept open
 * between requests. The JDK's own {@code HttpClient} hands every exchange between the caller, its selector thread and its
 * workers: polling at scale paid some three times the CPU per request for that. A deadline aborts the exchange from a
 * timer thread, which closes its connection, so a blocked read ends at once.
 */
final class RegistryHttp {

    /** The largest answer read: manifests are at most 4 MiB by the OCI spec, tag lists and tokens are small. */
    static final int MAX_BODY_BYTES = 16 * 1024 * 1024;
    static final int MAX_REDIRECTS = 5;

    private static final Logger log = LoggerFactory.getLogger(RegistryHttp.class);
    private static final String USER_AGENT = "Redock";

    private final Supplier<CloseableHttpClient> http;
    private final Duration timeout;
    private final int maxInFlight;
    /** The requests each registry may have under way at once, keyed as the image reference names it. */
    private final ConcurrentMap<String, Semaphore> inFlight = new ConcurrentHashMap<>();

    /**
     * @param http        a client that does not follow redirects itself, asked for at each request ({@link #onFirstUse})
     * @param timeout     for each request as a whole, the wait for a free slot included
     * @param maxInFlight how many requests each registry may have under way at once; more wait for a slot
     */
    RegistryHttp(Supplier<CloseableHttpClient> http, Duration timeout, int maxInFlight) {
        this.http = http;
        this.timeout = timeout;
        this.maxInFlight = maxInFlight;
    }

    /**
     * The client {@code build} makes, made at the first request rather than with Redock: making one sets up TLS (some
     * 0.4 s), which a command that never asks a registry (most of the CLI's) need not wait for.
     */
    static Supplier<CloseableHttpClient> onFirstUse(Supplier<CloseableHttpClient> build) {
        return new Supplier<>() {
            private CloseableHttpClient client;

            @Override
            public synchronized CloseableHttpClient get() {
                if (client == null) {
                    client = build.get();
                }
                return client;
            }
        };
    }

    /**
     * A client for registry requests: it follows no redirects, keeps no cookies, does no authentication of its own, sends
     * plain bodies, and keeps up to {@code perHost} connections open to each host (as the proxy and TLS system properties
     * say, as the JDK's client would). It tries an idempotent request again once when a connection kept open turns out
     * closed by the server, and never on an answer (a 429 or a 503 is the caller's to back off on).
     */
    static CloseableHttpClient newClient(Duration timeout, int perHost) {
        Timeout bound = Timeout.of(timeout);
        return HttpClients.custom()
                .useSystemProperties()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .useSystemProperties()
                        .setMaxConnPerRoute(perHost)
                        .setMaxConnTotal(perHost * 16)
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(bound)
                                .setSocketTimeout(bound)
                                .setValidateAfterInactivity(TimeValue.ofSeconds(1))
                                .build())
                        .build())
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setConnectionRequestTimeout(bound)
                        .setResponseTimeout(bound)
                        .build())
                .setRetryStrategy(new OnceOnAClosedConnection())
                .disableRedirectHandling()
                .disableCookieManagement()
                .disableAuthCaching()
                .disableContentCompression()
                .setUserAgent(USER_AGENT)
                .build();
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
     * ({@link #timeout}): the wait for a slot, connecting, the headers and the body.
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
            Reply reply = sendOnce(registry, method, current, currentHeaders, body, deadline);
            int status = reply.status();
            String location = reply.header("Location");
            boolean redirect = (status == 301 || status == 302 || status == 303 || status == 307 || status == 308)
                    && location != null && body == null;
            if (redirect && hop < MAX_REDIRECTS) {
                URI next;
                try {
                    next = current.resolve(location.strip());
                } catch (IllegalArgumentException e) {
                    throw new RegistryProtocolException(registry, current.getAuthority() + " redirected to an invalid location \""
                            + location + "\"");
                }
                if (!sameOrigin(current, next)) {
                    currentHeaders.remove("Authorization");
                }
                log.debug("{} redirected {} to {}", current.getAuthority(), method, next.getAuthority());
                current = next;
                continue;
            }
            return reply;
        }
    }

    /**
     * Sends one request and reads its whole answer (at most {@value #MAX_BODY_BYTES} bytes) before the deadline
     * ({@link System#nanoTime()}), or aborts the exchange: aborting closes its connection, so a registry that stalls
     * mid-answer holds neither a thread nor a socket beyond the deadline.
     */
    private Reply sendOnce(String registry, String method, URI uri, Map<String, String> headers, byte[] body, long deadline)
            throws RegistryException {
        if (Thread.interrupted()) {
            Thread.currentThread().interrupt();
            throw new RegistryUnavailableException(registry, "interrupted while asking " + uri.getAuthority(), null);
        }
        HttpUriRequestBase request;
        try {
            request = new HttpUriRequestBase(method, uri);
        } catch (IllegalArgumentException e) {
            throw new RegistryProtocolException(registry, "cannot ask " + uri + ": " + e.getMessage());
        }
        Map<String, String> rest = new LinkedHashMap<>(headers);
        String contentType = rest.remove("Content-Type");
        rest.forEach(request::setHeader);
        if (body != null) {
            request.setEntity(new ByteArrayEntity(body, contentType == null ? null : ContentType.parse(contentType)));
        }
        AtomicBoolean late = new AtomicBoolean();
        ScheduledFuture<?> alarm = Deadlines.TIMER.schedule(() -> {
            late.set(true);
            request.cancel();
        }, Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        boolean answered = false;
        try (ClassicHttpResponse response = http.get().executeOpen(null, request, null)) {
            answered = true;
            byte[] bytes = method.equals("HEAD") ? new byte[0] : read(response.getEntity());
            return new Reply(response.getCode(), headersOf(response), bytes, uri);
        } catch (TooLargeException e) {
            throw new RegistryProtocolException(registry, uri.getAuthority() + " sent more than " + MAX_BODY_BYTES / (1024 * 1024)
                    + " MiB for " + uri.getPath());
        } catch (IOException e) {
            boolean noAnswerInTime = cause(e, ConnectTimeoutException.class) == null && cause(e, SocketTimeoutException.class) != null;
            if (late.get() || noAnswerInTime) {
                throw new RegistryUnavailableException(registry, "registry " + uri.getAuthority() + " sent no complete answer within "
                        + Durations.spoken(timeout), e);
            }
            throw answered ? new RegistryUnavailableException(registry, uri.getAuthority() + " broke off its answer: " + describe(e), e)
                    : failure(registry, uri, e);
        } finally {
            alarm.cancel(false);
        }
    }

    /** The body, read whole: refused unread when it says it is larger than the limit, cut off when it grows past it. */
    private static byte[] read(HttpEntity entity) throws IOException {
        if (entity == null) {
            return new byte[0];
        }
        if (entity.getContentLength() > MAX_BODY_BYTES) {
            throw new TooLargeException();
        }
        try (InputStream in = entity.getContent()) {
            byte[] bytes = in.readNBytes(MAX_BODY_BYTES + 1);
            if (bytes.length > MAX_BODY_BYTES) {
                throw new TooLargeException();
            }
            return bytes;
        }
    }

    /** The answer's headers, looked up by name whatever their case (as {@link Reply} does). */
    private static HttpHeaders headersOf(HttpResponse response) {
        Map<String, List<String>> map = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (Header h : response.getHeaders()) {
            map.computeIfAbsent(h.getName(), k -> new ArrayList<>()).add(h.getValue());
        }
        return HttpHeaders.of(map, (name, value) -> true);
    }

    /** What a failed exchange, before any answer came, means for the user. */
    private RegistryException failure(String registry, URI uri, Throwable e) {
        String host = uri.getAuthority();
        if (cause(e, ConnectTimeoutException.class) != null) {
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

    /** The body was larger than the limit; nothing more of it was read. */
    private static final class TooLargeException extends IOException {
        TooLargeException() {
            super("body larger than " + MAX_BODY_BYTES + " bytes");
        }
    }

    /**
     * Tries an idempotent request once more when its connection failed before any answer (a connection kept open that the
     * server had closed meanwhile), as the JDK's client does; never on an answer, whatever its status.
     */
    private static final class OnceOnAClosedConnection extends DefaultHttpRequestRetryStrategy {
        OnceOnAClosedConnection() {
            super(1, TimeValue.ZERO_MILLISECONDS);
        }

        @Override
        public boolean retryRequest(HttpResponse response, int execCount, HttpContext context) {
            return false;
        }
    }

    /** The one timer thread that aborts exchanges past their deadline, made at the first request. */
    private static final class Deadlines {
        static final ScheduledThreadPoolExecutor TIMER = timer();

        private static ScheduledThreadPoolExecutor timer() {
            ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
                Thread t = Executors.defaultThreadFactory().newThread(r);
                t.setName("redock-registry-deadline");
                t.setDaemon(true);
                return t;
            });
            timer.setRemoveOnCancelPolicy(true);
            return timer;
        }
    }
}
