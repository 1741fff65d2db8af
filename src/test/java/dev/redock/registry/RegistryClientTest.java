package dev.redock.registry;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.BasicCredentials;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.redock.model.ImageRef;
import dev.redock.model.TagDigest;
import dev.redock.testenv.MutableClock;
import dev.redock.testenv.RawHttpServer;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.exactly;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.head;
import static com.github.tomakehurst.wiremock.client.WireMock.headRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

/**
 * The client against a programmable registry (WireMock), for what a real registry cannot produce on demand: the Bearer
 * token flow, faults, rate limits, timeouts and registries that leave out headers; and against raw HTTP answers
 * ({@link RawHttpServer}) for answers that stall half way or never end.
 */
class RegistryClientTest {

    private static final String ACCEPT = "application/vnd.oci.image.index.v1+json, "
            + "application/vnd.docker.distribution.manifest.list.v2+json, "
            + "application/vnd.oci.image.manifest.v1+json, "
            + "application/vnd.docker.distribution.manifest.v2+json";
    private static final String DIGEST = "sha256:" + "a".repeat(64);
    private static final String MANIFEST_PATH = "/v2/team/app/manifests/stable";

    @TempDir
    Path home;

    private WireMockServer server;
    private MutableClock clock;
    private String registry;
    private ImageRef ref;

    @BeforeEach
    void startServer() {
        server = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
        server.start();
        clock = new MutableClock(Instant.parse("2026-11-22T10:00:00Z"));
        registry = "127.0.0.1:" + server.port();
        ref = ImageRef.parse(registry + "/team/app:stable");
    }

    @AfterEach
    void stopServer() {
        server.stop();
    }

    private RegistryClient client(CredentialStore credentials) {
        return client(credentials, Duration.ofSeconds(5));
    }

    private RegistryClient client(CredentialStore credentials, Duration timeout) {
        return RegistryClient.builder(credentials).timeout(timeout).clock(clock).build();
    }

    private RegistryClient anonymousClient() {
        return client(CredentialStore.anonymous());
    }

