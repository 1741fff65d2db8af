package dev.redock.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import dev.redock.model.Json;
import dev.redock.model.Labels;
import dev.redock.testenv.DockerTest;
import dev.redock.testenv.GitRepos;
import dev.redock.testenv.RefusedGitUrls;
import dev.redock.testenv.TestEnv;
import dev.redock.testenv.TestImages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code redock service run --git ...} as users run it, on a real repository and the real engine. */
@ExtendWith(DockerTest.class)
class GitCliTest {

    @TempDir
    Path home;
    @TempDir
    Path repos;

    private CliRunner redock;
    private GitRepos repo;
    private String base;
    private String label;
    private String web;

    @BeforeEach
    void setUp() {
        redock = new CliRunner(home);
        repo = GitRepos.create(repos);
        base = TestImages.baseImage();
        label = TestEnv.RUN_LABEL + "=" + TestEnv.runId();
        web = TestEnv.uniqueName("web");
    }

    @AfterEach
    void tearDown() {
        repo.close();
        // The CLI's engine puts no run label on what it builds: remove this test's images by Redock's own label.
        var docker = TestEnv.docker();
        for (var c : docker.listContainersCmd().withShowAll(true).withLabelFilter(Map.of(Labels.SERVICE_NAME, web)).exec()) {
            docker.removeContainerCmd(c.getId()).withForce(true).exec();
        }
        for (var image : docker.listImagesCmd().withLabelFilter(Map.of(Labels.SERVICE_NAME, web)).exec()) {
            docker.removeImageCmd(image.getId()).withForce(true).exec();
        }
    }

    private CliRunner.Result run(String... args) {
        List<String> all = new ArrayList<>(List.of("service", "run", "-l", label, "--stop-timeout", "1"));
        all.addAll(List.of(args));
        return redock.run(all.toArray(String[]::new));
    }

    @Test
    void launchesAServiceFromAClonesRemoteBranchAndShowsItsSourceAndCommits() throws Exception {
        String v1 = repo.commit("main", Map.of("Dockerfile", GitRepos.webDockerfile(base), "index.html", "one"), "First page");
        int port = TestImages.freePort();
        CliRunner.Result launched = run("--git", repo.work().toString(), "--git-remote", "origin", "--branch", "main",
                "--name", web, "-p", "127.0.0.1:" + port + ":80", "--autoredeploy");
        assertThat(launched.exitCode()).as(launched.toString()).isZero();
        assertThat(launched.err()).contains("Step 2/").contains("Launched " + web + " (git:").contains(v1.substring(0, 7));
        assertThat(TestImages.httpGet(port)).contains("one");
        String origin = repo.bare().toUri().toString();

        CliRunner.Result ls = redock.run("service", "ls");
        assertThat(ls.out()).containsPattern(web + "\\s+[0-9a-f-]{36}\\s+git:" + java.util.regex.Pattern.quote(origin) + "#main\\s+default\\s+running\\s+on");

        String v2 = repo.commit("main", Map.of("index.html", "two"), "Second page");
        CliRunner.Result redeploy = redock.run("service", "redeploy", web);
        assertThat(redeploy.exitCode()).as(redeploy.toString()).isZero();
        assertThat(redeploy.out()).contains(web + " runs " + v2.substring(0, 7));
        assertThat(TestImages.httpGet(port)).contains("two");

        JsonNode json = Json.mapper().readTree(redock.run("service", "inspect", web).out());
        assertThat(json.get("git").get("url").asText()).isEqualTo(origin);
        assertThat(json.get("git").get("branch").asText()).isEqualTo("main");
        assertThat(json.get("git").get("dockerfile").asText()).isEqualTo("Dockerfile");
        assertThat(json.get("commit").asText()).isEqualTo(v2);
        assertThat(json.get("image").asText()).endsWith(":" + v2.substring(0, 7));
        JsonNode history = json.get("history");
        assertThat(history).hasSize(2);
        assertThat(history.get(0).get("trigger").asText()).isEqualTo("manual");
        assertThat(history.get(0).get("commit").get("sha").asText()).isEqualTo(v2);
        assertThat(history.get(0).get("commit").get("message").asText()).isEqualTo("Second page");
        assertThat(history.get(0).get("commit").get("author").asText()).isEqualTo("Ada Tester <ada@example.test>");
        assertThat(history.get(1).get("commit").get("sha").asText()).isEqualTo(v1);

        CliRunner.Result rm = redock.run("service", "rm", web);
        assertThat(rm.exitCode()).as(rm.toString()).isZero();
        assertThat(TestEnv.docker().listImagesCmd().withLabelFilter(Map.of(Labels.SERVICE_NAME, web)).exec())
                .as("the images built for it go with it").isEmpty();
    }

