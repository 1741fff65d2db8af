package dev.redock.registry;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.SSLException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.redock.model.Durations;
import dev.redock.model.ImageRef;
import dev.redock.model.TagDigest;

/**
 * A client of the Registry HTTP API v2 (the OCI Distribution API) that tells which digest a tag points at.
 *
 * <p>{@link #digest(ImageRef)} costs one {@code HEAD /v2/<repository>/manifests/<tag>} in the steady state. It always
 * sends the same, complete {@code Accept} list ({@link #MANIFEST_ACCEPT}), so a multi-platform tag always yields its
 * index's digest and never one platform's manifest digest: the digest of a tag only changes when the tag moves.
 *
 * <p>Authentication follows the registry's {@code WWW-Authenticate} challenge: anonymous, Basic, or the Bearer token
 * flow (Docker Hub, GHCR, Harbor, ...), with credentials from a {@link CredentialStore}. Tokens are kept per registry and
 * scope until shortly before they expire, and the client remembers which scheme each registry wants so the next request
 * carries it up front. Credentials are sent to a token endpoint only over https, or over http on loopback.
 *
 * <p>Failures are {@link RegistryException}s with messages fit for the user. The client does not retry by itself: the
 * caller decides, e.g. with a {@link RegistryBackoff}. Every request is bounded as a whole (connecting, headers and
 * body) by the client's timeout and then aborted, and every answer is read into at most {@value #MAX_BODY_BYTES} bytes:
 * a registry that stalls half way through an answer, or answers without end, fails the request instead of holding the
 * caller. Redirects are followed (up to {@value #MAX_REDIRECTS}); the
 * {@code Authorization} header is not carried to another host. TLS is verified by the {@link HttpClient}'s default
 * context. Thread-safe.
 */
public final class RegistryClient {

    /** OCI image index: a multi-platform image. */
    public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    /** Docker manifest list: a multi-platform image. */
    public static final String DOCKER_MANIFEST_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    /** OCI image manifest: one platform. */
    public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    /** Docker image manifest v2 schema 2: one platform. */
    public static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    /** The {@code Accept} header of every manifest request, indexes first, always the same. */
    public static final String MANIFEST_ACCEPT = String.join(", ", OCI_INDEX, DOCKER_MANIFEST_LIST, OCI_MANIFEST, DOCKER_MANIFEST);

    /** The default time allowed for each request as a whole: connecting, the headers and the body. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    /** The largest answer read: manifests are at most 4 MiB by the OCI spec, tag lists and tokens are small. */
    static final int MAX_BODY_BYTES = 16 * 1024 * 1024;
    static final int MAX_REDIRECTS = 5;
    static final int MAX_TAG_PAGES = 1000;
    /** A token lifetime when the token endpoint does not say ({@code expires_in}). */
    static final Duration DEFAULT_TOKEN_LIFETIME = Duration.ofSeconds(60);

