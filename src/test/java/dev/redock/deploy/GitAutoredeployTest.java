package dev.redock.deploy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import dev.redock.app.Redock;
import dev.redock.engine.EngineReadback;
import dev.redock.engine.ImageInfo;
import dev.redock.model.BuildProgress;
import dev.redock.model.CommitInfo;
import dev.redock.model.ContainerInfo;
import dev.redock.model.ContainerSpec;
import dev.redock.model.DeployEvents;
import dev.redock.model.DeployResult;
import dev.redock.model.Deployment;
import dev.redock.model.GitSource;
import dev.redock.model.Labels;
import dev.redock.model.Outcome;
import dev.redock.model.PortBinding;
import dev.redock.model.Service;
import dev.redock.model.Trigger;
import dev.redock.schedule.Scheduler;
import dev.redock.service.LaunchRequest;
import dev.redock.testenv.DockerTest;
import dev.redock.testenv.GitRepos;
import dev.redock.testenv.Redocks;
import dev.redock.testenv.TestEnv;
import dev.redock.testenv.TestImages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Services built from source, on real git repositories and the real engine: a new commit on the branch goes live by itself. */
@ExtendWith(DockerTest.class)
class GitAutoredeployTest {

    private static final Duration INTERVAL = Duration.ofSeconds(3);
    /**
     * What a redeploy may take on a slow, loaded machine once a cycle has seen the new commit: fetching it, building the
     * image, stopping the old container (it ends at once on SIGTERM), creating and starting the new one, and its server
     * listening.
     */
    private static final Duration DEPLOYMENT_ALLOWANCE = Duration.ofSeconds(60);

    @TempDir
    Path home;
    @TempDir
    Path repos;

    private Redock redock;
    private GitRepos repo;
    private String base;

    @BeforeEach
    void open() {
        redock = Redocks.open(home);
        repo = GitRepos.create(repos);
        // A local image to build FROM: the script's fixture, or one of the test images when run without the script.
        base = TestImages.baseImage();
    }

    @AfterEach
    void close() {
        repo.close();
        redock.close();
    }

    private String commitPage(String branch, String page, String message) {
        return repo.commit(branch, Map.of("Dockerfile", GitRepos.webDockerfile(base), "index.html", page), message);
    }

    private Service launch(String name, GitSource source, int port, boolean autoredeploy, BuildProgress progress) throws Exception {
        ContainerSpec spec = new ContainerSpec(List.of(new PortBinding("127.0.0.1", port, 80, "tcp")), Map.of("MODE", "prod"),
                null, null, null, Map.of("team", "web"), null, 1);
        return redock.services().launch(LaunchRequest.fromGit(name, source, spec, autoredeploy), null, progress);
    }

    private Scheduler startScheduler() {
        Scheduler scheduler = redock.scheduler(INTERVAL);
        scheduler.start();
        return scheduler;
    }

    @Test
    void servesTheCommittedContentAndANewCommitOnTheBranchWithinTwoIntervals() throws Exception {
        String v1 = commitPage("main", "one", "First page");
        int port = TestImages.freePort();
        List<String> output = new CopyOnWriteArrayList<>();
        Service web = launch(TestEnv.uniqueName("web"), GitSource.of(repo.bare().toString(), "main"), port, true, new BuildProgress() {
            @Override
            public void line(String text) {
                output.add(text);
            }
        });
        assertThat(strip(TestImages.httpGet(port))).isEqualTo("one");
        assertThat(web.commit()).isEqualTo(v1);
        assertThat(web.image().familiar()).isEqualTo("redock/" + web.name() + ":" + v1.substring(0, 7));
        assertThat(output).anyMatch(l -> l.startsWith("Fetching main from ")).anyMatch(l -> l.matches("Step 2/\\d+ : COPY index.html .*"));
        ImageInfo built = EngineReadback.image(redock.engine(), web.image().nameWithTag()).orElseThrow();
        assertThat(built.labels()).containsEntry(Labels.OCI_REVISION, v1).containsEntry(Labels.OCI_SOURCE, repo.bare().toString())
                .containsEntry(TestEnv.RUN_LABEL, TestEnv.runId());
        ContainerInfo before = redock.services().container(web).orElseThrow();
        assertThat(before.labels()).containsEntry(Labels.COMMIT, v1).containsEntry(Labels.DIGEST, built.id());

        List<String> buildLines = new CopyOnWriteArrayList<>();
        redock.events().subscribe(new DeployEvents() {
            @Override
            public void buildOutput(Service service, Deployment deployment, String line, int step, int totalSteps) {
                buildLines.add(step + "/" + totalSteps + " " + line);
            }
        });
        startScheduler();
        String v2 = commitPage("main", "two", "Second page\n\nWith a body that history leaves out.");
        Instant pushed = Instant.now(); // the commit is on the branch in the bare repository
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(200))
                .until(() -> "two".equals(strip(TestImages.httpGet(port))));
        // The scheduler waits an interval after each cycle: a cycle sees the commit at most an interval (plus the cycle's own
        // ls-remote) after it; then comes the deployment itself.
        assertThat(Duration.between(pushed, Instant.now()))
                .as("from the commit to serving it: within two intervals, plus the deployment's own time on a slow machine")
                .isLessThan(INTERVAL.multipliedBy(2).plus(DEPLOYMENT_ALLOWANCE));

