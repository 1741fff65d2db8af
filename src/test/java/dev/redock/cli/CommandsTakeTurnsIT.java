package dev.redock.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.redock.model.Labels;
import dev.redock.store.CommandTurn;
import dev.redock.testenv.RedockProcess;
import dev.redock.testenv.TestEnv;
import dev.redock.testenv.TestImages;

/**
 * CLI commands in processes of their own, with no window or agent running, on one data folder: they share the database
 * through the server of the one that opened it first, and that one does not take its server away, when it ends, from the
 * others still using it; a window or an agent opening the folder keeps them waiting only while it opens it.
 */
class CommandsTakeTurnsIT {

    private static final Pattern WAITS_FOR_OTHERS =
            Pattern.compile("redock: waiting for another redock command to finish with the database, .*");

    @TempDir
    Path root;
    private final String label = TestEnv.RUN_LABEL + "=" + TestEnv.runId();
    private final String first = TestEnv.uniqueName("turn-a");
    private final String second = TestEnv.uniqueName("turn-b");

    @AfterEach
    void stopProcesses() {
        RedockProcess.killAll();
        var docker = TestEnv.docker();
        for (String name : new String[] {first, second}) {
            for (var c : docker.listContainersCmd().withShowAll(true).withLabelFilter(Map.of(Labels.SERVICE_NAME, name)).exec()) {
                docker.removeContainerCmd(c.getId()).withForce(true).withRemoveVolumes(true).exec();
            }
        }
    }

    @Test
    void twoCommandsStartedTogetherBothSucceed() throws Exception {
        // Each round on a data folder of its own, made by the two commands themselves. Before the command serving the
        // database waited for the other, one pair in three or so failed with "Connection is broken", "Database is already
        // closed" or "Lock file recently modified" when the first ended while the second used its database server.
        for (int round = 1; round <= 5; round++) {
            Path home = Files.createDirectory(root.resolve("home-" + round));
            RedockProcess.Launcher redock = RedockProcess.launcher(home, TestEnv.dockerHost());
            RedockProcess ls = redock.start("service", "ls");
            RedockProcess pause = redock.start("settings", "pause");
            RedockProcess.Exit lsExit = ls.awaitExit(Duration.ofSeconds(120));
            RedockProcess.Exit pauseExit = pause.awaitExit(Duration.ofSeconds(120));
            assertThat(lsExit.code()).as("round %d, service ls: %s", round, ls.output()).isZero();
            assertThat(pauseExit.code()).as("round %d, settings pause: %s", round, pause.output()).isZero();
            assertThat(ls.stdout()).as("round %d", round).startsWith("NAME");
            assertThat(ls.stderr() + pause.stderr()).as("round %d", round).doesNotContain("went ahead", "stopped waiting");
        }
    }

