package dev.redock.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;

import dev.redock.cli.CliRunner;
import dev.redock.testenv.DockerTest;
import dev.redock.testenv.TestEnv;
import dev.redock.testenv.TestImages;

/**
 * The window and the CLI see the same thing: what the CLI does on the same data folder shows in the open window by itself,
 * and what the window does, the CLI sees at once.
 */
@ExtendWith({DockerTest.class, FxExceptions.class})
class OtherProcessesTest {

    @TempDir
    Path home;

    private final FxRobot robot = new FxRobot();
    private ConsoleFixture console;
    private CliRunner cli;
    private String image;

    @BeforeEach
    void open() {
        String repo = TestEnv.uniqueName("ui/other");
        TestImages.push(TestImages.webImage("one"), repo + ":stable");
        image = TestEnv.registry() + "/" + repo + ":stable";
        console = ConsoleFixture.open(home);
        cli = new CliRunner(home);
    }

    @AfterEach
    void close() {
        console.close();
    }

    private Optional<Boolean> rowSwitchOn(String name) {
        return ConsoleFixture.rowSwitchOn(robot, name);
    }

    @Test
    void aServiceLaunchedAndChangedByTheCliShowsInTheOpenWindowByItself() {
        String name = TestEnv.uniqueName("cli");
        CliRunner.Result run = cli.run("service", "run", "--name", name, "-l", TestEnv.RUN_LABEL + "=" + TestEnv.runId(),
                "--stop-timeout", "1", image);
        assertThat(run.exitCode()).as(run.toString()).isZero();
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> rowSwitchOn(name), on -> on.isPresent());
        assertThat(rowSwitchOn(name)).contains(false);

        assertThat(cli.run("service", "set", "--autoredeploy", name).exitCode()).isZero();
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> rowSwitchOn(name), on -> on.equals(Optional.of(true)));

        // The other way round: the window's switch, then the CLI.
        ConsoleFixture.clickRowSwitch(robot, name);
        // Each try runs the CLI's "service ls" in this process: about a second on a loaded machine.
        // NAME UUID IMAGE ENGINE STATUS AUTOREDEPLOY ...
        await().atMost(Duration.ofSeconds(20)).until(() -> cli.run("service", "ls").out()
                .matches("(?s).*" + name + "\\s+\\S+\\s+\\S+\\s+default\\s+running\\s+off.*"));

        assertThat(cli.run("service", "rm", name).exitCode()).isZero();
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> rowSwitchOn(name), on -> on.isEmpty());
    }

}
