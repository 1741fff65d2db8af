package dev.redock.ui;

import java.nio.file.Path;
import java.time.Duration;

import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import javafx.stage.Window;

import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;

import dev.redock.model.ContainerSpec;
import dev.redock.model.ImageRef;
import dev.redock.model.PullProgress;
import dev.redock.service.LaunchRequest;
import dev.redock.testenv.DockerTest;
import dev.redock.testenv.TestEnv;
import dev.redock.testenv.TestImages;

import static dev.redock.ui.ConsoleFixture.node;
import static dev.redock.ui.ConsoleFixture.onFx;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The launch wizard refuses invalid input in every field as it is typed: the error shows beside the field and Next stays
 * disabled until it is fixed. Back keeps what was typed; Enter is Next; Escape cancels.
 */
@ExtendWith({DockerTest.class, FxExceptions.class})
class LaunchWizardValidationTest {

    @TempDir
    static Path dataFolder;

    private static ConsoleFixture console;
    private static String image;
    private static String takenName;
    private final FxRobot robot = new FxRobot();

    @BeforeAll
    static void pushAnImageAndLaunchAServiceWhoseNameIsTaken() throws Exception {
        String repository = TestEnv.uniqueName("uiv") + "/site";
        TestImages.push(TestImages.webImage("validation"), repository + ":1.0");
        image = TestEnv.registry() + "/" + repository;
        console = ConsoleFixture.open(dataFolder);
        takenName = TestEnv.uniqueName("taken");
        ContainerSpec spec = new ContainerSpec(null, null, null, null, null, null, null, 1);
        console.redock().services().launch(new LaunchRequest(takenName, ImageRef.parse(image + ":1.0"), spec, false), PullProgress.NONE);
        await().atMost(Duration.ofSeconds(10)).until(() -> onFx(() -> console.context().services().nameTaken(takenName)));
    }

    @AfterAll
    static void closeTheConsole() {
        if (console != null) {
            console.close();
        }
    }

    @BeforeEach
    void openTheWizardWithCtrlN() {
        robot.clickOn("#services");
        robot.press(KeyCode.CONTROL).type(KeyCode.N).release(KeyCode.CONTROL);
        await().atMost(Duration.ofSeconds(5)).until(() -> wizard() != null);
    }

    @AfterEach
    void closeTheWizard() {
        Stage w = wizard();
        if (w != null) {
            onFx(w::close);
        }
    }

    @Test
    void invalidInputInTheImageFieldsKeepsNextDisabledAndSaysWhy() {
        assertRefused("#imageField", "", "#imageError", "Enter an image");
        assertRefused("#imageField", "Bad Image", "#imageError", "contains spaces");
        assertRefused("#imageField", "nginx:1.25", "#imageError", "Tag field");
        assertRefused("#imageField", "UPPER/case", "#imageError", "lowercase");
        replace("#imageField", image);
        assertRefused("#tagField", "", "#tagError", "Enter a tag");
        assertRefused("#tagField", "-dash", "#tagError", "Invalid tag");
        assertRefused("#tagField", "with space", "#tagError", "no spaces");

        replace("#tagField", "missing-tag");
        await().atMost(Duration.ofSeconds(20)).until(() -> text("#checkTitle").equals("Unknown repository or tag"));
        assertThat(text("#checkMessage")).isNotBlank();
        assertThat(nextDisabled()).isTrue();

        replace("#imageField", "127.0.0.1:1/nobody/home");
        replace("#tagField", "latest");
        await().atMost(Duration.ofSeconds(20)).until(() -> text("#checkTitle").equals("Registry unreachable"));
        assertThat(text("#checkMessage")).contains("127.0.0.1:1");
        assertThat(nextDisabled()).isTrue();

        replace("#imageField", image);
        replace("#tagField", "1.0");
        await().atMost(Duration.ofSeconds(20)).until(() -> !nextDisabled());
        assertThat(text("#checkTitle")).startsWith("Found");
    }