    @Test
    void aShortCommandBesideLongOnesGoesAheadAndTheOneServingTheDatabaseExitsOnlyAfterTheOthers() throws Exception {
        Path home = Files.createDirectory(root.resolve("home"));
        Path gateA = closedGate("gate-a");
        Path gateB = closedGate("gate-b");
        String image = gatedImage();
        RedockProcess.Launcher redock = gatedDeployments(home);

        // The first opens the database (nobody else has it) and serves it; its deployment waits for its gate.
        RedockProcess serving = redock.start("service", "run", "--name", first, "-l", label, "--stop-timeout", "1", "-v",
                gateA + ":/gate", image);
        awaitContainerOf(first, serving);
        // The second uses the database through the first one's server; its deployment waits for its own gate.
        RedockProcess using = redock.start("service", "run", "--name", second, "-l", label, "--stop-timeout", "1", "-v",
                gateB + ":/gate", image);
        awaitContainerOf(second, using);

        RedockProcess.Result ls = redock.run("service", "ls");
        assertThat(ls.exit()).as("service ls beside them: %s", ls).isZero();
        assertThat(ls.out()).startsWith("NAME");
        assertThat(ls.err()).as("it waits for neither").doesNotContain("waiting", "went ahead");

        // The first's deployment ends and it prints its result; it then waits for the second, still deploying.
        Files.delete(gateA.resolve("hold"));
        serving.awaitLine(WAITS_FOR_OTHERS, Duration.ofSeconds(120));
        assertThat(serving.alive()).as("it waits for the other: %s", serving.output()).isTrue();
        assertThat(serving.stderr()).as("its output came first").contains("Launched " + first);

        Files.delete(gateB.resolve("hold"));
        RedockProcess.Exit usingExit = using.awaitExit(Duration.ofSeconds(120));
        RedockProcess.Exit servingExit = serving.awaitExit(Duration.ofSeconds(60));
        assertThat(usingExit.code()).as(using.output()).isZero();
        assertThat(servingExit.code()).as(serving.output()).isZero();
        assertThat(serving.stderr()).doesNotContain("stopped waiting");
        // "Launched" is the last line the command writes, on stderr, after the service's id on stdout.
        RedockProcess.Line usingsLast = using.lastLine(true);
        assertThat(usingsLast.text()).startsWith("Launched " + second);
        assertThat(serving.endedAt()).as("the first exits after the second printed its result").isAfter(usingsLast.at());
        assertThat(redock.cli("service", "ls")).contains(first, second);
    }

    @Test
    void aCommandServingTheDatabaseToAnAgentThatWentAheadDoesNotWaitForItAtExit() throws Exception {
        Path home = Files.createDirectory(root.resolve("home"));
        Path gate = closedGate("gate");
        RedockProcess.Launcher redock = gatedDeployments(home);
        RedockProcess command = redock.start("service", "run", "--name", first, "-l", label, "--stop-timeout", "1", "-v",
                gate + ":/gate", gatedImage());
        awaitContainerOf(first, command);
        // The agent waits for the command (10 s), then goes ahead through the command's database server.
        RedockProcess agent = redock.start("agent", "--interval", "1h", "--api-port", "0");
        agent.awaitLine(Pattern.compile("^API on http"), Duration.ofSeconds(120));

        Files.delete(gate.resolve("hold"));
        RedockProcess.Exit exit = command.awaitExit(Duration.ofSeconds(120));
        assertThat(exit.code()).as(command.output()).isZero();
        assertThat(command.stderr()).as("it does not wait for the agent").doesNotContain("waiting for another redock command");
        // The agent goes on with the database of its own: the CLI hands it a command, which reads it.
        RedockProcess.Result ls = redock.run("service", "ls");
        assertThat(ls.exit()).as(ls.toString()).isZero();
        assertThat(ls.out()).contains(first);
        assertThat(agent.alive()).as(agent.output()).isTrue();
    }

    @Test
    void anAgentStoppedWhileACommandUsesItsDatabaseServerExitsOnlyAfterIt() throws Exception {
        Path home = Files.createDirectory(root.resolve("home"));
        Path gate = closedGate("gate");
        RedockProcess.Launcher redock = gatedDeployments(home);
        // Without an API to hand it commands to, the CLI runs them in processes of their own, through its database server.
        RedockProcess agent = redock.start("agent", "--interval", "1h", "--no-api");
        agent.awaitLine(Pattern.compile("polling every"), Duration.ofSeconds(120));
        RedockProcess command = redock.start("service", "run", "--name", first, "-l", label, "--stop-timeout", "1", "-v",
                gate + ":/gate", gatedImage());
        awaitContainerOf(first, command);

        agent.sigterm();
        Path log = home.resolve("logs").resolve("redock.log");
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.readString(log, StandardCharsets.UTF_8)
                .contains("waiting for another redock command to finish with the database"));
        assertThat(agent.alive()).as("it waits for the command: %s", agent.output()).isTrue();

