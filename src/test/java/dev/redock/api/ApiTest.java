package dev.redock.api;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import dev.redock.app.Redock;
import dev.redock.model.DeployEvents;
import dev.redock.model.Deployment;
import dev.redock.model.EnvMask;
import dev.redock.model.Json;
import dev.redock.model.Outcome;
import dev.redock.model.Trigger;
import dev.redock.service.ApiToken;
import dev.redock.testenv.DockerTest;
import dev.redock.testenv.Redocks;
import dev.redock.testenv.TestEnv;
import dev.redock.testenv.TestImages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The local HTTP API, called over real HTTP, on the real engine and registry. */
@ExtendWith(DockerTest.class)
class ApiTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path home;

    private Redock redock;
    private ApiServer api;
    private String token;
    private String repo;
    private String image;

    @BeforeEach
    void start() throws Exception {
        redock = Redocks.open(home);
        api = redock.startApi(0);
        token = ApiToken.loadOrCreate(home).value();
        repo = TestEnv.uniqueName("api/web");
        TestImages.push(TestImages.webImage("one"), repo + ":stable");
        image = TestEnv.registry() + "/" + repo + ":stable";
    }

    @AfterEach
    void stop() {
        redock.close();
    }

    private HttpResponse<String> call(String method, String path, String body) throws Exception {
        return call(method, path, body, token);
    }

    private HttpResponse<String> call(String method, String path, String body, String bearer) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(api.baseUrl() + path)).timeout(Duration.ofMinutes(2))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> r) throws IOException {
        return Json.mapper().readTree(r.body());
    }

    private String createService(String name, int port, String extra) throws Exception {
        HttpResponse<String> r = call("POST", "/api/v1/service/", "{\"image\": \"" + image + "\", \"name\": \"" + name
                + "\", \"ports\": [\"127.0.0.1:" + port + ":80\"], \"env\": {\"MODE\": \"prod\"}, \"stop_timeout\": 1,"
                + " \"labels\": {\"" + TestEnv.RUN_LABEL + "\": \"" + TestEnv.runId() + "\"}" + extra + "}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return json(r).get("uuid").asText();
    }

    @Test
    void createsAServiceWithAutoredeployOffThenAPatchTurnsItOnAndThePushRedeploysIt() throws Exception {
        int port = TestImages.freePort();
        String uuid = createService(TestEnv.uniqueName("web"), port, "");
        JsonNode created = json(call("GET", "/api/v1/service/" + uuid + "/", null));
        assertThat(created.get("autoredeploy").asBoolean()).isFalse();
        assertThat(created.get("status").asText()).isEqualTo("running");
        assertThat(TestImages.httpGet(port)).contains("one");

        HttpResponse<String> patched = call("PATCH", "/api/v1/service/" + uuid + "/", "{\"autoredeploy\": true}");
        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
        assertThat(json(patched).get("autoredeploy").asBoolean()).isTrue();
        assertThat(json(patched).get("redeploy_needed").asBoolean()).isFalse();

        redock.scheduler(Duration.ofSeconds(2)).start();
        TestImages.push(TestImages.webImage("two"), repo + ":stable");
        await().atMost(Duration.ofSeconds(30)).until(() -> "two".equals(strip(TestImages.httpGet(port))));
        JsonNode list = json(call("GET", "/api/v1/service/", null));
        assertThat(list.get("objects")).hasSize(1);
        assertThat(list.get("objects").get(0).get("last_deployment").get("trigger").asText()).isEqualTo("registry-poll");
    }

    @Test
    void aServicesMinimumUptimeIsGivenAtCreationShownAndPatchedBackToTheDefault() throws Exception {
        String uuid = createService(TestEnv.uniqueName("web"), TestImages.freePort(), ", \"min_uptime\": \"0s\"");
        assertThat(json(call("GET", "/api/v1/service/" + uuid + "/", null)).get("min_uptime").asText()).isEqualTo("0s");

        HttpResponse<String> own = call("PATCH", "/api/v1/service/" + uuid + "/", "{\"min_uptime\": \"2s\"}");
        assertThat(own.statusCode()).as(own.body()).isEqualTo(200);
        assertThat(json(own).get("min_uptime").asText()).isEqualTo("2s");
        assertThat(json(own).get("redeploy_needed").asBoolean()).as("the container stays as it is").isFalse();

        HttpResponse<String> bad = call("PATCH", "/api/v1/service/" + uuid + "/", "{\"min_uptime\": 5}");
        assertThat(bad.statusCode()).as(bad.body()).isEqualTo(422);

        HttpResponse<String> reset = call("PATCH", "/api/v1/service/" + uuid + "/", "{\"min_uptime\": null}");
        assertThat(reset.statusCode()).as(reset.body()).isEqualTo(200);
        assertThat(json(reset).get("min_uptime").isNull()).as("Redock's default").isTrue();
    }

    @Test
    void environmentValuesAreMaskedUnlessAskedForAndAPatchThatSendsTheMaskBackKeepsThem() throws Exception {
        String name = TestEnv.uniqueName("web");
        HttpResponse<String> made = call("POST", "/api/v1/service/", "{\"image\": \"" + image + "\", \"name\": \"" + name
                + "\", \"env\": {\"MODE\": \"prod\", \"TOKEN\": \"s3cret-value\"}, \"stop_timeout\": 1,"
                + " \"labels\": {\"" + TestEnv.RUN_LABEL + "\": \"" + TestEnv.runId() + "\"}}");
        assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
        assertThat(made.body()).doesNotContain("s3cret-value");
        String uuid = json(made).get("uuid").asText();
        String path = "/api/v1/service/" + uuid + "/";

        JsonNode got = json(call("GET", path, null));
        assertThat(got.get("spec").get("env").toString())
                .isEqualTo("{\"MODE\":\"" + EnvMask.MASK + "\",\"TOKEN\":\"" + EnvMask.MASK + "\"}");
        assertThat(call("GET", "/api/v1/service/", null).body()).doesNotContain("s3cret-value");
        assertThat(json(call("GET", path + "?show-values=true", null)).get("spec").get("env").toString())
                .isEqualTo("{\"MODE\":\"prod\",\"TOKEN\":\"s3cret-value\"}");
        assertThat(call("GET", "/api/v1/service/?show-values=true", null).body()).contains("s3cret-value");
        assertThat(TestEnv.docker().inspectContainerCmd(name).exec().getConfig().getEnv()).contains("TOKEN=s3cret-value");

        // What a GET showed, sent back as it was: nothing changes.
        HttpResponse<String> echoed = call("PATCH", path, "{\"env\": " + got.get("spec").get("env") + "}");
        assertThat(echoed.statusCode()).as(echoed.body()).isEqualTo(200);
        assertThat(json(echoed).get("redeploy_needed").asBoolean()).isFalse();
        assertThat(echoed.body()).doesNotContain("s3cret-value");

        HttpResponse<String> added = call("PATCH", path, "{\"env\": {\"MODE\": \"test\", \"TOKEN\": \"" + EnvMask.MASK
                + "\", \"NEW\": \"1\"}}");
        assertThat(added.statusCode()).as(added.body()).isEqualTo(200);
        assertThat(json(added).get("redeploy_needed").asBoolean()).isTrue();
        assertThat(redock.services().get(uuid).spec().env())
                .containsExactly(java.util.Map.entry("MODE", "test"), java.util.Map.entry("TOKEN", "s3cret-value"),
                        java.util.Map.entry("NEW", "1"));

        String before = call("GET", path + "?show-values=true", null).body();
        HttpResponse<String> unknown = call("PATCH", path, "{\"env\": {\"OTHER\": \"" + EnvMask.MASK + "\"}}");
        assertThat(unknown.statusCode()).as(unknown.body()).isEqualTo(422);
        assertThat(json(unknown).get("field").asText()).isEqualTo("env");
        assertThat(json(unknown).get("error").asText()).contains("the value of OTHER is the mask", "OTHER has none");
        assertThat(call("GET", path + "?show-values=true", null).body()).isEqualTo(before);
        HttpResponse<String> launch = call("POST", "/api/v1/service/", "{\"image\": \"" + image + "\", \"name\": \""
                + TestEnv.uniqueName("web") + "\", \"env\": {\"TOKEN\": \"" + EnvMask.MASK + "\"}}");
        assertThat(launch.statusCode()).as(launch.body()).isEqualTo(422);
        assertThat(json(launch).get("field").asText()).isEqualTo("env");
        assertThat(redock.services().list()).hasSize(1);
    }

    @Test
    void aTriggerUrlRedeploysUntilItIsRevokedAndGuessedTokensAreRefused() throws Exception {
        int port = TestImages.freePort();
        String uuid = createService(TestEnv.uniqueName("web"), port, "");
        HttpResponse<String> made = call("POST", "/api/v1/service/" + uuid + "/trigger/", "{\"name\": \"ci\"}");
        assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
        String url = json(made).get("url").asText();
        String triggerToken = json(made).get("token").asText();
        assertThat(java.util.Base64.getUrlDecoder().decode(triggerToken)).hasSizeGreaterThanOrEqualTo(16);
        String callPath = URI.create(url).getPath();

        TestImages.push(TestImages.webImage("two"), repo + ":stable");
        HttpResponse<String> called = call("POST", callPath, null, null);
        assertThat(called.statusCode()).as(called.body()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).until(() -> "two".equals(strip(TestImages.httpGet(port))));
        await().atMost(Duration.ofSeconds(10)).until(() -> history(uuid).get(0).outcome() == Outcome.SUCCEEDED);
        assertThat(history(uuid).get(0).trigger()).isEqualTo(Trigger.TRIGGER_URL);
        assertThat(json(call("GET", "/api/v1/service/" + uuid + "/trigger/", null)).get("objects").get(0).get("last_called").isNull())
                .isFalse();

        assertThat(call("DELETE", "/api/v1/service/" + uuid + "/trigger/ci/", null).statusCode()).isEqualTo(204);
        int deploymentsBefore = history(uuid).size();
        assertThat(call("POST", callPath, null, null).statusCode()).isEqualTo(404);

        AtomicInteger accepted = new AtomicInteger();
        for (int i = 0; i < 1000; i++) {
            String guess = ApiToken.randomToken(32);
            if (call("POST", "/api/v1/service/" + uuid + "/trigger/" + guess + "/call/", null, null).statusCode() != 404) {
                accepted.incrementAndGet();
            }
        }
        assertThat(accepted).hasValue(0);
        assertThat(call("POST", "/api/v1/service/" + UUID.randomUUID() + "/trigger/" + triggerToken + "/call/", null, null).statusCode())
                .isEqualTo(404);
        assertThat(history(uuid)).hasSize(deploymentsBefore);
    }

    @Test
    void aDockerHubWebhookOnATriggerUrlRedeploysOnlyForTheServicesTag() throws Exception {
        String uuid = createService(TestEnv.uniqueName("web"), TestImages.freePort(), "");
        String path = URI.create(json(call("POST", "/api/v1/service/" + uuid + "/trigger/", "{\"name\": \"hub\"}")).get("url").asText()).getPath();
        String repoName = TestEnv.registry() + "/" + repo;

        HttpResponse<String> other = call("POST", path, hubPayload(repoName, "latest"), null);
        assertThat(other.statusCode()).as(other.body()).isEqualTo(200);
        assertThat(json(other).get("message").asText()).startsWith("ignored");

        HttpResponse<String> same = call("POST", path, hubPayload(repoName, "stable"), null);
        assertThat(same.statusCode()).as(same.body()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).until(() -> history(uuid).size() == 2 && history(uuid).get(0).outcome() == Outcome.SUCCEEDED);
    }

    private static String hubPayload(String repoName, String tag) {
        return "{\"push_data\": {\"pusher\": \"someone\", \"tag\": \"" + tag + "\"}, \"callback_url\": \"https://example.invalid/cb\","
                + " \"repository\": {\"repo_name\": \"" + repoName + "\", \"name\": \"web\"}}";
    }

    @Test
    void anImageAnnouncementRedeploysOnlyTheMatchingServicesWithAutoredeployOn() throws Exception {
        String on = createService(TestEnv.uniqueName("on"), TestImages.freePort(), ", \"autoredeploy\": true");
        String off = createService(TestEnv.uniqueName("off"), TestImages.freePort(), "");
        String otherRepo = TestEnv.uniqueName("api/other");
        TestImages.push(TestImages.webImage("x"), otherRepo + ":stable");
        String elsewhere = createService(TestEnv.uniqueName("else"), TestImages.freePort(),
                ", \"autoredeploy\": true").toString();
        // "elsewhere" follows the same repo: point it at another one through PATCH
        assertThat(call("PATCH", "/api/v1/service/" + elsewhere + "/", "{\"image\": \"" + TestEnv.registry() + "/" + otherRepo + ":stable\"}")
                .statusCode()).isEqualTo(200);

        TestImages.push(TestImages.webImage("two"), repo + ":stable");
        HttpResponse<String> r = call("POST", "/api/v1/image-push", "{\"image\": \"" + TestEnv.registry() + "/" + repo + "\", \"tag\": \"stable\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        assertThat(json(r).get("redeploying")).hasSize(1);
        assertThat(json(r).get("redeploying").get(0).get("uuid").asText()).isEqualTo(on);

        await().atMost(Duration.ofSeconds(30)).until(() -> history(on).size() == 2 && history(on).get(0).outcome() == Outcome.SUCCEEDED);
        assertThat(history(on).get(0).trigger()).isEqualTo(Trigger.IMAGE_PUSH);
        assertThat(history(off)).hasSize(1);
        assertThat(history(elsewhere)).hasSize(1);
    }

    @Test
    void tenAnnouncementsDuringADeploymentLeadToOneFollowUp() throws Exception {
        String uuid = createService(TestEnv.uniqueName("web"), TestImages.freePort(), ", \"autoredeploy\": true");
        AtomicInteger started = new AtomicInteger();
        redock.events().subscribe(new DeployEvents() {
            @Override
            public void deploymentStarted(dev.redock.model.Service service, Deployment deployment) {
                started.incrementAndGet();
            }
        });
        assertThat(call("POST", "/api/v1/service/" + uuid + "/redeploy/", null).statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(10)).until(() -> started.get() == 1);
        for (int i = 0; i < 10; i++) {
            assertThat(call("POST", "/api/v1/image-push", "{\"image\": \"" + image + "\"}").statusCode()).isEqualTo(202);
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> history(uuid).size() == 3
                && history(uuid).stream().allMatch(d -> d.outcome() == Outcome.SUCCEEDED));
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> history(uuid).size() == 3);
        assertThat(history(uuid).get(0).trigger()).isEqualTo(Trigger.IMAGE_PUSH);
        assertThat(history(uuid).get(1).trigger()).isEqualTo(Trigger.API);
    }

    @Test
    void aSignedGitHubPushIsVerifiedAndAWronglySignedOneIsRefused() throws Exception {
        String uuid = createService(TestEnv.uniqueName("web"), TestImages.freePort(), "");
        String secret = json(call("GET", "/api/v1/service/" + uuid + "/webhook/", null)).get("secret").asText();
        String payload = "{\"ref\": \"refs/heads/main\", \"repository\": {\"clone_url\": \"https://example.invalid/o/r.git\"}}";

        HttpResponse<String> wrong = post("/api/v1/service/" + uuid + "/webhook/github/", payload, "X-Hub-Signature-256",
                "sha256=" + hmac("not the secret", payload));
        assertThat(wrong.statusCode()).isEqualTo(401);
        HttpResponse<String> unsigned = post("/api/v1/service/" + uuid + "/webhook/github/", payload, "X-Other", "x");
        assertThat(unsigned.statusCode()).isEqualTo(401);
        HttpResponse<String> gitlabWrong = post("/api/v1/service/" + uuid + "/webhook/gitlab/", payload, "X-Gitlab-Token", "nope");
        assertThat(gitlabWrong.statusCode()).isEqualTo(401);

        HttpResponse<String> signed = post("/api/v1/service/" + uuid + "/webhook/github/", payload, "X-Hub-Signature-256",
                "sha256=" + hmac(secret, payload));
        assertThat(signed.statusCode()).as(signed.body()).isIn(200, 202);
        assertThat(json(signed).get("branch").asText()).isEqualTo("main");
        HttpResponse<String> gitlab = post("/api/v1/service/" + uuid + "/webhook/gitlab/",
                "{\"ref\": \"refs/heads/main\", \"project\": {\"git_http_url\": \"https://example.invalid/o/r.git\"}}", "X-Gitlab-Token", secret);
        assertThat(gitlab.statusCode()).as(gitlab.body()).isIn(200, 202);
        assertThat(history(uuid)).hasSize(1);
    }

    private HttpResponse<String> post(String path, String body, String header, String value) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(api.baseUrl() + path)).POST(HttpRequest.BodyPublishers.ofString(body))
                .header(header, value).build(), HttpResponse.BodyHandlers.ofString());
    }

    static String hmac(String secret, String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return java.util.HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void answersBadBodiesWithTheRightErrorAndChangesNothing() throws Exception {
        String name = TestEnv.uniqueName("web");
        String uuid = createService(name, TestImages.freePort(), "");
        String before = call("GET", "/api/v1/service/", null).body();
        int containers = TestEnv.engine().listByLabel(TestEnv.RUN_LABEL, TestEnv.runId()).size();

        assertError(call("POST", "/api/v1/service/", "{\"image\": "), 400, null);
        assertError(call("POST", "/api/v1/service/", "[1, 2]"), 422, null);
        assertError(call("POST", "/api/v1/service/", "{\"image\": \"" + image + "\", \"colour\": \"red\"}"), 422, "colour");
        assertError(call("POST", "/api/v1/service/", "{\"image\": 42}"), 422, "image");
        assertError(call("POST", "/api/v1/service/", "{\"image\": \"" + image + "\", \"autoredeploy\": \"yes\"}"), 422, "autoredeploy");
        assertError(call("POST", "/api/v1/service/", "{\"image\": \"" + image + "\", \"ports\": \"80:80\"}"), 422, "ports");
        assertError(call("POST", "/api/v1/service/", "{\"image\": \"" + image + "\", \"ports\": [\"99999:80\"]}"), 422, "ports");
        assertError(call("POST", "/api/v1/service/", "{\"image\": \"" + image + "\", \"env\": {\"A\": 1}}"), 422, "env.A");
        assertError(call("POST", "/api/v1/service/", "{\"image\": \"Bad Image\"}"), 422, "image");
        assertError(call("POST", "/api/v1/service/", "{\"name\": \"x\"}"), 422, "image");
        assertError(call("POST", "/api/v1/service/", "{\"image\": \"" + image + "\", \"name\": \"" + name + "\"}"), 409, "name");
        assertError(call("POST", "/api/v1/service/", "{\"image\": \"" + image + "\", \"padding\": \"" + "x".repeat(2 * 1024 * 1024) + "\"}"), 413, null);
        assertError(call("PATCH", "/api/v1/service/" + uuid + "/", "{\"name\": \"renamed\"}"), 422, "name");
        assertError(call("PATCH", "/api/v1/service/" + uuid + "/", "{\"autoredeploy\": null}"), 422, "autoredeploy");
        assertError(call("PATCH", "/api/v1/service/" + uuid + "/", "{\"restart\": \"sometimes\"}"), 422, "restart");
        assertError(call("PATCH", "/api/v1/service/" + uuid + "/", "{\"git\": {\"branch\": \"main\"}}"), 422, "git");
        assertError(call("PATCH", "/api/v1/service/" + UUID.randomUUID() + "/", "{\"autoredeploy\": true}"), 404, null);
        assertError(call("GET", "/api/v1/service/not-a-uuid/", null), 404, null);
        assertError(call("PUT", "/api/v1/service/" + uuid + "/", "{}"), 405, null);
        assertError(call("POST", "/api/v1/service/" + uuid + "/trigger/", "{\"name\": \"\"}"), 422, "name");
        assertError(call("POST", "/api/v1/image-push", "{\"tag\": \"x\"}"), 422, "image");

        assertThat(call("GET", "/api/v1/service/", null).body()).isEqualTo(before);
        assertThat(TestEnv.engine().listByLabel(TestEnv.RUN_LABEL, TestEnv.runId())).hasSize(containers);
    }

    private static void assertError(HttpResponse<String> r, int status, String field) throws IOException {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        JsonNode body = json(r);
        assertThat(body.get("status").asInt()).isEqualTo(status);
        assertThat(body.get("error").asText()).isNotBlank().doesNotContain("Exception");
        if (field != null) {
            assertThat(body.get("field").asText()).isEqualTo(field);
        }
    }

    @Test
    void refusesCallsWithoutTheTokenAndListensOnLoopbackOnly() throws Exception {
        assertError(call("GET", "/api/v1/service/", null, null), 401, null);
        assertError(call("GET", "/api/v1/service/", null, "wrong"), 401, null);
        assertError(call("POST", "/api/v1/image-push", "{\"image\": \"" + image + "\"}", ApiToken.randomToken(32)), 401, null);
        assertThat(call("GET", "/api/v1/service/", null).statusCode()).isEqualTo(200);

        assertThat(api.address().getAddress().isLoopbackAddress()).isTrue();
        assertThat(api.address().getAddress().getHostAddress()).isEqualTo("127.0.0.1");
        try (Socket s = new Socket()) {
            org.assertj.core.api.Assertions.assertThatThrownBy(
                    () -> s.connect(new InetSocketAddress("127.0.0.2", api.port()), 2000)).isInstanceOf(ConnectException.class);
        }
        assertThat(java.nio.file.Files.getPosixFilePermissions(home.resolve("api-token")))
                .containsExactlyInAnyOrder(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                        java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
    }

    @Test
    void anOpenWindowHearsOfChangesMadeByAnotherProcess() throws Exception {
        String uuid = createService(TestEnv.uniqueName("web"), TestImages.freePort(), "");
        try (Redock window = Redocks.open(home)) {
            AtomicInteger changes = new AtomicInteger();
            window.events().subscribe(new DeployEvents() {
                @Override
                public void servicesChanged() {
                    changes.incrementAndGet();
                }
            });
            window.watchOtherProcesses();
            assertThat(call("PATCH", "/api/v1/service/" + uuid + "/", "{\"autoredeploy\": true}").statusCode()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(10)).until(() -> changes.get() >= 1);
            assertThat(window.serviceStore().find(UUID.fromString(uuid)).orElseThrow().autoredeploy()).isTrue();
        }
    }

    private List<Deployment> history(String uuid) {
        return redock.services().history(UUID.fromString(uuid), 100);
    }

    private static String strip(String s) {
        return s == null ? null : s.strip();
    }
}