    @Test
    void setChangesOnlyTheGitFieldsGivenAndRefusesAnImage() throws Exception {
        repo.commit("main", Map.of("Dockerfile", GitRepos.webDockerfile(base), "index.html", "one"), "First page");
        repo.commit("other", Map.of("index.html", "other"), "Other page");
        CliRunner.Result launched = run("--git", repo.bare().toString(), "--branch", "main", "--name", web, "--path", "docs/");
        assertThat(launched.exitCode()).as(launched.toString()).isZero();
        JsonNode before = Json.mapper().readTree(redock.run("service", "inspect", web).out());

        CliRunner.Result set = redock.run("service", "set", web, "--branch", "other", "--path", "src/", "--path", "!src/README.md");
        assertThat(set.exitCode()).as(set.toString()).isZero();
        assertThat(set.out()).isEqualTo(web + ": branch other, paths src/ !src/README.md\n"
                + "The running container follows at the next redeploy: redock service redeploy " + web + "\n");
        JsonNode after = Json.mapper().readTree(redock.run("service", "inspect", web).out());
        assertThat(after.get("git").get("branch").asText()).isEqualTo("other");
        assertThat(after.get("git").get("paths").toString()).isEqualTo("[\"src/\",\"!src/README.md\"]");
        for (String kept : List.of("url", "dockerfile", "context")) {
            assertThat(after.get("git").get(kept)).as(kept).isEqualTo(before.get("git").get(kept));
        }
        for (String kept : List.of("image", "digest", "commit", "spec", "autoredeploy", "history")) {
            assertThat(after.get(kept)).as(kept).isEqualTo(before.get(kept));
        }

        String stored = redock.run("service", "inspect", web).out();
        assertRefused(redock.run("service", "set", web, "--image", "nginx:1.27"), 2,
                web + " is built from git and runs the image built from its repository");
        assertRefused(redock.run("service", "set", web, "--branch", "bad..name"), 2, "invalid branch name");
        assertRefused(redock.run("service", "set", web, "--path", "src/", "--no-paths"), 2, "mutually exclusive");
        assertThat(redock.run("service", "inspect", web).out()).isEqualTo(stored);

        // The default Dockerfile goes along with a new context, as in the Edit form; one named elsewhere stays.
        assertThat(redock.run("service", "set", web, "--context", "site").out())
                .startsWith(web + ": dockerfile site/Dockerfile, context site\n");
        assertThat(redock.run("service", "set", web, "--dockerfile", "docker/web.Dockerfile").exitCode()).isZero();
        assertThat(redock.run("service", "set", web, "--context", "app").out()).startsWith(web + ": context app\n");
        JsonNode moved = Json.mapper().readTree(redock.run("service", "inspect", web).out()).get("git");
        assertThat(moved.get("dockerfile").asText()).isEqualTo("docker/web.Dockerfile");
        assertThat(moved.get("context").asText()).isEqualTo("app");
    }

    @Test
    void refusesGitOptionsThatDoNotFitWithOneClearLineAndWritesNothing() {
        repo.commit("main", Map.of("index.html", "no Dockerfile here"), "Just a page");
        String bare = repo.bare().toString();
        String image = "localhost:5000/some/web:1";

        assertRefused(run("--git", bare, "--name", web), 2, "--git needs --branch BRANCH");
        assertRefused(run("--branch", "main", image), 2, "--branch needs --git");
        assertRefused(run("--path", "src/", image), 2, "--path needs --git");
        assertRefused(run("--git", bare, "--branch", "main", image), 2, "no IMAGE with --git");
        assertRefused(run("--name", web), 2, "an IMAGE is needed");
        assertRefused(run("--git", "https://me:s3cret@git.example.com/web.git", "--branch", "main"), 2, "password");
        assertRefused(run("--git", bare, "--branch", "main", "--context", "../up"), 2, "leaves the repository");
        assertRefused(run("--git", repo.work().toString(), "--git-remote", "upstream", "--branch", "main"), 2,
                "has no remote \"upstream\" (it has origin)");
        assertRefused(run("--git", bare, "--branch", "nope", "--name", web), 1, "the branch \"nope\" does not exist");
        assertRefused(run("--git", repos.resolve("nowhere.git").toString(), "--branch", "main", "--name", web), 1, "cannot reach");
        assertRefused(run("--git", bare, "--branch", "main", "--name", web), 1, "there is no Dockerfile at Dockerfile in commit");

        assertThat(redock.run("service", "ls", "-q").out()).isEmpty();
        await().atMost(Duration.ofSeconds(5)).until(() -> TestEnv.docker().listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(Labels.SERVICE_NAME, web)).exec().isEmpty());
    }

    @Test
    void aGitUrlWithAControlCharacterOrCredentialsIsRefusedByRunAndSetWithTheValidationsMessageAndNothingIsWritten()
            throws Exception {
        repo.commit("main", Map.of("Dockerfile", GitRepos.webDockerfile(base), "index.html", "one"), "First page");
        for (String url : RefusedGitUrls.URLS) {
            assertRefused(run("--git", url, "--branch", "main", "--name", web), 2, RefusedGitUrls.message(url));
        }
        try (var clone = org.eclipse.jgit.api.Git.open(repo.work().toFile())) {
            var config = clone.getRepository().getConfig();
            config.setString("remote", "tokened", "url", RefusedGitUrls.TOKEN_AS_USER);
            config.save();
        }
        assertRefused(run("--git", repo.work().toString(), "--git-remote", "tokened", "--branch", "main", "--name", web), 2,
                RefusedGitUrls.message(RefusedGitUrls.TOKEN_AS_USER));
        assertThat(redock.run("service", "ls", "-q").out()).isEmpty();
        assertThat(TestEnv.docker().listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(Labels.SERVICE_NAME, web)).exec()).isEmpty();

        CliRunner.Result launched = run("--git", repo.bare().toString(), "--branch", "main", "--name", web);
        assertThat(launched.exitCode()).as(launched.toString()).isZero();
        String stored = redock.run("service", "inspect", web).out();
        for (String url : RefusedGitUrls.URLS) {
            assertRefused(redock.run("service", "set", web, "--git", url), 2, RefusedGitUrls.message(url));
        }
        assertThat(redock.run("service", "inspect", web).out()).isEqualTo(stored);
    }

    private static void assertRefused(CliRunner.Result r, int exitCode, String message) {
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(exitCode);
        assertThat(r.err()).as(r.toString()).contains(message);
        assertThat(r.err().lines().filter(l -> l.startsWith("redock:")).count()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).as(r.toString()).doesNotContain("Exception").doesNotContain("\tat ");
    }
}
