package dev.redock.ui;

import static dev.redock.ui.ConsoleFixture.node;
import static dev.redock.ui.ConsoleFixture.onFx;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableView;
import javafx.scene.control.TextInputControl;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import javafx.stage.Window;

import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.util.WaitForAsyncUtils;

import atlantafx.base.controls.ToggleSwitch;
import dev.redock.model.CommitInfo;
import dev.redock.model.Deployment;
import dev.redock.model.Outcome;
import dev.redock.model.Service;
import dev.redock.model.Trigger;
import dev.redock.testenv.DockerTest;
import dev.redock.testenv.GitRepos;
import dev.redock.testenv.RefusedGitUrls;
import dev.redock.testenv.TestEnv;
import dev.redock.testenv.TestImages;
import dev.redock.ui.form.GitFields;

/**
 * A service built from a git repository, through the window, on real bare repositories, the real engine and a real H2
 * file: the wizard refuses invalid git input as it is typed, launches from a branch while streaming the build, the detail
 * page follows a new commit by itself once autoredeploy is on, and says so when the branch cannot be read.
 */
@ExtendWith({DockerTest.class, FxExceptions.class})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GitSourceConsoleTest {

    private static final Duration DEPLOY_WAIT = Duration.ofSeconds(120);

    @TempDir
    static Path dataFolder;
    @TempDir
    static Path repos;

    private static GitRepos repo;
    private static String base;
    private static String firstCommit;
    private static String serviceName;
    private static int port;
    private static ConsoleFixture console;
    private final FxRobot robot = new FxRobot();

    @BeforeAll
    static void commitAPageAndOpenTheConsole() {
        repo = GitRepos.create(repos);
        base = TestImages.baseImage();
        firstCommit = repo.commit("main", Map.of("Dockerfile", GitRepos.webDockerfile(base), "index.html", "page one"), "First page");
        serviceName = TestEnv.uniqueName("site");
        console = ConsoleFixture.open(dataFolder);
    }

    @AfterAll
    static void closeTheConsole() {
        if (console != null) {
            console.close();
        }
        if (repo != null) {
            repo.close();
        }
    }

    @Test
    @Order(1)
    void invalidGitInputKeepsNextDisabledAndSaysWhyAndALocalClonesRemoteCanBeChosen() {
        robot.clickOn("#launchServiceButton");
        await().atMost(Duration.ofSeconds(5)).until(() -> wizard() != null);
        robot.clickOn("#sourceGit");
        await().atMost(Duration.ofSeconds(10)).until(() -> isShown("#gitRepositoryField"));
        assertThat(isShown("#gitRepositoryError")).isTrue();
        assertThat(text("#gitRepositoryError")).startsWith("Enter a repository");
        assertThat(nextDisabled()).isTrue();
        assertThat(text("#gitBranchField")).as("the branch defaults to main").isEqualTo("main");

        assertRefused("#gitRepositoryField", "not a url", "#gitRepositoryError", "contains spaces");
        assertRefused("#gitRepositoryField", "site.git", "#gitRepositoryError", "invalid git repository");
        assertRefused("#gitRepositoryField", "https://", "#gitRepositoryError", "invalid git repository");
        assertRefused("#gitRepositoryField", "https://me:secret@example.test/r.git", "#gitRepositoryError", "password");
        for (String url : List.of(RefusedGitUrls.URLS.get(0), RefusedGitUrls.TOKEN_AS_USER)) {
            assertRefused("#gitRepositoryField", url, "#gitRepositoryError", RefusedGitUrls.message(url));
        }
        setText("#gitRepositoryField", repo.bare().toString());
        await().atMost(Duration.ofSeconds(20)).until(() -> text("#gitCheckTitle").startsWith("Branch main is at"));

        assertRefused("#gitBranchField", "a..b", "#gitBranchError", "invalid branch name");
        assertRefused("#gitBranchField", "with space", "#gitBranchError", "invalid branch name");
        assertRefused("#gitBranchField", "", "#gitBranchError", "Enter the branch");
        assertRefused("#gitDockerfileField", "/srv/Dockerfile", "#gitDockerfileError", "not an absolute path");
        assertRefused("#gitDockerfileField", "../Dockerfile", "#gitDockerfileError", "leaves the repository");
        assertRefused("#gitContextField", "..", "#gitContextError", "leaves the repository");
        assertRefused("#gitPathsField", "web/, ../etc", "#gitPathsError", "leaves the repository");

        replace("#gitBranchField", "nope");
        await().atMost(Duration.ofSeconds(20)).until(() -> text("#gitCheckTitle").equals("No such branch"));
        assertThat(text("#gitCheckMessage")).contains("nope");
        assertThat(nextDisabled()).isTrue();
        replace("#gitBranchField", "main");

        setText("#gitRepositoryField", "https://127.0.0.1:1/team/site.git");
        await().atMost(Duration.ofSeconds(30)).until(() -> text("#gitCheckTitle").equals("Repository unreachable"));
        assertThat(text("#gitCheckMessage")).contains("127.0.0.1:1");
        assertThat(nextDisabled()).isTrue();

        // A working clone: its remotes are offered; choosing one builds from that remote's URL.
        setText("#gitRepositoryField", repo.work().toString());
        await().atMost(Duration.ofSeconds(10)).until(() -> isShown("#gitRemoteField"));
        ComboBox<GitFields.Remote> remotes = node(robot, "#gitRemoteField");
        assertThat(onFx(() -> remotes.getItems().stream().map(GitFields.Remote::name).toList())).containsExactly(null, "origin");
        robot.clickOn("#gitRemoteField");
        robot.type(KeyCode.DOWN).type(KeyCode.ENTER);
        await().atMost(Duration.ofSeconds(5)).until(() -> onFx(() -> remotes.getValue() != null && "origin".equals(remotes.getValue().name())));
        assertThat(text("#gitUrlHint")).contains("origin").contains("remote.git");
        await().atMost(Duration.ofSeconds(20)).until(() -> !nextDisabled());
        assertThat(text("#gitCheckTitle")).isEqualTo("Branch main is at " + CommitInfo.shortSha(firstCommit));
        assertThat(text("#gitCheckMessage")).contains("remote.git");

        robot.type(KeyCode.ESCAPE);
        await().atMost(Duration.ofSeconds(5)).until(() -> wizard() == null);
    }

    @Test
    @Order(2)
    void theWizardLaunchesAServiceFromAGitRepositoryStreamingItsBuildWithAutoredeployLeftOff() throws Exception {
        robot.clickOn("#launchServiceButton");
        await().atMost(Duration.ofSeconds(5)).until(() -> wizard() != null);
        robot.clickOn("#sourceGit");
        setText("#gitRepositoryField", repo.bare().toString()); // a long temporary path: set, not typed
        replace("#gitBranchField", "main");
        robot.clickOn("#gitDockerfileField").write("Dockerfile");
        // Each change of the fields starts a new check, and the title of the one before stays until it answers: wait for
        // Next, which is enabled only once the check of what the fields hold now has found the branch.
        await().atMost(Duration.ofSeconds(20)).until(() -> !nextDisabled());
        assertThat(text("#gitCheckTitle")).isEqualTo("Branch main is at " + CommitInfo.shortSha(firstCommit));
        robot.type(KeyCode.ENTER);

        await().atMost(Duration.ofSeconds(5)).until(() -> isShown("#nameField"));
        assertThat(text("#nameField")).as("name suggested from the repository").isEqualTo("remote");
        replace("#nameField", serviceName);
        port = TestImages.freePort(); // picked now: a port picked long before can be taken meanwhile
        robot.clickOn("#portsField").write(port + ":80");
        robot.clickOn("#stopTimeoutField").write("1");
        assertThat(text("#autoredeployHint")).contains("new commit on the branch");
        assertThat(onFx(() -> ConsoleFixture.<ToggleSwitch>node(robot, "#autoredeploySwitch").isSelected()))
                .as("autoredeploy is off by default").isFalse();
        robot.clickOn("#nextButton");

        await().atMost(Duration.ofSeconds(5)).until(() -> text("#summaryName").equals(serviceName));
        assertThat(text("#summaryRepository")).isEqualTo(repo.bare().toString());
        assertThat(text("#summaryBranch")).isEqualTo("main, now at " + CommitInfo.shortSha(firstCommit));
        assertThat(text("#summaryAutoredeploy")).startsWith("off");

        // What the user sees of the build, recorded as it changes (the wizard closes once the service runs).
        List<String> logs = new CopyOnWriteArrayList<>();
        List<Double> progress = new CopyOnWriteArrayList<>();
        onFx(() -> {
            ConsoleFixture.<TextInputControl>node(robot, "#buildLog").textProperty().addListener((o, a, now) -> logs.add(now));
            ConsoleFixture.<ProgressBar>node(robot, "#pullProgress").progressProperty()
                    .addListener((o, a, now) -> progress.add(now.doubleValue()));
        });
        robot.clickOn("#wizardLaunch");

        await().atMost(DEPLOY_WAIT).until(() -> ConsoleFixture.textOr(robot, "#detailName", "").equals(serviceName));
        assertThat(logs).as("the build's output streamed into the wizard")
                .anyMatch(t -> t.contains("Fetching main")).anyMatch(t -> t.matches("(?s).*Step 2/\\d+ : COPY index.html.*"));
        assertThat(progress).as("the progress bar followed the build's steps").anyMatch(p -> p > 0 && p < 1).contains(1.0);

        await().atMost(Duration.ofSeconds(30)).until(() -> text("#detailStatus").equals("running"));
        assertThat(text("#detailAutoredeploy")).isEqualTo("Autoredeploy off");
        assertThat(text("#detailImage")).isEqualTo(repo.bare().toString());
        assertThat(text("#detailBranch")).isEqualTo("main");
        await().atMost(Duration.ofSeconds(10)).until(() -> text("#detailCommitSha").equals(CommitInfo.shortSha(firstCommit)));
        assertThat(text("#detailCommitMessage")).isEqualTo("First page");
        assertThat(text("#detailCommitAuthor")).isEqualTo("by Ada Tester");

        robot.clickOn("#backToList");
        assertThat(ConsoleFixture.awaitRowSwitchOn(robot, serviceName)).as("the list shows autoredeploy off").isFalse();
        assertThat(onFx(() -> robot.lookup("git: remote#main").tryQuery().isPresent())).as("the list shows the git source").isTrue();
        Service stored = console.redock().services().get(serviceName);
        assertThat(stored.autoredeploy()).isFalse();
        assertThat(stored.commit()).isEqualTo(firstCommit);

        ConsoleFixture.assertServing(serviceName, port, "page one");
    }

    @Test
    @Order(3)
    void withAutoredeployOnANewCommitShowsOnTheDetailPageWithItsBuildWithoutAClick() {
        ConsoleFixture.switchAutoredeployOn(robot, console.redock(), serviceName);

        ConsoleFixture.openService(robot, serviceName);
        await().atMost(Duration.ofSeconds(10)).until(() -> timeline().size() == 1);
        assertThat(timeline().get(0).commit().sha()).isEqualTo(firstCommit);
        assertThat(onFx(() -> ConsoleFixture.<TabPane>node(robot, "#detailTabs").getTabs().stream()
                .anyMatch(t -> "buildTab".equals(t.getId())))).as("a service built from source has a Build tab").isTrue();

        String second = repo.commit("main", Map.of("index.html", "page two"), "Second page\n\nA body the timeline leaves out.");
        // No click from here on: the scheduler sees the commit, builds it, and the page follows the core's events.
        await().atMost(DEPLOY_WAIT).until(() -> timeline().stream().anyMatch(d -> d.trigger() == Trigger.GIT_POLL
                && d.outcome() == Outcome.SUCCEEDED && d.commit() != null && second.equals(d.commit().sha())));
        Deployment redeploy = timeline().get(0);
        assertThat(redeploy.commit().message()).isEqualTo("Second page");
        await().atMost(Duration.ofSeconds(10)).until(() -> text("#detailCommitSha").equals(CommitInfo.shortSha(second)));
        assertThat(text("#detailCommitMessage")).isEqualTo("Second page");
        assertThat(onFx(() -> {
            TableView<Deployment> table = node(robot, "#timeline");
            return robot.from(table).lookup(CommitInfo.shortSha(second) + " Second page").tryQuery().isPresent();
        })).as("the timeline's row shows the commit").isTrue();
        assertThat(text("#buildArea")).as("the Build tab streamed the build")
                .containsPattern("Step 2/\\d+ : COPY index.html");
        assertThat(text("#buildStatus")).isEqualTo("Built and deployed " + CommitInfo.shortSha(second));
        assertThat(TestImages.httpGet(port)).contains("page two");
    }

    @Test
    @Order(4)
    void aBranchThatCannotBeReadShowsTheSchedulersProblemOnTheDetailPage() throws Exception {
        Path moved = repo.bare().resolveSibling("moved-away.git");
        Files.move(repo.bare(), moved);
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> isShown("#detailSourceProblem"));
            assertThat(text("#detailSourceProblem")).startsWith("Cannot read the branch main: ").contains("remote.git");
        } finally {
            Files.move(moved, repo.bare());
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> !isShown("#detailSourceProblem"));
    }

    private List<Deployment> timeline() {
        return onFx(() -> List.copyOf(ConsoleFixture.<TableView<Deployment>>node(robot, "#timeline").getItems()));
    }

    private void assertRefused(String field, String bad, String errorLabel, String expected) {
        String before = text(field);
        replace(field, bad);
        soon().until(() -> isShown(errorLabel));
        assertThat(text(errorLabel)).as("error for %s = \"%s\"", field, bad).containsIgnoringCase(expected);
        assertThat(nextDisabled()).as("Next with %s = \"%s\"", field, bad).isTrue();
        setText(field, before);
        if (!before.isEmpty()) {
            soon().until(() -> !isShown(errorLabel));
        }
    }

    /**
     * Waits for what a field's validation shows: it runs on the FX thread as the field changes, so the window is looked at
     * at once, and then often, rather than first after Awaitility's default 100 ms.
     */
    private static ConditionFactory soon() {
        return await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(20)).atMost(Duration.ofSeconds(10));
    }

    private Stage wizard() {
        return onFx(() -> Window.getWindows().stream()
                .filter(w -> w instanceof Stage s && "Launch service".equals(s.getTitle()) && s.isShowing())
                .map(w -> (Stage) w).findFirst().orElse(null));
    }

    private boolean nextDisabled() {
        return onFx(() -> ConsoleFixture.<Button>node(robot, "#nextButton").isDisabled());
    }

    /** Types a value into a field as a user would: click, select all, type (or delete). */
    private void replace(String query, String value) {
        robot.clickOn(query);
        robot.press(KeyCode.CONTROL).type(KeyCode.A).release(KeyCode.CONTROL);
        if (value.isEmpty()) {
            robot.type(KeyCode.DELETE);
        } else {
            ConsoleFixture.type(node(robot, query), value);
        }
        WaitForAsyncUtils.waitForFxEvents();
    }

    /** Puts a long value into a field through the control itself (typing it would only make the test slow). */
    private void setText(String query, String value) {
        onFx(() -> ConsoleFixture.<TextInputControl>node(robot, query).setText(value));
        WaitForAsyncUtils.waitForFxEvents();
    }

    private boolean isShown(String query) {
        return ConsoleFixture.isShown(robot, query);
    }

    private String text(String query) {
        return ConsoleFixture.text(robot, query);
    }
}
