package dev.redock.ui;

import static dev.redock.ui.ConsoleFixture.node;
import static dev.redock.ui.ConsoleFixture.onFx;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import javafx.scene.control.Button;
import javafx.scene.control.TableView;
import javafx.scene.input.KeyCode;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;

import atlantafx.base.controls.ToggleSwitch;
import dev.redock.model.Deployment;
import dev.redock.model.Outcome;
import dev.redock.model.Service;
import dev.redock.model.Trigger;
import dev.redock.testenv.DockerTest;
import dev.redock.testenv.TestEnv;
import dev.redock.testenv.TestImages;

/**
 * One service's life through the window, on the real engine, the real registry and a real H2 file: launched with the
 * wizard, its autoredeploy switched on in the list and redeployed by a push, switched off again in the Edit form, and
 * still off once the app is restarted on the same data.
 */
@ExtendWith({DockerTest.class, FxExceptions.class})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleJourneyTest {

    private static final Duration DEPLOY_WAIT = Duration.ofSeconds(120);

    @TempDir
    static Path dataFolder;

    private static String repository;
    private static String firstDigest;
    private static String serviceName;
    private static int port;
    private static ConsoleFixture console;
    private final FxRobot robot = new FxRobot();

    @BeforeAll
    static void pushTheFirstVersionAndOpenTheConsole() {
        repository = TestEnv.uniqueName("ui") + "/web";
        firstDigest = TestImages.push(TestImages.webImage("journey v1"), repository + ":stable");
        serviceName = TestEnv.uniqueName("web");
        console = ConsoleFixture.open(dataFolder);
    }

    @AfterAll
    static void closeTheConsole() {
        if (console != null) {
            console.close();
        }
    }

    @Test
    @Order(1)
    void theWizardLaunchesAServiceWithAutoredeployLeftOffAndItsContainerRuns() throws Exception {
        robot.clickOn("#launchServiceButton");
        robot.clickOn("#imageField").write(TestEnv.registry() + "/" + repository);
        replaceText("#tagField", "stable");
        await().atMost(Duration.ofSeconds(30)).until(() -> text("#checkTitle").startsWith("Found"));
        assertThat(text("#checkMessage")).contains(firstDigest);
        assertThat(onFx(() -> ConsoleFixture.<Button>node(robot, "#nextButton").isDisabled())).isFalse();
        robot.type(KeyCode.ENTER); // Enter is Next

        await().atMost(Duration.ofSeconds(5)).until(() -> ConsoleFixture.isShown(robot, "#nameField"));
        assertThat(text("#nameField")).as("name suggested from the image").isEqualTo("web");
        replaceText("#nameField", serviceName);
        port = TestImages.freePort(); // picked now: a port picked long before can be taken meanwhile
        robot.clickOn("#portsField").write(port + ":80");
        robot.clickOn("#stopTimeoutField").write("1");
        assertThat(onFx(() -> ConsoleFixture.<ToggleSwitch>node(robot, "#autoredeploySwitch").isSelected()))
                .as("autoredeploy is off by default").isFalse();
        robot.clickOn("#nextButton");

        await().atMost(Duration.ofSeconds(5)).until(() -> text("#summaryName").equals(serviceName));
        assertThat(text("#summaryAutoredeploy")).startsWith("off");
        robot.clickOn("#wizardLaunch");
        await().atMost(Duration.ofSeconds(30)).until(() -> onFx(() -> robot.lookup("#pullProgress").tryQuery()
                .map(n -> n.isVisible() && n.getParent().isVisible()).orElse(false)));

        await().atMost(DEPLOY_WAIT).until(() -> ConsoleFixture.textOr(robot, "#detailName", "").equals(serviceName));
        await().atMost(Duration.ofSeconds(30)).until(() -> text("#detailStatus").equals("running"));
        assertThat(text("#detailAutoredeploy")).isEqualTo("Autoredeploy off");

        robot.clickOn("#backToList");
        assertThat(ConsoleFixture.awaitRowSwitchOn(robot, serviceName)).as("the list shows autoredeploy off").isFalse();
        assertThat(console.redock().services().get(serviceName).autoredeploy()).isFalse();
        assertThat(ConsoleFixture.onFx(() -> robot.lookup("#engineFilter").tryQuery()))
                .as("one engine: no engine filter in the window").isEmpty();

        ConsoleFixture.assertServing(serviceName, port, "journey v1");
    }

    @Test
    @Order(2)
    void flippingTheSwitchInTheListAndPushingRedeploysItAndTheTimelineShowsItWithoutAClick() {
        ConsoleFixture.switchAutoredeployOn(robot, console.redock(), serviceName);

        ConsoleFixture.doubleClickRow(robot, serviceName);
        await().atMost(Duration.ofSeconds(10)).until(() -> timeline().size() == 1);
        assertThat(timeline().get(0).trigger()).isEqualTo(Trigger.LAUNCH);

        String secondDigest = TestImages.push(TestImages.webImage("journey v2"), repository + ":stable");
        // No click from here on: the scheduler sees the push and the page follows the core's events.
        await().atMost(DEPLOY_WAIT).until(() -> timeline().stream().anyMatch(d -> d.trigger() == Trigger.REGISTRY_POLL
                && d.outcome() == Outcome.SUCCEEDED && secondDigest.equals(d.newDigest())));
        Deployment redeploy = timeline().get(0);
        assertThat(redeploy.oldDigest()).isEqualTo(firstDigest);
        assertThat(redeploy.newDigest()).isEqualTo(secondDigest);
        await().atMost(Duration.ofSeconds(10)).until(() -> text("#detailDigest").equals(Format.digest(secondDigest)));
        assertThat(TestImages.httpGet(port)).contains("journey v2");
    }

    @Test
    @Order(3)
    void theEditFormTurnsAutoredeployOffAndSetsTheMinimumUptimeAndBothStayAfterTheAppRestartsOnTheSameData() {
        robot.clickOn("#editButton");
        await().atMost(Duration.ofSeconds(10)).until(() -> ConsoleFixture.textOr(robot, "#editTitle", "").equals("Edit " + serviceName));
        ToggleSwitch editSwitch = node(robot, "#autoredeploySwitch");
        assertThat(onFx(() -> editSwitch.isSelected())).isTrue();
        robot.clickOn(onFx(() -> editSwitch.lookup(".thumb-area")));
        assertThat(onFx(() -> editSwitch.isSelected())).isFalse();
        assertThat(ConsoleFixture.text(robot, "#minUptimeField")).as("Redock's default").isEmpty();
        onFx(() -> robot.lookup("#minUptimeField").queryAs(javafx.scene.control.TextInputControl.class).setText("0s"));
        robot.clickOn("#editSave");

        await().atMost(Duration.ofSeconds(10)).until(() -> !console.redock().services().get(serviceName).autoredeploy());
        assertThat(console.redock().services().get(serviceName).minUptime()).isZero();
        await().atMost(Duration.ofSeconds(10)).until(() -> text("#detailAutoredeploy").equals("Autoredeploy off"));
        assertThat(ConsoleFixture.present(robot, "#confirm-dialog")).as("no redeploy offered: the container did not change").isFalse();

        robot.clickOn(onFx(() -> ConsoleFixture.<ToggleSwitch>node(robot, "#pauseSwitch").lookup(".thumb-area")));
        await().atMost(Duration.ofSeconds(5)).until(() -> console.scheduler().isPaused());
        await().atMost(Duration.ofSeconds(5)).until(() -> console.redock().autoredeployPaused());
        onFx(() -> {
            var stage = console.console().stage();
            stage.setX(40);
            stage.setY(30);
            stage.setWidth(1000);
            stage.setHeight(640);
            console.context().theme().toggle();
        });
        console.close();
        console = ConsoleFixture.open(dataFolder);
        onFx(() -> {
            var stage = console.console().stage();
            assertThat(List.of(stage.getX(), stage.getY(), stage.getWidth(), stage.getHeight()))
                    .as("the window's geometry is remembered").containsExactly(40.0, 30.0, 1000.0, 640.0);
            assertThat(console.context().theme().variant()).as("and its theme").isEqualTo(Theme.Variant.DARK);
            console.context().theme().toggle();
        });
        await("autoredeploys are still paused").atMost(Duration.ofSeconds(5)).until(() -> console.scheduler().isPaused());
        await("the pause switch shows it").atMost(Duration.ofSeconds(5))
                .until(() -> onFx(() -> ConsoleFixture.<ToggleSwitch>node(robot, "#pauseSwitch").isSelected()));

        assertThat(ConsoleFixture.awaitRowSwitchOn(robot, serviceName)).isFalse();
        Service stored = console.redock().services().get(serviceName);
        assertThat(stored.autoredeploy()).isFalse();
        assertThat(stored.spec().stopTimeoutSeconds()).isEqualTo(1);
        assertThat(stored.minUptime()).isZero();
        ConsoleFixture.openService(robot, serviceName);
        await().atMost(Duration.ofSeconds(10)).until(() -> text("#detailAutoredeploy").equals("Autoredeploy off"));
    }

    @Test
    @Order(4)
    void removingTheServiceWithTheDeleteKeyAsksFirstThenTakesItsContainerAway() throws Exception {
        robot.clickOn("#backToList");
        robot.clickOn(serviceName);
        robot.type(KeyCode.DELETE);
        await().atMost(Duration.ofSeconds(5)).until(() -> ConsoleFixture.present(robot, "#confirm-ok"));
        robot.clickOn("#confirm-ok");
        await().atMost(Duration.ofSeconds(30)).until(() -> console.redock().services().list().isEmpty());
        await().atMost(Duration.ofSeconds(10)).until(() -> ConsoleFixture.rowSwitchOn(robot, serviceName).isEmpty());
        assertThat(TestEnv.engine().inspect(serviceName)).isEmpty();
    }

    private List<Deployment> timeline() {
        return onFx(() -> List.copyOf(ConsoleFixture.<TableView<Deployment>>node(robot, "#timeline").getItems()));
    }

    private void replaceText(String query, String value) {
        robot.clickOn(query);
        robot.press(KeyCode.CONTROL).type(KeyCode.A).release(KeyCode.CONTROL);
        robot.write(value);
    }

    private String text(String query) {
        return ConsoleFixture.text(robot, query);
    }
}