        Files.delete(gate.resolve("hold"));
        RedockProcess.Exit exit = command.awaitExit(Duration.ofSeconds(120));
        assertThat(exit.code()).as(command.output()).isZero();
        agent.awaitExit(Duration.ofSeconds(60));
        RedockProcess.Line commandsLast = command.lastLine(true);
        assertThat(commandsLast.text()).startsWith("Launched " + first);
        assertThat(agent.endedAt()).as("the agent exits after the command printed its result").isAfter(commandsLast.at());
        assertThat(Files.readString(log, StandardCharsets.UTF_8)).doesNotContain("stopped waiting");
    }

    @Test
    void aCommandWaitsForAWindowOrAgentOpeningTheFolderAndSaysSo() throws Exception {
        Path home = Files.createDirectory(root.resolve("home"));
        RedockProcess.Launcher redock = RedockProcess.launcher(home, TestEnv.dockerHost());
        redock.cli("service", "ls");
        RedockProcess ls;
        // This JVM holds the folder's lock alone, as a window opening the database would.
        try (CommandTurn held = CommandTurn.toOpen(home, line -> { })) {
            ls = redock.start("service", "ls");
            ls.awaitLine(Pattern.compile("redock: waiting for Redock's window or agent \\(process "
                    + ProcessHandle.current().pid() + "\\) to open the data folder .*"), Duration.ofSeconds(60));
            assertThat(ls.alive()).as("it waits: %s", ls.output()).isTrue();
        }
        RedockProcess.Exit exit = ls.awaitExit(Duration.ofSeconds(60));
        assertThat(exit.code()).as(ls.output()).isZero();
        assertThat(ls.stdout()).startsWith("NAME");
        assertThat(ls.stderr()).as("it had its turn").doesNotContain("went ahead");
    }

    @Test
    void aCommandDoesNotWaitForAnotherCommand() throws Exception {
        Path home = Files.createDirectory(root.resolve("home"));
        RedockProcess.Launcher redock = RedockProcess.launcher(home, TestEnv.dockerHost());
        // This JVM holds the folder's lock shared, as a long command would.
        try (CommandTurn held = CommandTurn.forCommand(home, line -> { })) {
            RedockProcess.Result ls = redock.run("service", "ls");
            assertThat(ls.exit()).as(ls.toString()).isZero();
            assertThat(ls.err()).as("it goes ahead at once").doesNotContain("waiting", "went ahead");
        }
    }

    /** An image in the test registry whose containers are ready only once the test lets them ({@link TestImages#gatedWebImage}). */
    private static String gatedImage() {
        String repo = TestEnv.uniqueName("turns/gated");
        TestImages.push(TestImages.gatedWebImage("turns"), repo + ":stable");
        return TestEnv.registry() + "/" + repo + ":stable";
    }

    /** A gate for a gated container ({@code -v GATE:/gate}): closed, it keeps the container from being ready. */
    private Path closedGate(String name) throws java.io.IOException {
        Path gate = Files.createDirectory(root.resolve(name));
        Files.createFile(gate.resolve("hold"));
        return gate;
    }

    /** Processes whose deployments take as long as their containers' gates keep them waiting. */
    private static RedockProcess.Launcher gatedDeployments(Path home) {
        return RedockProcess.launcher(home, TestEnv.dockerHost())
                .env("REDOCK_MIN_UPTIME", "0s")
                .env("REDOCK_READY_TIMEOUT", "300s");
    }

    /** Waits until the service's container exists: its command opened the database and is deploying. */
    private static void awaitContainerOf(String service, RedockProcess command) {
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            assertThat(command.alive()).as("%s is still deploying: %s", service, command.output()).isTrue();
            assertThat(TestEnv.docker().listContainersCmd().withShowAll(true)
                    .withLabelFilter(Map.of(Labels.SERVICE_NAME, service)).exec()).as(service).isNotEmpty();
        });
    }
}