    private CredentialStore credentials(String user, String password) throws IOException {
        String auth = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        Path config = home.resolve("config.json");
        Files.writeString(config, "{\"auths\": {\"" + registry + "\": {\"auth\": \"" + auth + "\"}}}");
        return new CredentialStore(config);
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private void stubDigest(MappingBuilder request) {
        server.stubFor(request.willReturn(aResponse().withStatus(200)
                .withHeader("Docker-Content-Digest", DIGEST)
                .withHeader("Content-Type", RegistryClient.OCI_INDEX)));
    }

    @Nested
    class Digests {

        @Test
        void sendsTheCompleteAcceptListInOrderAndReturnsTheDigestOfTheHead() throws Exception {
            stubDigest(head(urlEqualTo(MANIFEST_PATH)));

            TagDigest digest = anonymousClient().digest(ref);

            assertThat(digest).isEqualTo(new TagDigest(DIGEST, RegistryClient.OCI_INDEX));
            server.verify(exactly(1), headRequestedFor(urlEqualTo(MANIFEST_PATH)).withHeader("Accept", equalTo(ACCEPT)));
            server.verify(exactly(0), getRequestedFor(urlEqualTo(MANIFEST_PATH)));
        }

        @Test
        void hashesTheManifestWhenTheRegistryLeavesOutTheDigest() throws Exception {
            byte[] manifest = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":[]}"
                    .getBytes(StandardCharsets.UTF_8);
            server.stubFor(head(urlEqualTo(MANIFEST_PATH)).willReturn(aResponse().withStatus(200)
                    .withHeader("Content-Type", RegistryClient.OCI_INDEX)));
            server.stubFor(get(urlEqualTo(MANIFEST_PATH)).willReturn(aResponse().withStatus(200)
                    .withHeader("Content-Type", RegistryClient.OCI_INDEX).withBody(manifest)));

            TagDigest digest = anonymousClient().digest(ref);

            String expected = "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(manifest));
            assertThat(digest).isEqualTo(new TagDigest(expected, RegistryClient.OCI_INDEX));
            server.verify(exactly(1), getRequestedFor(urlEqualTo(MANIFEST_PATH)).withHeader("Accept", equalTo(ACCEPT)));
        }

        @Test
        void keepsThePullLimitTheRegistryStatesAsDockerHubDoes() throws Exception {
            RegistryClient client = anonymousClient();
            stubDigest(head(urlEqualTo(MANIFEST_PATH)));
            client.digest(ref);
            assertThat(client.rateLimit(registry)).as("a registry that states none").isEmpty();

            server.stubFor(head(urlEqualTo(MANIFEST_PATH)).willReturn(aResponse().withStatus(200)
                    .withHeader("Docker-Content-Digest", DIGEST).withHeader("ratelimit-limit", "100;w=21600")
                    .withHeader("ratelimit-remaining", "76;w=21600").withHeader("docker-ratelimit-source", "192.0.2.1")));
            client.digest(ref);

            assertThat(client.rateLimit(registry))
                    .contains(new RateLimit(100, 76, Duration.ofHours(6), clock.instant()));
        }

        @Test
        void takesTheMediaTypeFromTheBodyWhenTheContentTypeIsPlainJson() throws Exception {
            byte[] manifest = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.docker.distribution.manifest.v2+json\"}"
                    .getBytes(StandardCharsets.UTF_8);
            server.stubFor(head(urlEqualTo(MANIFEST_PATH)).willReturn(aResponse().withStatus(200)));
            server.stubFor(get(urlEqualTo(MANIFEST_PATH)).willReturn(aResponse().withStatus(200)
                    .withHeader("Content-Type", "application/json").withBody(manifest)));

            assertThat(anonymousClient().digest(ref).mediaType()).isEqualTo(RegistryClient.DOCKER_MANIFEST);
        }

        @Test
        void rejectsAMalformedDigest() {
            server.stubFor(head(urlEqualTo(MANIFEST_PATH)).willReturn(aResponse().withStatus(200)
                    .withHeader("Docker-Content-Digest", "not a digest")));

            assertThatThrownBy(() -> anonymousClient().digest(ref))
                    .isInstanceOf(RegistryProtocolException.class)
                    .hasMessage(registry + " sent an invalid digest \"not a digest\" for " + registry + "/team/app:stable");
        }

        @Test
        void speaksToDockerHubThroughTheEndpointMapping() throws Exception {
            stubDigest(head(urlEqualTo("/v2/library/nginx/manifests/latest")));
            List<String> asked = new ArrayList<>();
            RegistryClient client = RegistryClient.builder(CredentialStore.anonymous())
                    .endpoints(name -> {
                        asked.add(name);
                        return URI.create(server.baseUrl());
                    })
                    .build();

            assertThat(client.digest(ImageRef.parse("nginx")).digest()).isEqualTo(DIGEST);
            assertThat(asked).containsExactly("docker.io");
        }

        @Test
        void followsARedirectOnTheSameRegistry() throws Exception {
            server.stubFor(head(urlEqualTo(MANIFEST_PATH)).willReturn(aResponse().withStatus(307)
                    .withHeader("Location", "/elsewhere/manifest")));
            stubDigest(head(urlEqualTo("/elsewhere/manifest")));

            assertThat(anonymousClient().digest(ref).digest()).isEqualTo(DIGEST);
        }

        @Test
        void listsTagsAcrossPages() throws Exception {
            server.stubFor(get(urlEqualTo("/v2/team/app/tags/list")).willReturn(okJson("{\"name\":\"team/app\",\"tags\":[\"1\",\"2\"]}")
                    .withHeader("Link", "</v2/team/app/tags/list?last=2&n=2>; rel=\"next\"")));
            server.stubFor(get(urlEqualTo("/v2/team/app/tags/list?last=2&n=2")).willReturn(okJson("{\"name\":\"team/app\",\"tags\":[\"3\"]}")));

            assertThat(anonymousClient().tags(ref)).containsExactly("1", "2", "3");
        }
    }

    @Nested
    class BearerTokens {

        private String challenge(String scope) {
            return "Bearer realm=\"" + server.baseUrl() + "/token\",service=\"test-registry\",scope=\"" + scope + "\"";
        }

        /** HEAD with the given token answers the digest; HEAD without answers 401 with the challenge. */
        private void stubRegistry(String token) {
            server.stubFor(head(urlEqualTo(MANIFEST_PATH)).atPriority(5).willReturn(aResponse().withStatus(401)
                    .withHeader("WWW-Authenticate", challenge("repository:team/app:pull"))));
            stubDigest(head(urlEqualTo(MANIFEST_PATH)).atPriority(1).withHeader("Authorization", equalTo("Bearer " + token)));
        }

        @Test
        void followsTheBearerChallengeAndCachesTheToken() throws Exception {
            stubRegistry("tok-1");
            server.stubFor(get(urlPathEqualTo("/token")).willReturn(okJson("{\"token\":\"tok-1\",\"expires_in\":300}")));
            RegistryClient client = client(credentials("alice", "wonderland"));

            assertThat(client.digest(ref).digest()).isEqualTo(DIGEST);

            server.verify(exactly(2), headRequestedFor(urlEqualTo(MANIFEST_PATH)));
            server.verify(exactly(1), getRequestedFor(urlPathEqualTo("/token"))
                    .withQueryParam("service", equalTo("test-registry"))
                    .withQueryParam("scope", equalTo("repository:team/app:pull"))
                    .withBasicAuth(new BasicCredentials("alice", "wonderland")));

            server.resetRequests();
            clock.advance(Duration.ofSeconds(200));
            assertThat(client.digest(ref).digest()).isEqualTo(DIGEST);

            server.verify(exactly(1), headRequestedFor(urlEqualTo(MANIFEST_PATH)).withHeader("Authorization", equalTo("Bearer tok-1")));
            server.verify(exactly(0), getRequestedFor(urlPathEqualTo("/token")));
        }

        @Test
        void fetchesANewTokenUpFrontOnceTheKeptOneIsAboutToExpire() throws Exception {
            stubRegistry("tok-1");
            // access_token instead of token, and no expires_in: 60 s by default.
            server.stubFor(get(urlPathEqualTo("/token")).willReturn(okJson("{\"access_token\":\"tok-1\"}")));
            RegistryClient client = anonymousClient();
            client.digest(ref);

            server.resetRequests();
            clock.advance(Duration.ofSeconds(50));
            client.digest(ref);
            server.verify(exactly(0), getRequestedFor(urlPathEqualTo("/token")));

            server.resetRequests();
            clock.advance(Duration.ofSeconds(6)); // 56 s: within the 6 s margin before expiry
            client.digest(ref);
            server.verify(exactly(1), getRequestedFor(urlPathEqualTo("/token")));
            server.verify(exactly(1), headRequestedFor(urlEqualTo(MANIFEST_PATH)));
        }

        @Test
        void asksForATokenAnonymouslyWithoutCredentials() throws Exception {
            stubRegistry("anon");
            server.stubFor(get(urlPathEqualTo("/token")).willReturn(okJson("{\"token\":\"anon\",\"expires_in\":300}")));

            assertThat(anonymousClient().digest(ref).digest()).isEqualTo(DIGEST);

            server.verify(exactly(1), getRequestedFor(urlPathEqualTo("/token")).withoutHeader("Authorization"));
        }

        @Test
        void getsAFreshTokenWhenTheRegistryRejectsTheKeptOne() throws Exception {
            stubRegistry("tok-1");
            server.stubFor(get(urlPathEqualTo("/token")).willReturn(okJson("{\"token\":\"tok-1\",\"expires_in\":300}")));
            RegistryClient client = anonymousClient();
            client.digest(ref);

            server.resetAll();
            stubRegistry("tok-2");
            server.stubFor(get(urlPathEqualTo("/token")).willReturn(okJson("{\"token\":\"tok-2\",\"expires_in\":300}")));

            assertThat(client.digest(ref).digest()).isEqualTo(DIGEST);
            server.verify(exactly(1), getRequestedFor(urlPathEqualTo("/token")));
        }

        @Test
        void reportsRefusedCredentialsWhenTheTokenEndpointSays401() throws Exception {
            stubRegistry("never");
            server.stubFor(get(urlPathEqualTo("/token")).willReturn(aResponse().withStatus(401)));

            assertThatThrownBy(() -> client(credentials("alice", "wrong-password")).digest(ref))
                    .isInstanceOf(RegistryAuthException.class)
                    .hasMessageStartingWith("unauthorised: " + registry + " refused the credentials of user \"alice\"")
                    .hasMessageNotContaining("wrong-password");
        }

        @Test
        void asksForDockerLoginWhenAnAnonymousTokenIsNotEnough() throws Exception {
            stubRegistry("a-token-with-access");
            server.stubFor(get(urlPathEqualTo("/token")).willReturn(okJson("{\"token\":\"anonymous-token\"}")));

            assertThatThrownBy(() -> anonymousClient().digest(ref))
                    .isInstanceOf(RegistryAuthException.class)
                    .hasMessageStartingWith("needs credentials: docker login " + registry);
        }

        @Test
        void exchangesAnIdentityTokenForAnAccessToken() throws Exception {
            stubRegistry("from-refresh");
            server.stubFor(post(urlEqualTo("/token")).willReturn(okJson("{\"access_token\":\"from-refresh\",\"expires_in\":300}")));
            Path config = home.resolve("config.json");
            String auth = Base64.getEncoder().encodeToString("alice:".getBytes(StandardCharsets.UTF_8));
            Files.writeString(config, "{\"auths\":{\"" + registry + "\":{\"auth\":\"" + auth + "\",\"identitytoken\":\"refresh-me\"}}}");

            assertThat(client(new CredentialStore(config)).digest(ref).digest()).isEqualTo(DIGEST);

            server.verify(exactly(1), postRequestedFor(urlEqualTo("/token"))
                    .withFormParam("grant_type", equalTo("refresh_token"))
                    .withFormParam("refresh_token", equalTo("refresh-me"))
                    .withFormParam("service", equalTo("test-registry"))
                    .withFormParam("scope", equalTo("repository:team/app:pull")));
        }

        @Test
        void refusesToSendCredentialsToAPlainHttpRealmOffLoopback() throws Exception {
            server.stubFor(head(urlEqualTo(MANIFEST_PATH)).willReturn(aResponse().withStatus(401)
                    .withHeader("WWW-Authenticate", "Bearer realm=\"http://auth.example.com/token\",service=\"x\"")));

            assertThatThrownBy(() -> client(credentials("alice", "wonderland")).digest(ref))
                    .isInstanceOf(RegistryAuthException.class)
                    .hasMessage("not sending the credentials for " + registry + " to auth.example.com over plain http "
                            + "(its token realm is http://auth.example.com)");
        }
    }

    @Nested
    class BasicAuthentication {

        private void stubRegistry(String user, String password) {
            server.stubFor(head(urlEqualTo(MANIFEST_PATH)).atPriority(5).willReturn(aResponse().withStatus(401)
                    .withHeader("WWW-Authenticate", "Basic realm=\"registry\"")));
            stubDigest(head(urlEqualTo(MANIFEST_PATH)).atPriority(1).withHeader("Authorization", equalTo(basic(user, password))));
        }

        @Test
        void retriesWithBasicCredentialsAndSendsThemUpFrontNextTime() throws Exception {
            stubRegistry("bob", "builder");
            RegistryClient client = client(credentials("bob", "builder"));

            assertThat(client.digest(ref).digest()).isEqualTo(DIGEST);
            server.verify(exactly(1), headRequestedFor(urlEqualTo(MANIFEST_PATH)).withHeader("Authorization", absent()));
            server.verify(exactly(2), headRequestedFor(urlEqualTo(MANIFEST_PATH)));

            server.resetRequests();
            assertThat(client.digest(ref).digest()).isEqualTo(DIGEST);
            server.verify(exactly(1), headRequestedFor(urlEqualTo(MANIFEST_PATH))
                    .withHeader("Authorization", equalTo(basic("bob", "builder"))));
        }

        @Test
        void asksForDockerLoginWhenThereAreNoCredentials() {
            stubRegistry("bob", "builder");

            assertThatThrownBy(() -> anonymousClient().digest(ref))
                    .isInstanceOf(RegistryAuthException.class)
                    .hasMessage("needs credentials: docker login " + registry + " (" + registry + " refused anonymous access to "
                            + registry + "/team/app:stable; or the repository does not exist)");
        }

        @Test
        void saysTheCredentialsWereRefusedWhenTheyAreWrong() throws Exception {
            stubRegistry("bob", "builder");
            RegistryClient client = client(credentials("bob", "bricklayer"));

            assertThatThrownBy(() -> client.digest(ref))
                    .isInstanceOf(RegistryAuthException.class)
                    .hasMessage("unauthorised: " + registry + " refused the credentials of user \"bob\" for " + registry
                            + "/team/app:stable (check them with docker login " + registry + ")");
            // Next time the refused credentials go up front once, and are not sent a second time.
            server.resetRequests();
            assertThatThrownBy(() -> client.digest(ref)).isInstanceOf(RegistryAuthException.class);
            server.verify(exactly(1), headRequestedFor(urlEqualTo(MANIFEST_PATH)));
        }

        @Test
        void refusesA401WithoutAnyChallenge() {
            server.stubFor(head(urlEqualTo(MANIFEST_PATH)).willReturn(aResponse().withStatus(401)));

            assertThatThrownBy(() -> anonymousClient().digest(ref))
                    .isInstanceOf(RegistryAuthException.class)
                    .hasMessageStartingWith("needs credentials: docker login " + registry);
        }
    }

    @Nested
    class Failures {

        @Test
        void reportsAnUnknownTagAsManifestUnknown() {
            server.stubFor(head(urlEqualTo(MANIFEST_PATH)).willReturn(aResponse().withStatus(404)));

            ManifestUnknownException e = catchThrowableOfType(ManifestUnknownException.class, () -> anonymousClient().digest(ref));

            assertThat(e).hasMessage(registry + "/team/app:stable not found (no such repository or tag on " + registry + ")");
            assertThat(e.ref()).isEqualTo(ref);
            assertThat(e.affectsRegistry()).isFalse();
        }

        @Test
        void carriesRetryAfterSecondsOfA429IntoTheBackoff() {
            server.stubFor(head(urlEqualTo(MANIFEST_PATH)).willReturn(aResponse().withStatus(429).withHeader("Retry-After", "7")));
            RegistryBackoff backoff = new RegistryBackoff(Duration.ofMillis(100), Duration.ofSeconds(1),
                    RegistryBackoff.Jitter.FULL, clock, new Random(1));

            RegistryRateLimitedException e = catchThrowableOfType(RegistryRateLimitedException.class,
                    () -> anonymousClient().digest(ref));

            assertThat(e).hasMessage(registry + " answered 429 Too Many Requests; retry after 7 s");
            assertThat(e.retryAfter()).contains(Duration.ofSeconds(7));
            Instant now = clock.instant();
            backoff.failure(registry, e, now);
            assertThat(backoff.nextAttempt(registry)).hasValueSatisfying(at -> assertThat(at).isAfterOrEqualTo(now.plusSeconds(7)));
            assertThat(backoff.mayCall(registry, now.plusSeconds(6))).isFalse();
        }

        @Test
        void readsRetryAfterAsAnHttpDate() {
            String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(clock.instant().plusSeconds(90).atOffset(ZoneOffset.UTC));
            server.stubFor(head(urlEqualTo(MANIFEST_PATH)).willReturn(aResponse().withStatus(429).withHeader("Retry-After", date)));

            RegistryRateLimitedException e = catchThrowableOfType(RegistryRateLimitedException.class,
                    () -> anonymousClient().digest(ref));

            assertThat(e.retryAfter()).contains(Duration.ofSeconds(90));
        }

        @Test
        void reportsA503AsUnavailable() {
            server.stubFor(head(urlEqualTo(MANIFEST_PATH)).willReturn(aResponse().withStatus(503)));

            assertThatThrownBy(() -> anonymousClient().digest(ref))
                    .isInstanceOf(RegistryUnavailableException.class)
                    .hasMessage(registry + " answered 503 Service Unavailable");
        }

        @Test
        void reportsARefusedConnectionAsUnavailable() throws Exception {
            int closedPort;
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                closedPort = socket.getLocalPort();
            }
            ImageRef nowhere = ImageRef.parse("localhost:" + closedPort + "/team/app:stable");

            assertThatThrownBy(() -> anonymousClient().digest(nowhere))
                    .isInstanceOf(RegistryUnavailableException.class)
                    .hasMessage("localhost:" + closedPort + " is unreachable: connection refused");
        }

        @Test
        void reportsASlowRegistryAsUnavailableAfterTheTimeout() {
            server.stubFor(head(urlEqualTo(MANIFEST_PATH)).willReturn(aResponse().withStatus(200)
                    .withHeader("Docker-Content-Digest", DIGEST).withFixedDelay(3000)));
            RegistryClient client = client(CredentialStore.anonymous(), Duration.ofMillis(300));

            long started = System.nanoTime();
            assertThatThrownBy(() -> client.digest(ref))
                    .isInstanceOf(RegistryUnavailableException.class)
                    .hasMessage("registry " + registry + " sent no complete answer within 300 ms");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
        }

        @Test
        void abortsAManifestThatStallsAfterItsHeadersOnceTheDeadlinePasses() {
            try (RawHttpServer stalling = RawHttpServer.start(RawHttpServer.manifestsStallingAfterTheirHeaders())) {
                assertAbortedWithinItsDeadline(stalling, ImageRef.parse(stalling.address() + "/team/app:stable"));
            }
        }

        @Test
        void abortsATokenAnswerThatStallsHalfWay() {
            try (RawHttpServer stalling = behindABearerChallenge(c -> {
                c.send("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{\"token\":\"");
                c.stall();
            })) {
                assertAbortedWithinItsDeadline(stalling, ImageRef.parse(stalling.address() + "/team/app:stable"));
            }
        }

        private void assertAbortedWithinItsDeadline(RawHttpServer stalling, ImageRef stalled) {
            Duration deadline = Duration.ofSeconds(2);
            RegistryClient client = client(CredentialStore.anonymous(), deadline);

            long started = System.nanoTime();
            assertThatThrownBy(() -> client.digest(stalled))
                    .isInstanceOf(RegistryUnavailableException.class)
                    .hasMessage("registry " + stalling.address() + " sent no complete answer within 2 s");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(deadline.multipliedBy(3));
            await("the stalled exchange is aborted, its connection closed").atMost(deadline.multipliedBy(3))
                    .until(() -> stalling.abandoned() == 1);
        }

        @Test
        void refusesATokenAnswerThatSaysItIsLargerThanTheLimitWithoutReadingIt() {
            assertTokenRefusedAsTooLarge(c -> {
                c.send("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2147483648\r\n\r\n{\"token\":\"");
                c.trickle((byte) 'a', 50);
            });
        }

        @Test
        void cutsOffATokenAnswerThatGrowsPastTheLimit() {
            byte[] chunk = ("10000\r\n" + "a".repeat(0x10000) + "\r\n").getBytes(StandardCharsets.US_ASCII);
            assertTokenRefusedAsTooLarge(c -> {
                c.send("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n");
                c.repeat(chunk, 0);
            });
        }

        private void assertTokenRefusedAsTooLarge(RawHttpServer.Answer token) {
            try (RawHttpServer huge = behindABearerChallenge(token)) {
                assertThatThrownBy(() -> anonymousClient().digest(ImageRef.parse(huge.address() + "/team/app:stable")))
                        .isInstanceOf(RegistryProtocolException.class)
                        .hasMessage(huge.address() + " sent more than 16 MiB for /token");
                await("the exchange is closed").atMost(Duration.ofSeconds(10)).until(() -> huge.abandoned() == 1);
            }
        }

        /** A registry that wants a Bearer token from its own {@code /token}, which answers so. */
        private static RawHttpServer behindABearerChallenge(RawHttpServer.Answer token) {
            return RawHttpServer.start(c -> {
                if (c.path().startsWith("/token")) {
                    token.write(c);
                } else {
                    c.send(bearerChallenge(c.serverAddress()));
                }
            });
        }

        private static String bearerChallenge(String registry) {
            return "HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\nWWW-Authenticate: Bearer realm=\"http://" + registry
                    + "/token\",service=\"test\"\r\n\r\n";
        }

        @Test
        void backsOffLongerAfterEachFailureWithinTheJitterBoundsUntilASuccess() throws Exception {
            server.stubFor(head(urlEqualTo(MANIFEST_PATH)).willReturn(aResponse().withStatus(503)));
            RegistryClient client = anonymousClient();
            RegistryBackoff backoff = new RegistryBackoff(Duration.ofSeconds(5), Duration.ofMinutes(15),
                    RegistryBackoff.Jitter.EQUAL, clock, new Random(42));

            long ceiling = 5;
            for (int attempt = 1; attempt <= 4; attempt++) {
                Instant now = clock.instant();
                assertThat(backoff.mayCall(registry, now)).isTrue();
                RegistryException e = catchThrowableOfType(RegistryUnavailableException.class, () -> client.digest(ref));
                Duration wait = backoff.failure(registry, e, now);
                assertThat(wait).isBetween(Duration.ofSeconds(ceiling).dividedBy(2), Duration.ofSeconds(ceiling));
                assertThat(backoff.mayCall(registry, now.plus(wait).minusMillis(1))).isFalse();
                assertThat(backoff.status(registry)).hasValueSatisfying(s -> {
                    assertThat(s.reason()).isEqualTo(registry + " answered 503 Service Unavailable");
                });
                clock.advance(wait);
                ceiling *= 2;
            }

            server.resetAll();
            stubDigest(head(urlEqualTo(MANIFEST_PATH)));
            assertThat(backoff.mayCall(registry, clock.instant())).isTrue();
            client.digest(ref);
            backoff.success(registry);
            assertThat(backoff.nextAttempt(registry)).isEmpty();
        }
    }
}
