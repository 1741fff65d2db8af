package dev.redock.registry;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import com.fasterxml.jackson.databind.JsonNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.redock.model.ImageRef;

/**
 * Sends {@link RegistryClient}'s requests with the authorization each registry wants (the schemes are those the client
 * describes): it answers the registry's challenge, fetches tokens from its realm and keeps them per registry and scope,
 * and remembers each registry's scheme, so that the next request carries it up front.
 *
 * <p>A token serves every request of its scope for its whole lifetime (Docker Hub's last 300 s), across poll cycles, and
 * is fetched again only shortly before it expires or when the registry refuses it. Requests of one scope that go out
 * side by side ask for it once between them: at scale a token request per check would double the requests a registry
 * sees. Thread-safe.
 */
final class RegistryAuthenticator {

    /** A token lifetime when the token endpoint does not say ({@code expires_in}). */
    static final Duration DEFAULT_TOKEN_LIFETIME = Duration.ofSeconds(60);

    private static final Logger log = LoggerFactory.getLogger(RegistryAuthenticator.class);

    private final CredentialStore credentials;
    private final RegistryHttp http;
    private final RegistryAnswers answers;
    private final Clock clock;

    /** What each registry asked for last time (keyed by registry); absent means it never asked. */
    private final ConcurrentMap<String, AuthScheme> schemes = new ConcurrentHashMap<>();
    /** The token scope each repository's challenge named (keyed by registry/repository). */
    private final ConcurrentMap<String, String> scopes = new ConcurrentHashMap<>();
    private final ConcurrentMap<TokenKey, Token> tokens = new ConcurrentHashMap<>();
    /** What the requests for each scope's token hold while one of them fetches it. */
    private final ConcurrentMap<TokenKey, Object> fetching = new ConcurrentHashMap<>();

    /** @param clock for token lifetimes */
    RegistryAuthenticator(CredentialStore credentials, RegistryHttp http, RegistryAnswers answers, Clock clock) {
        this.credentials = credentials;
        this.http = http;
        this.answers = answers;
        this.clock = clock;
    }

    /**
     * Sends a request with whatever authorization the registry is known to want, and answers a 401 challenge once. A
     * 401 after that is a {@link RegistryAuthException}.
     */
    Reply exchange(ImageRef ref, String method, URI uri, String accept) throws RegistryException {
        String registry = ref.registry();
        Optional<Credentials> creds = credentials.lookup(registry);
        String upFront = upFrontAuthorization(ref, creds);
        Reply reply = http.send(registry, method, uri, RegistryHttp.headers(accept, upFront), null);
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
            // The token sent (if any) was refused: a new one, unless another request has fetched one meanwhile.
            String refused = upFront != null && upFront.startsWith("Bearer ") ? upFront.substring("Bearer ".length()) : null;
            String token = token(ref, scheme, scope, creds, refused);
            reply = http.send(registry, method, uri, RegistryHttp.headers(accept, "Bearer " + token), null);
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
                reply = http.send(registry, method, uri, RegistryHttp.headers(accept, basic), null);
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
        return "Bearer " + token(ref, scheme, scope, creds, null);
    }

    /**
     * A token for the scope that is usable now: the one kept, or else a new one. Requests of one scope that go out
     * together share one token request: the first fetches it while the others wait for it, however many there are.
     *
     * @param refused a token the registry has just refused (not to be used again), or null
     */
    private String token(ImageRef ref, AuthScheme scheme, String scope, Optional<Credentials> creds, String refused)
            throws RegistryException {
        TokenKey key = new TokenKey(ref.registry(), scope);
        synchronized (fetching.computeIfAbsent(key, k -> new Object())) {
            Token kept = tokens.get(key);
            if (kept != null && clock.instant().isBefore(kept.usableUntil()) && !kept.value().equals(refused)) {
                return kept.value();
            }
            return fetchToken(ref, scheme, scope, creds);
        }
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
            Map<String, String> headers = RegistryHttp.headers("application/json", null);
            headers.put("Content-Type", "application/x-www-form-urlencoded");
            reply = http.send(registry, "POST", realm, headers, String.join("&", params).getBytes(StandardCharsets.UTF_8));
        } else {
            String query = String.join("&", params);
            URI uri = URI.create(scheme.realm() + (query.isEmpty() ? "" : (scheme.realm().contains("?") ? "&" : "?") + query));
            String authorization = user != null && user.hasPassword() ? user.basicHeader() : null;
            reply = http.send(registry, "GET", uri, RegistryHttp.headers("application/json", authorization), null);
        }
        if (reply.status() == 401 || reply.status() == 403) {
            if (user == null) {
                throw needsCredentials(ref);
            }
            credentials.forget(registry);
            throw refused(ref, user);
        }
        if (reply.status() != 200) {
            throw answers.statusFailure(ref, reply, "a token");
        }
        JsonNode body = RegistryAnswers.parseJson(ref, reply, "token");
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
        Instant now = clock.instant();
        tokens.values().removeIf(t -> !now.isBefore(t.usableUntil()));
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

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
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
}
