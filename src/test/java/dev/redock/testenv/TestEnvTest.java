package dev.redock.testenv;

import dev.redock.engine.DockerEngine;
import dev.redock.engine.EngineException;
import dev.redock.engine.EngineReadback;
import dev.redock.model.ContainerSpec;
import dev.redock.model.PortBinding;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The test environment itself: what every Docker test relies on. */
@ExtendWith(DockerTest.class)
class TestEnvTest {

    private final DockerEngine engine = TestEnv.engine();

    @Test
    void labelsEveryImageItMakesWithTheRun() throws EngineException {
        for (String image : List.of(TestImages.webImage("labelled"), TestImages.crashingImage(), TestImages.unhealthyImage("x"))) {
            assertThat(EngineReadback.image(engine, image).orElseThrow().labels()).containsAllEntriesOf(TestEnv.runLabels());
        }
    }

    @Test
    void givesADifferentDigestForDifferentContent() {
        String repository = "testenv/digests";
        String first = TestImages.push(TestImages.webImage("one"), repository + ":one");
        String second = TestImages.push(TestImages.webImage("two"), repository + ":two");

        assertThat(first).startsWith("sha256:").isNotEqualTo(second);
        assertThat(TestImages.registryDigest(TestEnv.registry(), repository, "one")).isEqualTo(first);
    }

    @Test
    void countsTheRequestsTheRegistryLogged() {
        TestImages.push(TestImages.webImage("counted"), "testenv/counted:v1");
        String path = "/v2/testenv/counted/manifests/v1";
        RegistryLog log = TestEnv.registryLog();
        await().atMost(Duration.ofSeconds(5)).until(() -> log.count("HEAD", path) >= 1); // the push's own HEAD
        RegistryLog.Mark mark = log.mark();

        TestImages.registryDigest(TestEnv.registry(), "testenv/counted", "v1");
        TestImages.registryDigest(TestEnv.registry(), "testenv/counted", "v1");

        await().atMost(Duration.ofSeconds(5)).until(() -> log.countSince(mark, "HEAD", path) == 2);
        assertThat(log.countSince(mark, "GET", path)).isZero();
        assertThat(log.requestsSince(mark)).extracting(RegistryLog.Request::status).containsOnly(200);
    }

    @Test
    void readsBothFormsOfARegistryLog(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("registry.log");
        Files.writeString(file, """
                time="2026-11-22T02:28:03Z" level=info msg="authorized request" http.request.method=HEAD http.request.uri=/v2/a/manifests/1
                time="2026-11-22T02:28:03Z" level=info msg="response completed" http.request.host="127.0.0.1:5000" http.request.method=HEAD http.request.uri=/v2/a/manifests/1 http.response.status=200
                127.0.0.1 - - [22/Nov/2026:02:28:03 +0000] "HEAD /v2/a/manifests/1 HTTP/1.1" 200 0 "" "curl/7.88.1"
                time="2026-11-22T02:28:04Z" level=error msg="response completed with error" err.code="manifest unknown" http.request.method=GET http.request.uri="/v2/a/tags/list?n=10" http.response.status=404
                127.0.0.1 - - [22/Nov/2026:02:28:04 +0000] "GET /v2/a/tags/list?n=10 HTTP/1.1" 404 96 "" "curl/7.88.1"
                """);
        RegistryLog log = new RegistryLog(file);

        assertThat(log.count("HEAD", "/v2/a/manifests/1")).isEqualTo(1);
        assertThat(log.requests()).containsExactly(new RegistryLog.Request("HEAD", "/v2/a/manifests/1", "", 200),
                new RegistryLog.Request("GET", "/v2/a/tags/list", "n=10", 404));

        Files.writeString(file, """
                127.0.0.1 - - [22/Nov/2026:02:28:03 +0000] "HEAD /v2/a/manifests/1 HTTP/1.1" 200 0 "" "curl/7.88.1"
                """);
        assertThat(log.count("HEAD", "/v2/a/manifests/1")).isEqualTo(1);
    }

    @Test
    void servesTheFixtureImageOfTheScript() throws EngineException {
        String fixture = TestImages.baseImage();
        int port = TestImages.freePort();
        String id = engine.create(TestEnv.uniqueName("testenv"), fixture,
                new ContainerSpec(List.of(new PortBinding("", port, 80, "tcp")), null, null, null, null, null, null, null), Map.of());
        try {
            engine.start(id);
            await().atMost(Duration.ofSeconds(10)).until(() -> TestImages.httpGet(port) != null);
            assertThat(engine.inspect(id).orElseThrow().labels()).containsAllEntriesOf(TestEnv.runLabels());
        } finally {
            engine.remove(id);
        }
    }
}
