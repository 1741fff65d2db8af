package dev.redock.registry;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.redock.model.ImageRef;
import dev.redock.testenv.MutableClock;
import dev.redock.testenv.TestEnv;
import dev.redock.testenv.TokenAuthRegistry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The client against a real registry that wants Bearer tokens, as Docker Hub does: a token serves every request of its
 * scope for its lifetime, is fetched again shortly before it expires, and is asked for once when many requests of its
 * scope go out together.
 */
class RealRegistryTokenTest {

    /** Docker Hub's anonymous tokens last 300 s. */
    private static final Duration LIFETIME = Duration.ofSeconds(300);

    @TempDir
    static Path dir;

    private static TokenAuthRegistry registry;

    @BeforeAll
    static void start() {
        registry = TokenAuthRegistry.start(dir, LIFETIME);
    }

    @AfterAll
    static void stop() {
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void usesOneTokenForEveryRequestOfItsScopeUntilShortlyBeforeItExpires() throws Exception {
        String repo = TestEnv.uniqueName("team/app");
        String pushed = registry.push().pushImage(repo, "stable", "one");
        MutableClock clock = new MutableClock(Instant.now());
        RegistryClient client = client(clock);
        ImageRef ref = ImageRef.parse(registry.address() + "/" + repo + ":stable");
        String scope = "repository:" + repo + ":pull";

        for (int i = 0; i < 5; i++) {
            assertThat(client.digest(ref).digest()).isEqualTo(pushed);
            clock.advance(Duration.ofSeconds(50));
        }
        assertThat(registry.tokenRequests(scope)).as("one token for 250 s of a 300 s lifetime").isEqualTo(1);
        awaitHeads(repo, 5, "five HEADs answered with that token (the registry logs its challenge apart)");

        clock.advance(Duration.ofSeconds(45)); // 295 s: within the last seconds of its lifetime
        assertThat(client.digest(ref).digest()).isEqualTo(pushed);
        assertThat(registry.tokenRequests(scope)).as("a new token before the old one expires").isEqualTo(2);
        awaitHeads(repo, 6, "sent with the new token at once");
    }

    /** The registry logs a request just after it answers: waits for the line, then checks no more came. */
    private static void awaitHeads(String repo, long expected, String why) {
        String path = "/v2/" + repo + "/manifests/stable";
        await(why).atMost(Duration.ofSeconds(10)).until(() -> registry.log().count("HEAD", path) >= expected);
        assertThat(registry.log().count("HEAD", path)).as(why).isEqualTo(expected);
    }

    @Test
    void asksForATokenOnceWhenManyRequestsOfItsScopeGoOutTogether() throws Exception {
        String repo = TestEnv.uniqueName("team/many");
        List<ImageRef> refs = new ArrayList<>();
        for (int i = 0; i < RegistryClient.MAX_IN_FLIGHT; i++) {
            registry.push().pushImage(repo, "v" + i, "content " + i);
            refs.add(ImageRef.parse(registry.address() + "/" + repo + ":v" + i));
        }
        MutableClock clock = new MutableClock(Instant.now());
        RegistryClient client = client(clock);
        String scope = "repository:" + repo + ":pull";
        // Slow tokens: every request of the scope is under way before the first token arrives.
        registry.answerTokensAfter(Duration.ofMillis(300));
        ExecutorService threads = Executors.newFixedThreadPool(refs.size());
        try {
            digestsSideBySide(client, refs, threads);
            assertThat(registry.tokenRequests(scope)).as("the registry's challenges, answered with one token").isEqualTo(1);

            clock.advance(LIFETIME); // expired: each request now knows to ask for a token up front
            digestsSideBySide(client, refs, threads);
            assertThat(registry.tokenRequests(scope)).as("one new token for all of them").isEqualTo(2);
        } finally {
            registry.answerTokensAfter(Duration.ZERO);
            threads.shutdownNow();
        }
    }

    private static void digestsSideBySide(RegistryClient client, List<ImageRef> refs, ExecutorService threads) throws Exception {
        List<Future<String>> digests = new ArrayList<>();
        for (ImageRef ref : refs) {
            digests.add(threads.submit(() -> client.digest(ref).digest()));
        }
        for (Future<String> d : digests) {
            assertThat(d.get()).startsWith("sha256:");
        }
    }

    private static RegistryClient client(MutableClock clock) {
        return RegistryClient.builder(CredentialStore.anonymous()).timeout(Duration.ofSeconds(10)).clock(clock).build();
    }
}
