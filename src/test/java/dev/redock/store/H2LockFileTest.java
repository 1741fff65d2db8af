package dev.redock.store;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.redock.store.DataFolderSecurityTest.OtherProcess;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The lock file H2 keeps beside the database, after the process that served the database was killed: the next process to
 * open the database removes it at once, rather than waiting seconds for H2 to judge it left behind, and finds the data as
 * the killed process left it. A lock file whose process still serves the database stays. Real processes, a real SIGKILL,
 * real H2 files.
 */
class H2LockFileTest {

    @TempDir
    Path folder;

    private final Logger logger = (Logger) LoggerFactory.getLogger(H2LockFile.class);
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();

    @BeforeEach
    void captureLog() {
        logged.start();
        logger.addAppender(logged);
    }

    @AfterEach
    void releaseLog() {
        logger.detachAppender(logged);
    }

    private Path lockFile() {
        return H2LockFile.of(folder.resolve("redock"));
    }

    @Test
    void theLockFileOfAKilledProcessIsRemovedWhenTheDatabaseOpensNextAndItsDataIsThere() throws Exception {
        OtherProcess other = OtherProcess.open(folder);
        long pid = other.pid();
        other.kill();
        assertThat(lockFile()).as("the lock file the killed process left").exists();

        try (Database db = Database.open(folder)) {
            assertThat(new SettingsStore(db).get(OtherProcess.SETTING)).contains(Long.toString(pid));
            assertThat(lockFile()).as("this process's own lock file").exists();
        }
        assertThat(logged.list).extracting(ILoggingEvent::getFormattedMessage)
                .anySatisfy(line -> assertThat(line).startsWith("Removed the database's lock file " + lockFile())
                        .contains("stopped without closing the database"));
    }

    @Test
    void theLockFileOfAProcessThatServesTheDatabaseStays() throws Exception {
        try (OtherProcess other = OtherProcess.open(folder)) {
            assertThat(H2LockFile.removeIfOwnerGone(lockFile())).isFalse();
            assertThat(lockFile()).exists();

            // And a process that opens the database meanwhile shares it through the other's server, as before.
            try (Database db = Database.open(folder)) {
                assertThat(new SettingsStore(db).get(OtherProcess.SETTING)).contains(Long.toString(other.pid()));
            }
            assertThat(other.read(OtherProcess.SETTING)).isEqualTo(Long.toString(other.pid()));
        }
        assertThat(logged.list).isEmpty();
    }

    @Test
    void aLockFileThatNamesNoServerOrOneThatAnswersIsLeftToH2() throws Exception {
        Files.writeString(lockFile(), "#FileLock\nmethod=file\nid=written-without-a-server\n");
        assertThat(H2LockFile.removeIfOwnerGone(lockFile())).isFalse();
        assertThat(lockFile()).exists();

        try (ServerSocket listening = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Files.writeString(lockFile(), "#FileLock\nmethod=file\nserver=127.0.0.1\\:" + listening.getLocalPort() + "\n");
            assertThat(H2LockFile.removeIfOwnerGone(lockFile())).isFalse();
            assertThat(lockFile()).exists();
        }
        assertThat(H2LockFile.removeIfOwnerGone(folder.resolve("no-such.lock.db"))).isFalse();
        assertThat(logged.list).isEmpty();
    }
}