    @Test
    void invalidInputInEachConfigurationFieldKeepsNextDisabledAndSaysWhy() {
        toTheConfigurationStep();

        assertRefused("#nameField", "", "#nameError", "Enter a name");
        assertRefused("#nameField", "no spaces here", "#nameError", "invalid name");
        assertRefused("#nameField", "-leading-dash", "#nameError", "invalid name");
        assertRefused("#nameField", takenName, "#nameError", "already exists");
        replace("#nameField", "site-ok");

        assertRefused("#portsField", "80:http", "#portsError", "invalid port binding");
        assertRefused("#portsField", "70000:80", "#portsError", "out of range");
        assertRefused("#portsField", "8080:80/icmp", "#portsError", "unknown protocol");
        assertRefused("#envField", "1BAD=x", "#envError", "invalid environment variable name");
        assertRefused("#envField", "NOVALUE", "#envError", "KEY=VALUE");
        assertRefused("#volumesField", "data:relative/path", "#volumesError", "absolute path");
        assertRefused("#volumesField", "/srv:/data:rx", "#volumesError", "volume mode");
        assertRefused("#commandField", "sh -c \"echo unclosed", "#commandError", "unclosed double quote");
        assertRefused("#restartField .text-field", "sometimes", "#restartError", "unknown restart policy");
        assertRefused("#restartField .text-field", "on-failure:x", "#restartError", "invalid retry count");
        assertRefused("#stopTimeoutField", "-3", "#stopTimeoutError", "between 0 and 3600");
        assertRefused("#stopTimeoutField", "soon", "#stopTimeoutError", "whole number");
        assertRefused("#minUptimeField", "soon", "#minUptimeError", "minimum uptime is a duration");
        assertRefused("#minUptimeField", "2h", "#minUptimeError", "between 0s and 1h");

        reveal("#networksField");
        robot.clickOn("Labels and networks");
        assertRefused("#labelsField", "dev.redock.service=mine", "#labelsError", "Redock's own");
        assertRefused("#labelsField", "=value", "#labelsError", "KEY=VALUE");
        assertRefused("#networksField", "bad net!", "#networksError", "invalid network name");
    }

    @Test
    void backKeepsWhatWasTypedAndEscapeCancels() {
        toTheConfigurationStep();
        replace("#nameField", "kept-name");
        replace("#portsField", "18081:80");
        robot.clickOn("#backButton");
        assertThat(text("#imageField")).isEqualTo(image);
        assertThat(text("#tagField")).isEqualTo("1.0");
        assertThat(nextDisabled()).isFalse();
        robot.type(KeyCode.ENTER);
        await().atMost(Duration.ofSeconds(5)).until(() -> isShown("#nameField"));
        assertThat(text("#nameField")).isEqualTo("kept-name");
        assertThat(text("#portsField")).isEqualTo("18081:80");

        robot.clickOn("#nextButton");
        await().atMost(Duration.ofSeconds(5)).until(() -> text("#summaryName").equals("kept-name"));
        robot.clickOn("#backButton");
        assertThat(text("#nameField")).isEqualTo("kept-name");

        robot.type(KeyCode.ESCAPE);
        await().atMost(Duration.ofSeconds(5)).until(() -> wizard() == null);
        assertThat(console.redock().services().list()).extracting(s -> s.name()).doesNotContain("kept-name");
    }

    private void toTheConfigurationStep() {
        replace("#imageField", image);
        replace("#tagField", "1.0");
        await().atMost(Duration.ofSeconds(20)).until(() -> !nextDisabled());
        robot.type(KeyCode.ENTER);
        await().atMost(Duration.ofSeconds(5)).until(() -> isShown("#nameField"));
        assertThat(text("#nameField")).isEqualTo("site");
        assertThat(nextDisabled()).isFalse();
    }

    /** Types a bad value: the error appears beside the field, Next is disabled; clearing it takes both away again. */
    private void assertRefused(String field, String bad, String errorLabel, String expected) {
        String before = text(field);
        replace(field, bad);
        soon().until(() -> isShown(errorLabel));
        assertThat(text(errorLabel)).as("error for %s = \"%s\"", field, bad).containsIgnoringCase(expected);
        assertThat(nextDisabled()).as("Next with %s = \"%s\"", field, bad).isTrue();
        replace(field, before);
        if (!before.isEmpty() || !field.equals("#imageField") && !field.equals("#tagField") && !field.equals("#nameField")) {
            soon().until(() -> !isShown(errorLabel));
        }
    }

    /** Scrolls the wizard's step so that the node is in view, as a user would before clicking it. */
    private void reveal(String query) {
        onFx(() -> {
            Node n = robot.lookup(query).query();
            for (Node p = n.getParent(); p != null; p = p.getParent()) {
                if (p instanceof javafx.scene.control.ScrollPane pane) {
                    Node content = pane.getContent();
                    double y = content.sceneToLocal(n.localToScene(n.getBoundsInLocal())).getMinY();
                    double room = content.getBoundsInLocal().getHeight() - pane.getViewportBounds().getHeight();
                    if (room > 0) {
                        pane.setVvalue(Math.max(0, Math.min(1, (y - 40) / room)));
                    }
                    pane.layout();
                    break;
                }
            }
        });
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

    private void replace(String query, String value) {
        reveal(query);
        robot.clickOn(query);
        robot.press(KeyCode.CONTROL).type(KeyCode.A).release(KeyCode.CONTROL);
        if (value.isEmpty()) {
            robot.type(KeyCode.DELETE);
        } else {
            ConsoleFixture.type(node(robot, query), value);
        }
        org.testfx.util.WaitForAsyncUtils.waitForFxEvents();
    }

    private boolean isShown(String query) {
        return ConsoleFixture.isShown(robot, query);
    }

    private String text(String query) {
        return ConsoleFixture.text(robot, query);
    }
}