        await().atMost(Duration.ofSeconds(10)).until(() -> redock.services().history(web.id(), 10).get(0).outcome() == Outcome.SUCCEEDED);
        List<Deployment> history = redock.services().history(web.id(), 10);
        assertThat(history).hasSize(2);
        Deployment redeploy = history.get(0);
        assertThat(redeploy.trigger()).isEqualTo(Trigger.GIT_POLL);
        assertThat(redeploy.commit()).isEqualTo(new CommitInfo(v2, "Ada Tester <ada@example.test>", "Second page"));
        assertThat(redeploy.oldDigest()).isEqualTo(built.id());
        assertThat(redeploy.newDigest()).startsWith("sha256:").isNotEqualTo(built.id());
        assertThat(history.get(1).trigger()).isEqualTo(Trigger.LAUNCH);
        assertThat(history.get(1).commit().sha()).isEqualTo(v1);

        Service after = redock.serviceStore().find(web.id()).orElseThrow();
        assertThat(after.commit()).isEqualTo(v2);
        assertThat(after.digest()).isEqualTo(redeploy.newDigest());
        assertThat(after.image().tag()).isEqualTo(v2.substring(0, 7));
        ContainerInfo now = redock.services().container(web).orElseThrow();
        assertThat(now.id()).isNotEqualTo(before.id());
        assertThat(now.labels()).containsEntry(Labels.COMMIT, v2).containsEntry(Labels.SERVICE, web.id().toString());
        assertThat(EngineReadback.specOf(redock.engine(), now.id()).orElseThrow().env()).containsEntry("MODE", "prod");
        assertThat(buildLines).anyMatch(l -> l.matches("2/(\\d+) Step 2/\\1 : COPY index.html .*"));
        assertThat(EngineReadback.image(redock.engine(), web.image().nameWithTag())).as("the previous commit's image is removed").isEmpty();
    }

    @Test
    void leavesTheServiceAloneForCommitsOnOtherBranchesOrOutsideItsPathFilters() throws Exception {
        String v1 = repo.commit("main", Map.of("Dockerfile", GitRepos.webDockerfile(base), "index.html", "one",
                "README.md", "about"), "First page");
        int port = TestImages.freePort();
        GitSource filtered = new GitSource(repo.bare().toString(), "main", null, null, List.of("index.html", "Dockerfile"));
        Service web = launch(TestEnv.uniqueName("web"), filtered, port, true, null);
        String containerId = redock.services().container(web).orElseThrow().id();
        Scheduler scheduler = redock.scheduler(INTERVAL);

        commitPage("feature", "not on main", "Work in progress");
        assertThat(scheduler.pollOnce().redeploying()).as("another branch").isEmpty();

        String docs = repo.commit("main", Map.of("README.md", "more about it"), "Docs only");
        assertThat(scheduler.pollOnce().redeploying()).as("handed to the deployer, which checks the paths").containsExactly(web.name());
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(300))
                .until(() -> scheduler.pollOnce().redeploying().isEmpty());

        assertThat(redock.services().history(web.id(), 10)).hasSize(1);
        assertThat(redock.services().container(web).orElseThrow().id()).isEqualTo(containerId);
        assertThat(strip(TestImages.httpGet(port))).isEqualTo("one");
        assertThat(redock.serviceStore().find(web.id()).orElseThrow().commit()).isEqualTo(v1).isNotEqualTo(docs);

        // A commit that does touch a filtered path is deployed, with the docs change it brings along.
        String v3 = repo.commit("main", Map.of("index.html", "three"), "Third page");
        assertThat(scheduler.pollOnce().redeploying()).containsExactly(web.name());
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> "three".equals(strip(TestImages.httpGet(port))));
        await().atMost(Duration.ofSeconds(10)).until(() -> redock.services().history(web.id(), 10).get(0).outcome() == Outcome.SUCCEEDED);
        assertThat(redock.services().history(web.id(), 10).get(0).commit().sha()).isEqualTo(v3);
    }

    @Test
    void keepsTheOldContainerServingWhenANewCommitDoesNotBuild() throws Exception {
        String v1 = commitPage("main", "one", "First page");
        int port = TestImages.freePort();
        Service web = launch(TestEnv.uniqueName("web"), GitSource.of(repo.bare().toString(), "main"), port, true, null);
        String containerId = redock.services().container(web).orElseThrow().id();

        String broken = repo.commit("main", Map.of("Dockerfile", GitRepos.webDockerfile(base)
                + "RUN echo the build breaks on purpose && exit 3\n"), "Break the build");
        Scheduler scheduler = startScheduler();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .until(() -> redock.services().history(web.id(), 10).get(0).outcome() == Outcome.FAILED);

        Deployment failed = redock.services().history(web.id(), 10).get(0);
        assertThat(failed.trigger()).isEqualTo(Trigger.GIT_POLL);
        assertThat(failed.commit().sha()).isEqualTo(broken);
        assertThat(failed.commit().message()).isEqualTo("Break the build");
        assertThat(failed.error()).startsWith("build failed: ").contains("returned a non-zero code: 3")
                .contains("the build breaks on purpose");
        assertThat(strip(TestImages.httpGet(port))).isEqualTo("one");
        assertThat(redock.services().container(web).orElseThrow().id()).as("the very same container").isEqualTo(containerId);
        assertThat(redock.serviceStore().find(web.id()).orElseThrow().commit()).isEqualTo(v1);

        // The commit that failed is not built again at every poll; the next one is.
        scheduler.pollOnce();
        await().during(INTERVAL.plusSeconds(1)).atMost(INTERVAL.plusSeconds(3))
                .until(() -> redock.services().history(web.id(), 10).size() == 2);
        String fixed = commitPage("main", "fixed", "Fix the build");
        await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(200))
                .until(() -> "fixed".equals(strip(TestImages.httpGet(port))));
        await().atMost(Duration.ofSeconds(10)).until(() -> fixed.equals(redock.serviceStore().find(web.id()).orElseThrow().commit()));
    }

    @Test
    void backsOffAndSaysWhyWhenTheRemoteCannotBeReached() throws Exception {
        commitPage("main", "one", "First page");
        int port = TestImages.freePort();
        Service web = launch(TestEnv.uniqueName("web"), GitSource.of(repo.bare().toString(), "main"), port, true, null);
        Scheduler scheduler = redock.scheduler(INTERVAL);
        String key = web.git().describe();
        assertThat(scheduler.pollOnce().checkedTags()).contains(key);

        Path away = repos.resolve("moved-away.git");
        Files.move(repo.bare(), away);
        int asked = redock.gitRemotes().requestCount(web.git().url(), "main");
        Scheduler.CycleReport failing = scheduler.pollOnce();
        assertThat(failing.checkedTags()).doesNotContain(key);
        assertThat(scheduler.problem(web)).hasValueSatisfying(p -> assertThat(p).startsWith("cannot reach " + repo.bare()));

        Scheduler.CycleReport next = scheduler.pollOnce();
        assertThat(next.backingOff()).as("the remote is left alone for a while").contains(key);
        assertThat(redock.gitRemotes().requestCount(web.git().url(), "main")).isEqualTo(asked + 1);
        assertThat(scheduler.problem(web)).isPresent();
        assertThat(strip(TestImages.httpGet(port))).as("the service keeps running").isEqualTo("one");
        assertThat(redock.services().history(web.id(), 10)).as("polls that fail record no deployment").hasSize(1);

        // Back again: once the wait is over, the branch is read and the problem is gone.
        Files.move(away, repo.bare());
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500))
                .until(() -> scheduler.pollOnce().checkedTags().contains(key));
        assertThat(scheduler.problem(web)).isEmpty();
    }

    /**
     * A service at a first commit, a second commit pushed, and then the remote gone: what a deployment of the second finds
     * when the remote went away between the branch being read and the commit being fetched. {@link #restore} brings
     * the remote back.
     */
    private Unreachable secondCommitWithTheRemoteGone() throws Exception {
        commitPage("main", "one", "First page");
        int port = TestImages.freePort();
        Service web = launch(TestEnv.uniqueName("web"), GitSource.of(repo.bare().toString(), "main"), port, true, null);
        String v2 = commitPage("main", "two", "Second page");
        Path away = repos.resolve("moved-away.git");
        Files.move(repo.bare(), away);
        return new Unreachable(web, port, v2, away);
    }

    private record Unreachable(Service web, int port, String secondCommit, Path movedTo) {
    }

    private void restore(Unreachable u) throws Exception {
        Files.move(u.movedTo(), repo.bare());
    }

    @Test
    void aCommitThatCouldNotBeFetchedIsTriedAgainAtTheNextPollWithoutFillingHistory() throws Exception {
        Unreachable u = secondCommitWithTheRemoteGone();
        Scheduler scheduler = redock.scheduler(INTERVAL);

        // The branch was just read at the second commit, and the remote went away before the fetch.
        DeployResult result = redock.deployer().redeploy(u.web().id(), Trigger.GIT_POLL, u.secondCommit());
        assertThat(result.kind()).isEqualTo(DeployResult.Kind.POSTPONED);
        assertThat(result.message()).startsWith("fetch failed: ");
        assertThat(redock.services().history(u.web().id(), 10)).as("nothing recorded for a commit that never arrived").hasSize(1);
        assertThat(strip(TestImages.httpGet(u.port()))).isEqualTo("one");

        restore(u);
        assertThat(scheduler.pollOnce().redeploying()).as("the same commit, asked for again").containsExactly(u.web().name());
        await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(200))
                .until(() -> "two".equals(strip(TestImages.httpGet(u.port()))));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> u.secondCommit().equals(redock.serviceStore().find(u.web().id()).orElseThrow().commit()));
        assertThat(redock.services().history(u.web().id(), 10)).extracting(Deployment::trigger)
                .containsExactly(Trigger.GIT_POLL, Trigger.LAUNCH);
    }

    @Test
    void aManualRedeployThatCannotFetchIsRecordedButDoesNotStopPollsFromTryingThatCommit() throws Exception {
        Unreachable u = secondCommitWithTheRemoteGone();
        Scheduler scheduler = redock.scheduler(INTERVAL);

        DeployResult result = redock.deployer().redeploy(u.web().id(), Trigger.WEBHOOK, u.secondCommit());
        assertThat(result.kind()).isEqualTo(DeployResult.Kind.DEPLOYED);
        assertThat(result.deployment().outcome()).isEqualTo(Outcome.FAILED);
        assertThat(result.deployment().error()).startsWith("fetch failed: ");
        assertThat(result.deployment().commit().sha()).isEqualTo(u.secondCommit());

        restore(u);
        assertThat(scheduler.pollOnce().redeploying()).containsExactly(u.web().name());
        await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(200))
                .until(() -> "two".equals(strip(TestImages.httpGet(u.port()))));
    }

    @Test
    void readsABranchOncePerCycleHoweverManyServicesFollowIt() throws Exception {
        commitPage("main", "one", "First page");
        GitSource source = GitSource.of(repo.bare().toString(), "main");
        Service a = launch(TestEnv.uniqueName("a"), source, TestImages.freePort(), true, null);
        Service b = launch(TestEnv.uniqueName("b"), source, TestImages.freePort(), true, null);
        Scheduler scheduler = redock.scheduler(INTERVAL);

        int before = redock.gitRemotes().requestCount(source.url(), "main");
        for (int cycle = 1; cycle <= 3; cycle++) {
            assertThat(scheduler.pollOnce().redeploying()).isEmpty();
            assertThat(redock.gitRemotes().requestCount(source.url(), "main")).isEqualTo(before + cycle);
        }

        String v2 = commitPage("main", "two", "Second page");
        assertThat(scheduler.pollOnce().redeploying()).containsExactlyInAnyOrder(a.name(), b.name());
        assertThat(redock.gitRemotes().requestCount(source.url(), "main")).isEqualTo(before + 4);
        await().atMost(Duration.ofSeconds(60)).until(() ->
                v2.equals(redock.serviceStore().find(a.id()).orElseThrow().commit())
                        && v2.equals(redock.serviceStore().find(b.id()).orElseThrow().commit()));
    }

    private static String strip(String s) {
        return s == null ? null : s.strip();
    }
}
