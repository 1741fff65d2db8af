package dev.redock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.redock.store.CommandTurn;
import dev.redock.testenv.RedockProcess;
import dev.redock.testenv.TestEnv;

/**
 * CLI commands in processes of their own, with no window or agent running, on one data folder: they take turns on it
 * rather than one serving the database to the other and ending in the middle of the other's work.
 */
class CommandsTakeTurnsIT {

    @TempDir
    Path root;

    @AfterEach
    void stopProcesses() {
        RedockProcess.killAll();
    }

    @Test
    void twoCommandsStartedTogetherBothSucceed() throws Exception {
        // Each round on a data folder of its own, made by the two commands themselves. Before commands took turns, one
        // pair in three or so failed with "Connection is broken", "Database is already closed" or "Lock file recently
        // modified" when the first ended while the second used its database server.
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
        }
    }

    @Test
    void aCommandWaitsForTheOneHoldingTheFolderAndSaysSo() throws Exception {
        Path home = Files.createDirectory(root.resolve("home"));
        RedockProcess.Launcher redock = RedockProcess.launcher(home, TestEnv.dockerHost());
        redock.cli("service", "ls");
        RedockProcess ls;
        // This JVM holds the folder's turn, as another command's process would.
        try (CommandTurn held = CommandTurn.take(home, line -> { })) {
            ls = redock.start("service", "ls");
            ls.awaitLine(Pattern.compile("redock: waiting for another redock command \\(process "
                    + ProcessHandle.current().pid() + "\\) to finish with the data folder .*"), Duration.ofSeconds(60));
            assertThat(ls.alive()).as("it waits: %s", ls.output()).isTrue();
        }
        RedockProcess.Exit exit = ls.awaitExit(Duration.ofSeconds(60));
        assertThat(exit.code()).as(ls.output()).isZero();
        assertThat(ls.stdout()).startsWith("NAME");
        assertThat(ls.stderr()).as("it had its turn").doesNotContain("went ahead");
    }
}
