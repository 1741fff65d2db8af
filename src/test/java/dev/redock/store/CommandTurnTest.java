package dev.redock.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The locks on {@code command.lock} as other processes see them (a real other JVM looks): a process holds them all through
 * one channel, since closing any channel on the file would let go of all of them at once.
 */
class CommandTurnTest {

    @TempDir
    Path home;

    @Test
    void aWindowsMarkOutlivesTheTurnItOpenedWith() throws Exception {
        CommandTurn.Resident mark;
        try (CommandTurn turn = CommandTurn.toOpen(home, line -> { })) {
            assertThat(otherProcessSees("turn")).isEqualTo("held");
            mark = CommandTurn.markResident(home);
        }
        assertThat(otherProcessSees("turn")).as("the turn, once the window opened").isEqualTo("free");
        assertThat(otherProcessSees("resident")).as("the window's mark").isEqualTo("held");
        mark.close();
        assertThat(otherProcessSees("resident")).as("once the window closed").isEqualTo("free");
    }

    @Test
    void aCommandKeepsItsTurnWhileItLooksForAWindow() throws Exception {
        try (CommandTurn turn = CommandTurn.forCommand(home, line -> { })) {
            assertThat(CommandTurn.residentElsewhere(home)).isFalse();
            assertThat(otherProcessSees("turn")).as("the command's turn, after it looked").isEqualTo("held");
        }
        assertThat(otherProcessSees("turn")).isEqualTo("free");
    }

    /** What another JVM finds when it tries to lock the byte of {@code command.lock} that is the turn, or the mark. */
    private String otherProcessSees(String which) throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), Probe.class.getName(), home.toString(), which)
                .redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    }

    /** The other JVM: tries the lock alone, says "held" or "free", and lets it go. */
    public static final class Probe {
        public static void main(String[] args) throws IOException {
            long at = args[1].equals("turn") ? 0 : 1;
            try (FileChannel c = FileChannel.open(Path.of(args[0]).resolve(CommandTurn.FILE), StandardOpenOption.CREATE,
                    StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                FileLock lock = c.tryLock(at, 1, false);
                System.out.println(lock == null ? "held" : "free");
            }
        }
    }
}