    private static final Logger log = LoggerFactory.getLogger(RegistryClient.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String USER_AGENT = "Redock";
    private static final Pattern DIGEST = Pattern.compile("[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+");
    private static final Pattern NEXT_LINK = Pattern.compile("<([^>]*)>\\s*;[^,]*rel=\"?next\"?", Pattern.CASE_INSENSITIVE);

    private final CredentialStore credentials;
    private final HttpClient http;
    private final Duration timeout;
    private final Clock clock;
    private final Function<String, URI> endpoints;

    /** What each registry asked for last time (keyed by registry); absent means it never asked. */
    private final ConcurrentMap<String, AuthScheme> schemes = new ConcurrentHashMap<>();
    /** The token scope each repository's challenge named (keyed by registry/repository). */
    private final ConcurrentMap<String, String> scopes = new ConcurrentHashMap<>();
    private final ConcurrentMap<TokenKey, Token> tokens = new ConcurrentHashMap<>();

    /**
     * A client with its own {@link HttpClient}, speaking to registries where Docker would ({@link RegistryEndpoints}).
     *
     * @param credentials where credentials come from
     * @param timeout     for each request as a whole: connecting, the headers and the body
     */
    public RegistryClient(CredentialStore credentials, Duration timeout) {
        this(builder(credentials).timeout(timeout));
    }

    private RegistryClient(Builder b) {
        this.credentials = b.credentials;
        this.timeout = b.timeout;
        this.clock = b.clock;
        this.endpoints = b.endpoints;
        this.http = b.httpClient != null
                ? b.httpClient
                : HttpClient.newBuilder()
                        .connectTimeout(b.timeout)
                        .followRedirects(HttpClient.Redirect.NEVER) // followed here, so Authorization stays on its host
                        .build();
    }

    /** A builder, for tests or for wiring that needs another HTTP client, clock or endpoint mapping. */
    public static Builder builder(CredentialStore credentials) {
        return new Builder(credentials);
    }

    /**
     * The digest the image's tag points at now ({@code HEAD /v2/<repository>/manifests/<tag>}). When the registry does
     * not say ({@code Docker-Content-Digest}), the manifest is fetched and its bytes hashed with SHA-256.
     *
     * @throws RegistryAuthException        credentials are missing or refused
     * @throws ManifestUnknownException     no such repository or tag
     * @throws RegistryRateLimitedException the registry answered 429
     * @throws RegistryUnavailableException network trouble, timeout or a 5xx answer
     * @throws RegistryProtocolException    an answer that cannot be used
     */
    public TagDigest digest(ImageRef ref) throws RegistryException {
        URI uri = resolve(ref.registry(), "/v2/" + ref.repository() + "/manifests/" + ref.tag());
        Reply head = exchange(ref, "HEAD", uri, MANIFEST_ACCEPT);
        expectOk(ref, head);
        String digest = head.header("Docker-Content-Digest");
        if (digest != null && !digest.isBlank()) {
            TagDigest result = new TagDigest(validDigest(ref, head, digest.strip()), mediaType(head.header("Content-Type")));
            log.debug("{} is at {}", ref.familiar(), result.digest());
            return result;
        }
        log.debug("{} sent no Docker-Content-Digest for {}; fetching the manifest to hash it", head.host(), ref.familiar());
        Reply get = exchange(ref, "GET", uri, MANIFEST_ACCEPT);
        expectOk(ref, get);
        String stated = get.header("Docker-Content-Digest");
        String computed = "sha256:" + sha256(get.body());
        if (stated != null && !stated.isBlank() && !stated.strip().equals(computed)) {
            log.debug("{} states {} for {}, the body hashes to {}; using the stated digest", get.host(), stated, ref.familiar(),
                    computed);
            computed = validDigest(ref, get, stated.strip());
        }
        String mediaType = mediaType(get.header("Content-Type"));
        if (mediaType == null || mediaType.equals("application/json") || mediaType.equals("text/plain")) {
            mediaType = mediaTypeInBody(get.body()).orElse(mediaType);
        }
        return new TagDigest(computed, mediaType);
    }

    /**
     * The repository's tags ({@code GET /v2/<repository>/tags/list}), following {@code Link} pagination, in the order
     * the registry gives them. The reference's tag is ignored.
     *
     * @throws ManifestUnknownException when the repository does not exist
     * @throws RegistryException        as for {@link #digest(ImageRef)}
     */
    public List<String> tags(ImageRef ref) throws RegistryException {
        List<String> tags = new ArrayList<>();
        URI next = resolve(ref.registry(), "/v2/" + ref.repository() + "/tags/list");
        for (int page = 0; next != null; page++) {
            if (page >= MAX_TAG_PAGES) {
                throw new RegistryProtocolException(ref.registry(), next.getAuthority() + " kept paginating the tags of "
                        + ref.name() + " beyond " + MAX_TAG_PAGES + " pages");
            }
            Reply reply = exchange(ref, "GET", next, "application/json");
            expectOk(ref, reply);
            JsonNode body = parseJson(ref, reply, "tag list");
            for (JsonNode tag : body.path("tags")) {
                if (tag.isTextual()) {
                    tags.add(tag.asText());
                }
            }
            next = reply.headers().allValues("Link").stream()
                    .map(NEXT_LINK::matcher)
                    .filter(Matcher::find)
                    .map(m -> reply.uri().resolve(m.group(1)))
                    .findFirst()
                    .orElse(null);
        }
        return tags;
    }

    // ---- authentication ----------------------------------------------------------------------------------------------

    /**
     * Sends a request with whatever authorization the registry is known to want, and answers a 401 challenge once. A
     * 401 after that is a {@link RegistryAuthException}.
     */
    private Reply exchange(ImageRef ref, String method, URI uri, String accept) throws RegistryException {
        String registry = ref.registry();
        Optional<Credentials> creds = credentials.lookup(registry);
        String upFront = upFrontAuthorization(ref, creds);
        Reply reply = send(registry, method, uri, headers(accept, upFront), null);
        if (reply.status() != 401) {
            return reply;
        }
        List<String> challenges = reply.headers().allValues("WWW-Authenticate");
        Optional<AuthChallenge> bearer = AuthChallenge.find(challenges, "bearer").filter(c -> c.param("realm") != null);
        if (bearer.isPresent()) {
            AuthScheme scheme = AuthScheme.bearer(bearer.get().param("realm"), bearer.get().param("service"));
            if (!scheme.equals(schemes.put(registry, scheme))) {
                log.debug("{} wants Bearer tokens from {}", registry, scheme.realm());
            }
            String scope = Optional.ofNullable(bearer.get().param("scope")).orElse(defaultScope(ref));
            scopes.put(repositoryKey(ref), scope);
            tokens.remove(new TokenKey(registry, scope));
            String token = fetchToken(ref, scheme, scope, creds);
            reply = send(registry, method, uri, headers(accept, "Bearer " + token), null);
            if (reply.status() == 401) {
                tokens.remove(new TokenKey(registry, scope));
                throw accessDenied(ref, creds);
            }
            return reply;
        }
        if (AuthChallenge.find(challenges, "basic").isPresent()) {
            if (!AuthScheme.BASIC.equals(schemes.put(registry, AuthScheme.BASIC))) {
                log.debug("{} wants Basic authentication", registry);
            }
            if (creds.isEmpty() || !creds.get().hasPassword()) {
                throw needsCredentials(ref);
            }
            String basic = creds.get().basicHeader();
            if (!basic.equals(upFront)) {
                reply = send(registry, method, uri, headers(accept, basic), null);
            }
            if (reply.status() == 401) {
                credentials.forget(registry);
                throw refused(ref, creds.get());
            }
            return reply;
        }
        throw creds.isPresent() ? refused(ref, creds.get()) : needsCredentials(ref);
    }

    /** The Authorization header the registry wanted last time, fetching a token if the one kept has expired. */
    private String upFrontAuthorization(ImageRef ref, Optional<Credentials> creds) throws RegistryException {
        AuthScheme scheme = schemes.get(ref.registry());
        if (scheme == null) {
            return null;
        }
        if (scheme == AuthScheme.BASIC) {
            return creds.filter(Credentials::hasPassword).map(Credentials::basicHeader).orElse(null);
        }
        String scope = scopes.getOrDefault(repositoryKey(ref), defaultScope(ref));
        Token kept = tokens.get(new TokenKey(ref.registry(), scope));
        if (kept != null && clock.instant().isBefore(kept.usableUntil())) {
            return "Bearer " + kept.value();
        }
        return "Bearer " + fetchToken(ref, scheme, scope, creds);
    }

    /**
     * Gets a token from the realm: {@code GET realm?service=..&scope=..}, with Basic credentials when there are any; or,
     * with only an identity token, the OAuth2 refresh-token grant ({@code POST realm}).
     */
    private String fetchToken(ImageRef ref, AuthScheme scheme, String scope, Optional<Credentials> creds) throws RegistryException {
        String registry = ref.registry();
        URI realm;
        try {
            realm = URI.create(scheme.realm());
        } catch (IllegalArgumentException e) {
            throw new RegistryProtocolException(registry, registry + " named an invalid token realm \"" + scheme.realm() + "\"");
        }
        if (realm.getHost() == null || !("https".equalsIgnoreCase(realm.getScheme()) || "http".equalsIgnoreCase(realm.getScheme()))) {
            throw new RegistryProtocolException(registry, registry + " named an invalid token realm \"" + scheme.realm() + "\"");
        }
        boolean secure = realm.getScheme().equalsIgnoreCase("https") || RegistryEndpoints.isLoopback(realm.getAuthority());
        Credentials user = creds.orElse(null);
        if (user != null && !secure) {
            throw new RegistryAuthException(registry, "not sending the credentials for " + registry + " to " + realm.getAuthority()
                    + " over plain http (its token realm is " + realm.getScheme() + "://" + realm.getAuthority() + ")");
        }
        List<String> params = new ArrayList<>();
        if (scheme.service() != null) {
            params.add("service=" + encode(scheme.service()));
        }
        for (String s : scope.trim().split("\\s+")) {
            if (!s.isEmpty()) {
                params.add("scope=" + encode(s));
            }
        }
        Instant requested = clock.instant();
        Reply reply;
        if (user != null && !user.hasPassword() && user.identityToken() != null) {
            params.add("grant_type=refresh_token");
            params.add("client_id=redock");
            params.add("refresh_token=" + encode(user.identityToken()));
            Map<String, String> headers = headers("application/json", null);
            headers.put("Content-Type", "application/x-www-form-urlencoded");
            reply = send(registry, "POST", realm, headers, String.join("&", params).getBytes(StandardCharsets.UTF_8));
        } else {
            String query = String.join("&", params);
            URI uri = URI.create(scheme.realm() + (query.isEmpty() ? "" : (scheme.realm().contains("?") ? "&" : "?") + query));
            String authorization = user != null && user.hasPassword() ? user.basicHeader() : null;
            reply = send(registry, "GET", uri, headers("application/json", authorization), null);
        }
        if (reply.status() == 401 || reply.status() == 403) {
            if (user == null) {
                throw needsCredentials(ref);
            }
            credentials.forget(registry);
            throw refused(ref, user);
        }
        if (reply.status() != 200) {
            throw statusFailure(ref, reply, "a token");
        }
        JsonNode body = parseJson(ref, reply, "token");
        String token = body.path("token").asText("");
        if (token.isEmpty()) {
            token = body.path("access_token").asText("");
        }
        if (token.isEmpty()) {
            throw new RegistryProtocolException(registry, reply.host() + " answered without a token for " + ref.familiar());
        }
        long seconds = body.path("expires_in").asLong(0);
        Duration lifetime = seconds > 0 ? Duration.ofSeconds(seconds) : DEFAULT_TOKEN_LIFETIME;
        Duration margin = min(Duration.ofSeconds(10), lifetime.dividedBy(10));
        tokens.put(new TokenKey(registry, scope), new Token(token, requested.plus(lifetime).minus(margin)));
        log.debug("Got a token for {} from {} ({}), usable for {} s", scope, reply.host(), user == null ? "anonymous" : "as "
                + user.username(), lifetime.minus(margin).toSeconds());
        return token;
    }

    private static String defaultScope(ImageRef ref) {
        return "repository:" + ref.repository() + ":pull";
    }

    private static String repositoryKey(ImageRef ref) {
        return ref.registry() + "/" + ref.repository();
    }

    private RegistryAuthException needsCredentials(ImageRef ref) {
        String registry = ref.registry();
        return new RegistryAuthException(registry, "needs credentials: docker login " + registry + " (" + registry
                + " refused anonymous access to " + ref.familiar() + "; or the repository does not exist)");
    }

    private RegistryAuthException refused(ImageRef ref, Credentials user) {
        String registry = ref.registry();
        return new RegistryAuthException(registry, "unauthorised: " + registry + " refused the credentials of user \""
                + user.username() + "\" for " + ref.familiar() + " (check them with docker login " + registry + ")");
    }

    private RegistryAuthException accessDenied(ImageRef ref, Optional<Credentials> creds) {
        if (creds.isEmpty()) {
            return needsCredentials(ref);
        }
        String registry = ref.registry();
        credentials.forget(registry);
        return new RegistryAuthException(registry, "unauthorised: " + registry + " refused user \"" + creds.get().username()
                + "\" access to " + ref.familiar() + " (no pull permission, or the repository does not exist)");
    }

    // ---- answers -----------------------------------------------------------------------------------------------------

    private void expectOk(ImageRef ref, Reply reply) throws RegistryException {
        if (reply.status() != 200) {
            throw statusFailure(ref, reply, null);
        }
    }

    /** The exception for an answer other than 200 (401 is handled before). */
    private RegistryException statusFailure(ImageRef ref, Reply reply, String what) {
        String registry = ref.registry();
        int status = reply.status();
        String answered = reply.host() + " answered " + status + " " + HttpStatus.reason(status)
                + (what == null ? "" : " when asked for " + what);
        if (status == 404 && what == null) {
            String code = errorCode(reply).orElse("");
            String message = switch (code) {
                case "NAME_UNKNOWN" -> "repository " + ref.name() + " not found";
                case "MANIFEST_UNKNOWN" -> "tag " + ref.tag() + " not found in " + ref.name();
                default -> ref.familiar() + " not found (no such repository or tag on " + registry + ")";
            };
            return new ManifestUnknownException(ref, message);
        }
        if (status == 403) {
            return new RegistryAuthException(registry, "forbidden: " + answered + " for " + ref.familiar()
                    + " (no pull permission?)");
        }
        if (status == 429) {
            Duration retryAfter = retryAfter(reply.header("Retry-After")).orElse(null);
            return new RegistryRateLimitedException(registry, answered
                    + (retryAfter == null ? "" : "; retry after " + retryAfter.toSeconds() + " s"), retryAfter);
        }
        if (status >= 500) {
            return new RegistryUnavailableException(registry, answered, null);
        }
        return new RegistryProtocolException(registry, answered + (what == null ? " for " + ref.familiar() : ""));
    }

    /** {@code Retry-After} as seconds or as an HTTP date; empty when absent or unreadable. */
    Optional<Duration> retryAfter(String value) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        String v = value.strip();
        try {
            return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(v))));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                Duration wait = Duration.between(clock.instant(), at);
                return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
            } catch (DateTimeParseException notADate) {
                return Optional.empty();
            }
        }
    }

    private static Optional<String> errorCode(Reply reply) {
        if (reply.body().length == 0) {
            return Optional.empty();
        }
        try {
            JsonNode code = JSON.readTree(reply.body()).path("errors").path(0).path("code");
            return code.isTextual() ? Optional.of(code.asText()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static JsonNode parseJson(ImageRef ref, Reply reply, String what) throws RegistryProtocolException {
        try {
            JsonNode node = JSON.readTree(reply.body());
            if (node == null || !node.isObject()) {
                throw new IOException("not a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw new RegistryProtocolException(ref.registry(), reply.host() + " sent an unreadable " + what + " for "
                    + ref.familiar());
        }
    }

    private static String validDigest(ImageRef ref, Reply reply, String digest) throws RegistryProtocolException {
        if (!DIGEST.matcher(digest).matches()) {
            throw new RegistryProtocolException(ref.registry(), reply.host() + " sent an invalid digest \"" + digest
                    + "\" for " + ref.familiar());
        }
        return digest;
    }

    private static String mediaType(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return null;
        }
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
    }

    private static Optional<String> mediaTypeInBody(byte[] body) {
        try {
            JsonNode type = JSON.readTree(body).path("mediaType");
            return type.isTextual() ? Optional.of(type.asText()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    // ---- HTTP --------------------------------------------------------------------------------------------------------

    private URI resolve(String registry, String path) {
        String base = endpoints.apply(registry).toString();
        return URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + path);
    }

    private static Map<String, String> headers(String accept, String authorization) {
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
    private Reply send(String registry, String method, URI uri, Map<String, String> headers, byte[] body)
            throws RegistryException {
        long deadline = System.nanoTime() + timeout.toNanos();
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
            answer = http.sendAsync(request.build(), method.equals("HEAD")
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

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** An answer, read. */
    private record Reply(int status, HttpHeaders headers, byte[] body, URI uri) {
        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        String host() {
            return uri.getAuthority();
        }
    }

    /** What a registry asked for: Basic, or Bearer tokens from a realm for a service. */
    private record AuthScheme(String realm, String service) {
        static final AuthScheme BASIC = new AuthScheme(null, null);

        static AuthScheme bearer(String realm, String service) {
            return new AuthScheme(Objects.requireNonNull(realm), service);
        }
    }

    private record TokenKey(String registry, String scope) {
    }

    private record Token(String value, Instant usableUntil) {
        @Override
        public String toString() {
            return "Token[usableUntil=" + usableUntil + "]";
        }
    }

    /** Builds a {@link RegistryClient}; everything but the credentials has a default. */
    public static final class Builder {
        private final CredentialStore credentials;
        private Duration timeout = DEFAULT_TIMEOUT;
        private HttpClient httpClient;
        private Clock clock = Clock.systemUTC();
        private Function<String, URI> endpoints = RegistryEndpoints::of;

        private Builder(CredentialStore credentials) {
            this.credentials = Objects.requireNonNull(credentials, "credentials");
        }

        /**
         * Time allowed for each request as a whole (connecting, the headers and the body), after which the request is
         * aborted; default {@link #DEFAULT_TIMEOUT}.
         */
        public Builder timeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout must be positive, got " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        /**
         * The HTTP client to use instead of one of its own. It should not follow redirects itself (the registry client
         * does, keeping Authorization on its origin).
         */
        public Builder httpClient(HttpClient httpClient) {
            this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
            return this;
        }

        /** The clock for token lifetimes and {@code Retry-After} dates; default the system clock. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Where each registry is spoken to: registry name ({@code docker.io}, {@code localhost:5000}) to base URI;
         * default {@link RegistryEndpoints#of(String)}.
         */
        public Builder endpoints(Function<String, URI> endpoints) {
            this.endpoints = Objects.requireNonNull(endpoints, "endpoints");
            return this;
        }

        public RegistryClient build() {
            return new RegistryClient(this);
        }
    }
}
