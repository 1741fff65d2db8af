package dev.redock.api;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import dev.redock.app.Redock;
import dev.redock.model.EnvMask;
import dev.redock.model.Json;
import dev.redock.model.Labels;
import dev.redock.model.Service;
import dev.redock.service.ApiToken;
import dev.redock.testenv.DockerTest;
import dev.redock.testenv.GitRepos;
import dev.redock.testenv.Redocks;
import dev.redock.testenv.RefusedGitUrls;
import dev.redock.testenv.TestEnv;
import dev.redock.testenv.TestImages;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code POST /api/v1/service/} with a {@code "git"} object, over real HTTP, on a real bare repository and the real engine. */
@ExtendWith(DockerTest.class)
class GitServiceApiTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path home;
    @TempDir
    Path repos;

    private Redock redock;
    private ApiServer api;
    private String token;
    private GitRepos repo;
    private String base;

    @BeforeEach
    void start() throws Exception {
        redock = Redocks.open(home);
        api = redock.startApi(0);
        token = ApiToken.loadOrCreate(home).value();
        repo = GitRepos.create(repos);
        base = TestImages.baseImage();
    }

    @AfterEach
    void stop() throws Exception {
        try {
            // Only this test's data folder: its services, their containers and the images built for them.
            for (Service s : redock.services().list()) {
                redock.services().remove(s.id().toString());
            }
        } finally {
            repo.close();
            redock.close();
        }
    }

    private String commit(String page) {
        return repo.commit("main", Map.of("Dockerfile", GitRepos.webDockerfile(base), "index.html", page,
                "src/app.txt", "app " + page), "Page " + page);
    }

    private HttpResponse<String> call(String method, String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(api.baseUrl() + path)).timeout(Duration.ofMinutes(3))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> r) throws IOException {
        return Json.mapper().readTree(r.body());
    }

    /** A body with the run label on the container, the given name, and {@code sourceFields} ({@code "git": {...}} and the like). */
    private static String body(String name, String sourceFields) {
        return "{\"name\": \"" + name + "\", " + sourceFields + ", \"stop_timeout\": 1,"
                + " \"labels\": {\"" + TestEnv.RUN_LABEL + "\": \"" + TestEnv.runId() + "\"}}";
    }

    private String git(String inside) {
        return "\"git\": {\"url\": \"" + repo.bare() + "\"" + (inside.isEmpty() ? "" : ", " + inside) + "}";
    }

    @Test
    void aPostWithAGitObjectBuildsTheBranchWithAutoredeployOffAndShowsItsSource() throws Exception {
        String sha = commit("one");
        String name = TestEnv.uniqueName("web");
        int port = TestImages.freePort();

        String source = git("\"branch\": \"main\", \"dockerfile\": \"Dockerfile\", \"context\": \".\", \"paths\": [\"src/\"]");
        HttpResponse<String> r = call("POST", "/api/v1/service/", body(name, source + ", \"ports\": [\"127.0.0.1:" + port + ":80\"],"
                + " \"env\": {\"MODE\": \"prod\"}"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        String uuid = json(r).get("uuid").asText();
        assertThat(TestImages.httpGet(port)).contains("one");

        JsonNode got = json(call("GET", "/api/v1/service/" + uuid + "/", null));
        assertThat(got.get("name").asText()).isEqualTo(name);
        assertThat(got.get("status").asText()).isEqualTo("running");
        assertThat(got.get("autoredeploy").asBoolean()).isFalse();
        JsonNode shown = got.get("git");
        assertThat(shown.get("url").asText()).isEqualTo(repo.bare().toString());
        assertThat(shown.get("branch").asText()).isEqualTo("main");
        assertThat(shown.get("dockerfile").asText()).isEqualTo("Dockerfile");
        assertThat(shown.get("context").asText()).isEqualTo(".");
        assertThat(shown.get("paths")).extracting(JsonNode::asText).containsExactly("src/");
        assertThat(got.get("commit").asText()).isEqualTo(sha);
        assertThat(got.get("image").asText()).endsWith(":" + sha.substring(0, 7));
        assertThat(got.get("spec").get("env").get("MODE").asText()).isEqualTo(EnvMask.MASK);
        JsonNode launch = got.get("last_deployment");
        assertThat(launch.get("trigger").asText()).isEqualTo("launch");
        assertThat(launch.get("commit").get("sha").asText()).isEqualTo(sha);
        assertThat(launch.get("commit").get("message").asText()).isEqualTo("Page one");
        assertThat(TestEnv.engine().listByLabel(Labels.SERVICE, uuid)).hasSize(1);

        HttpResponse<String> patched = call("PATCH", "/api/v1/service/" + uuid + "/", "{\"autoredeploy\": true}");
        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
        assertThat(json(patched).get("autoredeploy").asBoolean()).isTrue();
        assertThat(json(patched).get("git")).isEqualTo(shown);
        assertThat(json(patched).get("redeploy_needed").asBoolean()).isFalse();

        // Its source changes field by field; an image does not fit it, nor a malformed branch.
        String before = call("GET", "/api/v1/service/" + uuid + "/", null).body();
        assertError(call("PATCH", "/api/v1/service/" + uuid + "/", "{\"image\": \"nginx:1.27\"}"), 422, "image",
                "is built from git");
        assertError(call("PATCH", "/api/v1/service/" + uuid + "/", "{\"git\": {\"branch\": \"no..dots\"}}"), 422,
                "git.branch", "branch");
        assertError(call("PATCH", "/api/v1/service/" + uuid + "/", "{\"git\": {\"url\": null}}"), 422, "git.url",
                "may not be null");
        assertError(call("PATCH", "/api/v1/service/" + uuid + "/", "{\"git\": {\"colour\": \"red\"}}"), 422, "git.colour",
                "colour");
        assertThat(call("GET", "/api/v1/service/" + uuid + "/", null).body()).as("refused PATCHes change nothing")
                .isEqualTo(before);

        HttpResponse<String> moved = call("PATCH", "/api/v1/service/" + uuid + "/", "{\"git\": {\"branch\": \"release\", \"paths\": []}}");
        assertThat(moved.statusCode()).as(moved.body()).isEqualTo(200);
        JsonNode movedSource = json(moved).get("git");
        assertThat(movedSource.get("branch").asText()).isEqualTo("release");
        assertThat(movedSource.get("paths")).isEmpty();
        assertThat(movedSource.get("url").asText()).as("fields not given stay").isEqualTo(repo.bare().toString());
        assertThat(movedSource.get("dockerfile").asText()).isEqualTo("Dockerfile");
        assertThat(json(moved).get("redeploy_needed").asBoolean()).isTrue();
        assertThat(TestImages.httpGet(port)).as("the running container follows at the next redeploy").contains("one");

        HttpResponse<String> context = call("PATCH", "/api/v1/service/" + uuid + "/", "{\"git\": {\"context\": \"site\"}}");
        assertThat(context.statusCode()).as(context.body()).isEqualTo(200);
        assertThat(json(context).get("git").get("dockerfile").asText()).as("the default Dockerfile goes along with the context")
                .isEqualTo("site/Dockerfile");
    }

    @Test
    void aGitObjectWithOnlyUrlAndBranchTakesTheCliDefaults() throws Exception {
        commit("one");
        HttpResponse<String> r = call("POST", "/api/v1/service/", body(TestEnv.uniqueName("web"), git("\"branch\": \"refs/heads/main\"")));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        JsonNode source = json(r).get("git");
        assertThat(source.get("branch").asText()).isEqualTo("main");
        assertThat(source.get("dockerfile").asText()).isEqualTo("Dockerfile");
        assertThat(source.get("context").asText()).isEqualTo(".");
        assertThat(source.get("paths")).isEmpty();
        assertThat(json(r).get("autoredeploy").asBoolean()).isFalse();
    }

    @Test
    void refusesBadGitBodiesWithTheRightErrorAndMakesNoServiceImageOrContainer() throws Exception {
        commit("one");
        String name = TestEnv.uniqueName("web");
        String before = call("GET", "/api/v1/service/", null).body();
        int containers = serviceContainers();
        int images = serviceImages();

        String both = body(name, "\"image\": \"nginx:1.27\", " + git("\"branch\": \"main\""));
        assertError(call("POST", "/api/v1/service/", both), 422, "image", "\"git\"");
        assertError(call("POST", "/api/v1/service/", body(name, "\"ports\": []")), 422, "image", "\"git\"");
        assertError(call("POST", "/api/v1/service/", body(name, "\"git\": null")), 422, "image", "\"git\"");
        assertError(call("POST", "/api/v1/service/", body(name, git("\"branch\": \"main\", \"colour\": \"red\""))), 422,
                "git.colour", "unknown field \"git.colour\"");
        assertError(call("POST", "/api/v1/service/", body(name, git("\"branch\": \"main\", \"tag\": \"v1\""))), 422,
                "git.tag", "unknown field \"git.tag\"");
        assertError(call("POST", "/api/v1/service/", body(name, git("\"branch\": 1"))), 422, "git.branch", "must be a string");
        assertError(call("POST", "/api/v1/service/", body(name, git("\"branch\": \"main\", \"paths\": \"src/\""))), 422,
                "git.paths", "must be a list of strings");
        assertError(call("POST", "/api/v1/service/", body(name, "\"git\": \"" + repo.bare() + "\"")), 422, "git", "must be an object");
        assertError(call("POST", "/api/v1/service/", body(name, "\"git\": {\"url\": \"ftp://example.com/web.git\", \"branch\": \"main\"}")),
                422, "git.url", "invalid git repository");
        assertError(call("POST", "/api/v1/service/", body(name, "\"git\": {\"url\": \"web.git\", \"branch\": \"main\"}")),
                422, "git.url", "invalid git repository");
        assertError(call("POST", "/api/v1/service/", body(name, "\"git\": {\"url\": \"https://me:s3cret@git.example.com/web.git\","
                + " \"branch\": \"main\"}")), 422, "git.url", "password");
        assertError(call("POST", "/api/v1/service/", body(name, "\"git\": {\"branch\": \"main\"}")), 422, "git.url", "is required");
        assertError(call("POST", "/api/v1/service/", body(name, git(""))), 422, "git.branch", "is required");
        assertError(call("POST", "/api/v1/service/", body(name, git("\"branch\": \"main..x\""))), 422, "git.branch", "invalid branch");
        assertError(call("POST", "/api/v1/service/", body(name, git("\"branch\": \"main\", \"dockerfile\": \"/etc/Dockerfile\""))), 422,
                "git.dockerfile", "relative");
        assertError(call("POST", "/api/v1/service/", body(name, git("\"branch\": \"main\", \"context\": \"../up\""))), 422,
                "git.context", "leaves the repository");
        assertError(call("POST", "/api/v1/service/", body("-" + name, git("\"branch\": \"main\""))), 422, "name", "invalid name");
        // Well-formed, but the repository says no: still nothing made.
        assertError(call("POST", "/api/v1/service/", body(name, git("\"branch\": \"nope\""))), 422, "git",
                "the branch \"nope\" does not exist");
        assertError(call("POST", "/api/v1/service/", body(name, git("\"branch\": \"main\", \"dockerfile\": \"web/Dockerfile\""))), 422,
                "git", "there is no Dockerfile at web/Dockerfile");
        assertError(call("POST", "/api/v1/service/", body(name, "\"git\": {\"url\": \"" + repos.resolve("nowhere.git")
                + "\", \"branch\": \"main\"}")), 502, "git", "cannot reach");

        assertThat(call("GET", "/api/v1/service/", null).body()).isEqualTo(before);
        assertThat(redock.services().list()).isEmpty();
        assertThat(serviceContainers()).isEqualTo(containers);
        assertThat(serviceImages()).isEqualTo(images);
        assertThat(TestEnv.docker().listImagesCmd().withLabelFilter(Map.of(Labels.SERVICE_NAME, name)).exec()).isEmpty();
    }

    @Test
    void aGitUrlWithAControlCharacterOrCredentialsIsRefusedByPostAndPatchWithTheValidationsMessage() throws Exception {
        commit("one");
        String name = TestEnv.uniqueName("web");
        HttpResponse<String> made = call("POST", "/api/v1/service/", body(name, git("\"branch\": \"main\"")));
        assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
        String uuid = json(made).get("uuid").asText();
        String before = call("GET", "/api/v1/service/", null).body();
        int containers = serviceContainers();

        for (String url : RefusedGitUrls.URLS) {
            String given = Json.mapper().writeValueAsString(url);
            String message = RefusedGitUrls.message(url);
            assertError(call("POST", "/api/v1/service/", body(TestEnv.uniqueName("web"), "\"git\": {\"url\": " + given
                    + ", \"branch\": \"main\"}")), 422, "git.url", message);
            HttpResponse<String> patched = call("PATCH", "/api/v1/service/" + uuid + "/", "{\"git\": {\"url\": " + given + "}}");
            assertError(patched, 422, "git.url", message);
            assertThat(json(patched).get("error").asText()).isEqualTo(message);
        }
        assertThat(call("GET", "/api/v1/service/", null).body()).isEqualTo(before);
        assertThat(redock.services().list()).hasSize(1);
        assertThat(serviceContainers()).isEqualTo(containers);
    }

    /** This run's containers that carry a service label. */
    private static int serviceContainers() {
        return TestEnv.docker().listContainersCmd().withShowAll(true)
                .withLabelFilter(List.of(Labels.SERVICE, TestEnv.RUN_LABEL + "=" + TestEnv.runId())).exec().size();
    }

    /** This run's images built for a service. */
    private static int serviceImages() {
        return TestEnv.docker().listImagesCmd()
                .withLabelFilter(Labels.SERVICE, TestEnv.RUN_LABEL + "=" + TestEnv.runId()).exec().size();
    }

    private static void assertError(HttpResponse<String> r, int status, String field, String message) throws IOException {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        JsonNode body = json(r);
        assertThat(body.get("status").asInt()).isEqualTo(status);
        assertThat(body.get("error").asText()).as(r.body()).contains(message).doesNotContain("Exception");
        assertThat(body.get("field").asText()).as(r.body()).isEqualTo(field);
    }
}
