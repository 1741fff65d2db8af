package dev.redock.ui;

import static dev.redock.ui.ConsoleFixture.onFx;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import javafx.scene.control.Button;
import javafx.scene.input.KeyCode;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;

import dev.redock.cli.CliRunner;
import dev.redock.model.EnvMask;
import dev.redock.testenv.DockerTest;
import dev.redock.testenv.TestEnv;
import dev.redock.testenv.TestImages;

/**
 * A service's environment in the window: masked on its page and in its Edit form until the eye is pressed, and the Edit
 * form saves the real values whether they were revealed or not.
 */
@ExtendWith({DockerTest.class, FxExceptions.class})
class MaskedEnvironmentTest {

    private static final String SECRET = "s3cret-value";

    @TempDir
    Path home;

    private final FxRobot robot = new FxRobot();
    private ConsoleFixture console;
    private CliRunner cli;
    private String name;
    private UUID id;

    @BeforeEach
    void launchAServiceWithASecretAndOpenTheConsole() {
        String repo = TestEnv.uniqueName("ui/env");
        TestImages.push(TestImages.webImage("one"), repo + ":stable");
        console = ConsoleFixture.open(home);
        cli = new CliRunner(home);
        name = TestEnv.uniqueName("env");
        id = console.launchWithCli(cli, name, TestEnv.registry() + "/" + repo + ":stable", "-e", "TOKEN=" + SECRET, "-e", "MODE=prod");
    }

    @AfterEach
    void close() {
        console.closeRemoving(cli, name);
    }

    @Test
    void theServicesPageShowsItsEnvironmentMaskedUntilTheEyeIsPressed() {
        openConfiguration();
        assertThat(text("#configEnv")).isEqualTo("TOKEN=" + EnvMask.MASK + "\nMODE=" + EnvMask.MASK).doesNotContain(SECRET);

        robot.clickOn("#envReveal");
        await().atMost(Duration.ofSeconds(5)).until(() -> text("#configEnv").equals("TOKEN=" + SECRET + "\nMODE=prod"));
        robot.clickOn("#envReveal");
        await().atMost(Duration.ofSeconds(5)).until(() -> !text("#configEnv").contains(SECRET));

        // A change made elsewhere shows masked too.
        assertThat(cli.run("service", "set", name, "-e", "TOKEN=" + SECRET, "-e", "MODE=prod", "-e", "EXTRA=more").exitCode()).isZero();
        await().atMost(Duration.ofSeconds(10)).until(() -> text("#configEnv").contains("EXTRA="));
        assertThat(text("#configEnv")).doesNotContain(SECRET).doesNotContain("more");
    }

    @Test
    void theEditFormShowsValuesMaskedRevealsThemOnAskingAndSavesTheRealOnes() {
        openConfiguration();
        robot.clickOn("#editButton");
        await().atMost(Duration.ofSeconds(10)).until(() -> ConsoleFixture.textOr(robot, "#editTitle", "").equals("Edit " + name));
        await().atMost(Duration.ofSeconds(10)).until(() -> text("#envField").contains("TOKEN="));
        assertThat(text("#envField")).isEqualTo("TOKEN=" + EnvMask.MASK + "\nMODE=" + EnvMask.MASK);
        assertThat(ConsoleFixture.isShown(robot, "#envFieldReveal")).isTrue();

        robot.clickOn("#envFieldReveal");
        assertThat(text("#envField")).isEqualTo("TOKEN=" + SECRET + "\nMODE=prod");
        robot.clickOn("#envFieldReveal");
        assertThat(text("#envField")).isEqualTo("TOKEN=" + EnvMask.MASK + "\nMODE=" + EnvMask.MASK);

        // A masked value for a key that has none stored cannot be saved.
        robot.clickOn("#envField");
        robot.press(KeyCode.CONTROL).type(KeyCode.END).release(KeyCode.CONTROL);
        robot.type(KeyCode.ENTER).write("OTHER=" + EnvMask.MASK);
        await().atMost(Duration.ofSeconds(5)).until(() -> ConsoleFixture.isShown(robot, "#envError"));
        assertThat(text("#envError")).contains("OTHER has none");
        assertThat(onFx(() -> ConsoleFixture.<Button>node(robot, "#editSave").isDisabled())).isTrue();

        // Changed to a real value, and saved with the others left masked: the stored values stay.
        for (int i = 0; i < EnvMask.MASK.length(); i++) {
            robot.type(KeyCode.BACK_SPACE);
        }
        robot.write("1");
        await().atMost(Duration.ofSeconds(5)).until(() -> !onFx(() -> ConsoleFixture.<Button>node(robot, "#editSave").isDisabled()));
        robot.clickOn("#editSave");
        await().atMost(Duration.ofSeconds(10)).until(() -> console.redock().services().get(name).spec().env().containsKey("OTHER"));
        assertThat(console.redock().services().get(name).spec().env())
                .containsExactly(Map.entry("TOKEN", SECRET), Map.entry("MODE", "prod"), Map.entry("OTHER", "1"));
        // The redeploy offered for the changed environment: not now.
        await().atMost(Duration.ofSeconds(10)).until(() -> ConsoleFixture.present(robot, "#confirm-dialog"));
        robot.clickOn(onFx(() -> robot.lookup("#confirm-dialog .button").queryAllAs(Button.class).stream()
                .filter(b -> "Cancel".equals(b.getText())).findFirst().orElseThrow()));
    }

    private void openConfiguration() {
        console.showDetailTab(robot, id, name, "configurationTab");
        await().atMost(Duration.ofSeconds(10)).until(() -> ConsoleFixture.present(robot, "#configEnv"));
    }

    private String text(String query) {
        return ConsoleFixture.text(robot, query);
    }
}
