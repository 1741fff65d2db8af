package dev.redock.registry;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * scope until shortly before they expire, one token request serving all the requests of its scope that go out together,
 * and the client remembers which scheme each registry wants so the next request carries it up front. Credentials are
 * sent to a token endpoint only over https, or over http on loopback. Each registry has at most {@link #MAX_IN_FLIGHT}
 * requests under way at once, whoever asks; and the pull rate limit a registry states in its answers is kept
 * ({@link #rateLimit}).
 *
 * <p>Failures are {@link RegistryException}s with messages fit for the user. The client does not retry by itself (but
 * for a request whose connection, kept open since an earlier one, turns out closed by the registry): the caller decides,
 * e.g. with a {@link RegistryBackoff}. Every request is bounded as a whole (connecting, headers and
 * body) by the client's timeout and then aborted, and every answer is read into at most
 * {@value RegistryHttp#MAX_BODY_BYTES} bytes: a registry that stalls half way through an answer, or answers without end,
 * fails the request instead of holding the caller. Redirects are followed (up to {@value RegistryHttp#MAX_REDIRECTS}); the
 * {@code Authorization} header is not carried to another host. TLS is verified against the JVM's default trust store
 * (and its {@code javax.net.ssl} settings). Thread-safe.
 *
 * <p>This class asks the questions; its collaborators do the rest: {@link RegistryAuthenticator} (the challenge and the
 * tokens) over {@link RegistryHttp} (one bounded request), {@link RegistryAnswers} (what a status or a JSON body means)
 * and {@link Manifests} (digests and media types).
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

    /**
     * How many requests each registry has under way at most, from all callers together: enough that checks at scale
     * take a fraction of an interval, few enough to be a polite client (browsers open six connections per host).
     */
    public static final int MAX_IN_FLIGHT = 8;

    /** The default time allowed for each request as a whole: connecting, the headers and the body. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    static final int MAX_TAG_PAGES = 1000;

    private static final Logger log = LoggerFactory.getLogger(RegistryClient.class);
    private static final Pattern NEXT_LINK = Pattern.compile("<([^>]*)>\\s*;[^,]*rel=\"?next\"?", Pattern.CASE_INSENSITIVE);

    private final Function<String, URI> endpoints;
    private final RegistryAnswers answers;
    private final RegistryAuthenticator auth;
    private final Clock clock;
    private final Map<String, RateLimit> rateLimits = new ConcurrentHashMap<>();

    /**
     * A client with its own connections, speaking to registries where Docker would ({@link RegistryEndpoints}).
     *
     * @param credentials where credentials come from
     * @param timeout     for each request as a whole: connecting, the headers and the body
     */
    public RegistryClient(CredentialStore credentials, Duration timeout) {
        this(builder(credentials).timeout(timeout));
    }

    private RegistryClient(Builder b) {
        this.endpoints = b.endpoints;
        Duration timeout = b.timeout;
        // Redirects are followed by RegistryHttp, so that Authorization stays on its host.
        Supplier<CloseableHttpClient> http = RegistryHttp.onFirstUse(() -> RegistryHttp.newClient(timeout, MAX_IN_FLIGHT));
        this.clock = b.clock;
        this.answers = new RegistryAnswers(b.clock);
        this.auth = new RegistryAuthenticator(b.credentials, new RegistryHttp(http, b.timeout, MAX_IN_FLIGHT), answers, b.clock);
    }

    /** A builder, for tests or for wiring that needs another timeout, clock or endpoint mapping. */
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
        Reply head = auth.exchange(ref, "HEAD", uri, MANIFEST_ACCEPT);
        noteRateLimit(ref, head);
        answers.expectOk(ref, head);
        String digest = head.header("Docker-Content-Digest");
        if (digest != null && !digest.isBlank()) {
            TagDigest result = new TagDigest(Manifests.validDigest(ref, head, digest.strip()),
                    Manifests.mediaType(head.header("Content-Type")));
            if (log.isDebugEnabled()) {
                log.debug("{} is at {}", ref.familiar(), result.digest());
            }
            return result;
        }
        log.debug("{} sent no Docker-Content-Digest for {}; fetching the manifest to hash it", head.host(), ref.familiar());
        Reply get = auth.exchange(ref, "GET", uri, MANIFEST_ACCEPT);
        noteRateLimit(ref, get);
        answers.expectOk(ref, get);
        String stated = get.header("Docker-Content-Digest");
        String computed = "sha256:" + Manifests.sha256(get.body());
        if (stated != null && !stated.isBlank() && !stated.strip().equals(computed)) {
            log.debug("{} states {} for {}, the body hashes to {}; using the stated digest", get.host(), stated, ref.familiar(),
                    computed);
            computed = Manifests.validDigest(ref, get, stated.strip());
        }
        String mediaType = Manifests.mediaType(get.header("Content-Type"));
        if (mediaType == null || mediaType.equals("application/json") || mediaType.equals("text/plain")) {
            mediaType = Manifests.mediaTypeInBody(get.body()).orElse(mediaType);
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
            Reply reply = auth.exchange(ref, "GET", next, "application/json");
            answers.expectOk(ref, reply);
            JsonNode body = RegistryAnswers.parseJson(ref, reply, "tag list");
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

    /**
     * The pull rate limit the registry stated last, in the {@code ratelimit-*} headers of a manifest answer (Docker Hub
     * sends them to anonymous and free users), or empty when it never did.
     */
    public Optional<RateLimit> rateLimit(String registry) {
        return Optional.ofNullable(rateLimits.get(registry));
    }

    private void noteRateLimit(ImageRef ref, Reply reply) {
        RateLimit.of(reply, clock.instant()).ifPresent(limit -> rateLimits.put(ref.registry(), limit));
    }

    private URI resolve(String registry, String path) {
        String base = endpoints.apply(registry).toString();
        return URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + path);
    }

    /** Builds a {@link RegistryClient}; everything but the credentials has a default. */
    public static final class Builder {
        private final CredentialStore credentials;
        private Duration timeout = DEFAULT_TIMEOUT;
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
