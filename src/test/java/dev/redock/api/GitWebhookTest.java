package dev.redock.api;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import dev.redock.app.Redock;
import dev.redock.model.ContainerSpec;
import dev.redock.model.Deployment;
import dev.redock.model.GitSource;
import dev.redock.model.Json;
import dev.redock.model.Outcome;
import dev.redock.model.PortBinding;
import dev.redock.model.Service;
import dev.redock.model.Trigger;
import dev.redock.service.LaunchRequest;
import dev.redock.testenv.DockerTest;
import dev.redock.testenv.GitRepos;
import dev.redock.testenv.Redocks;
import dev.redock.testenv.TestEnv;
import dev.redock.testenv.TestImages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Push webhooks on a service built from source: a signed push redeploys at once, without waiting for a poll. */
@ExtendWith(DockerTest.class)
class GitWebhookTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path home;
    @TempDir
    Path repos;

    private Redock redock;
    private ApiServer api;
    private GitRepos repo;
    private String base;

    @BeforeEach
    void start() throws Exception {
        redock = Redocks.open(home);
        api = redock.startApi(0);
        repo = GitRepos.create(repos);
        base = TestImages.baseImage();
    }

    @AfterEach
    void stop() {
        repo.close();
        redock.close();
    }

    private String commit(String page) {
        return repo.commit("main", Map.of("Dockerfile", GitRepos.webDockerfile(base), "index.html", page), "Page " + page);
    }

    private HttpResponse<String> post(String path, String body, String header, String value) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(api.baseUrl() + path)).POST(HttpRequest.BodyPublishers.ofString(body))
                .header(header, value).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aSignedGitHubPushRedeploysTheBranchAtOnceAndAWronglySignedOneDoesNothing() throws Exception {
        commit("one");
        int port = TestImages.freePort();
        ContainerSpec spec = new ContainerSpec(List.of(new PortBinding("127.0.0.1", port, 80, "tcp")), null, null, null, null,
                null, null, 1);
        Service web = redock.services().launch(LaunchRequest.fromGit(TestEnv.uniqueName("web"),
                GitSource.of(repo.bare().toString(), "main"), spec, true), null, null);
        String secret = redock.triggers().webhookSecret(web.id());
        String path = "/api/v1/service/" + web.id() + "/webhook/github/";
        String two = commit("two");
        String payload = "{\"ref\": \"refs/heads/main\", \"after\": \"" + two + "\", \"repository\": {\"clone_url\": \"file://"
                + repo.bare() + "\"}}";

        HttpResponse<String> forged = post(path, payload, "X-Hub-Signature-256", "sha256=" + ApiTest.hmac("guessed", payload));
        assertThat(forged.statusCode()).isEqualTo(401);
        HttpResponse<String> otherBranch = post(path, payload.replace("refs/heads/main", "refs/heads/feature"), "X-Hub-Signature-256",
                "sha256=" + ApiTest.hmac(secret, payload.replace("refs/heads/main", "refs/heads/feature")));
        assertThat(otherBranch.statusCode()).as(otherBranch.body()).isEqualTo(200);
        assertThat(Json.mapper().readTree(otherBranch.body()).get("redeploying")).isEmpty();
        assertThat(redock.services().history(web.id(), 10)).hasSize(1);

        HttpResponse<String> signed = post(path, payload, "X-Hub-Signature-256", "sha256=" + ApiTest.hmac(secret, payload));
        assertThat(signed.statusCode()).as(signed.body()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(60)).until(() -> "two".equals(strip(TestImages.httpGet(port))));
        await().atMost(Duration.ofSeconds(10)).until(() -> redock.services().history(web.id(), 10).get(0).outcome() == Outcome.SUCCEEDED);
        Deployment d = redock.services().history(web.id(), 10).get(0);
        assertThat(d.trigger()).isEqualTo(Trigger.WEBHOOK);
        assertThat(d.commit().sha()).isEqualTo(two);

        String gitlabPayload = "{\"ref\": \"refs/heads/main\", \"project\": {\"git_http_url\": \"" + repo.bare() + "\"}}";
        assertThat(post("/api/v1/service/" + web.id() + "/webhook/gitlab/", gitlabPayload, "X-Gitlab-Token", "wrong").statusCode())
                .isEqualTo(401);
        assertThat(redock.services().history(web.id(), 10)).hasSize(2);
    }

    private static String strip(String s) {
        return s == null ? null : s.strip();
    }
}
