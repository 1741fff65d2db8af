package dev.redock.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets the CLI commands that run in processes of their own take turns on a data folder: an OS lock on
 * {@code command.lock}, held from before the command opens the database until after it closes it, which the OS frees if
 * the process dies. The file names the process holding it.
 *
 * <p>Without it, the second of two commands started together connected to the database through the first one's server
 * (H2's {@code AUTO_SERVER}), and when the first ended it took that server with it, in the middle of the second one's work:
 * the second failed ("Database is already closed", "Lock file recently modified"). A command waits for the one before it
 * for a bounded time, saying so when that is more than a moment; past that (a long deployment, say) it goes ahead beside
 * it, sharing the database through its server as before. The window and the agent take the turn only while they open the
 * database, so that they never depend on a command's server; while they run, the CLI hands them its commands, and a
 * command in a process of its own shares the database through theirs. Threads of one process share its turn (the tests run commands side by side in one JVM).
 */
public final class CommandTurn implements AutoCloseable {

    static final String FILE = "command.lock";
    private static final Logger LOG = LoggerFactory.getLogger(CommandTurn.class);
    /** How long a command waits for the one before it. */
    static final Duration WAIT = Duration.ofSeconds(10);
    /** How long it waits before it says so. */
    static final Duration QUIET = Duration.ofSeconds(1);
    private static final Duration RETRY = Duration.ofMillis(20);
    /** The turns this process holds, by folder, with how many of its threads hold each. */
    private static final Map<Path, Held> HELD = new HashMap<>();

    private final Path folder;

    private CommandTurn(Path folder) {
        this.folder = folder;
    }

    /** An OS lock this process holds on a folder, and how many of its commands hold it. */
    private static final class Held {
        final FileChannel channel;
        int holders = 1;

        Held(FileChannel channel) {
            this.channel = channel;
        }
    }

    /**
     * Takes the folder's turn, waiting for another process that holds it for at most {@link #WAIT}; {@code say} gets one
     * line when the wait lasts longer than {@link #QUIET}. Returns without the turn past that wait, or where the file
     * system has no locks: the command then shares the database as H2 allows.
     */
    public static CommandTurn take(Path dataFolder, Consumer<String> say) {
        Path folder = dataFolder.toAbsolutePath().normalize();
        long start = System.nanoTime();
        boolean said = false;
        while (true) {
            synchronized (HELD) {
                Held held = HELD.get(folder);
                if (held != null) {
                    held.holders++;
                    return new CommandTurn(folder);
                }
                Held taken = tryLock(folder);
                if (taken != null) {
                    HELD.put(folder, taken);
                    return new CommandTurn(folder);
                }
            }
            long waited = System.nanoTime() - start;
            if (waited > WAIT.toNanos()) {
                say.accept("went ahead after waiting " + WAIT.toSeconds() + " s for " + holder(folder)
                        + "; this command shares the database with it");
                return new CommandTurn(null);
            }
            if (!said && waited > QUIET.toNanos()) {
                said = true;
                say.accept("waiting for " + holder(folder) + " to finish with the data folder " + folder + " (at most "
                        + WAIT.toSeconds() + " s)");
            }
            try {
                Thread.sleep(RETRY.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new CommandTurn(null);
            }
        }
    }

    /**
     * The folder's lock file, locked and naming this process; null while another process holds it. Where the file system
     * has no locks, no channel: the command then goes ahead at once.
     */
    private static Held tryLock(Path folder) {
        Path file = folder.resolve(FILE);
        FileChannel channel = null;
        try {
            PrivateFiles.folder(folder);
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                channel.close();
                return null;
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(("process " + ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8)),
                    0);
            return new Held(channel);
        } catch (IOException | OverlappingFileLockException | UnsupportedOperationException e) {
            LOG.debug("Cannot lock {}: {}; the command goes ahead without its turn", file, e.toString());
            OpeningLock.closeQuietly(channel, FILE);
            return new Held(null);
        }
    }

    /** Who holds the turn, as its lock file says. */
    private static String holder(Path folder) {
        try {
            String named = Files.readString(folder.resolve(FILE), StandardCharsets.UTF_8).strip();
            if (!named.isEmpty()) {
                return "another redock command (" + named + ")";
            }
        } catch (IOException e) {
            // Gone meanwhile: said in general terms below.
        }
        return "another redock command";
    }

    /** Gives the turn back once the last of this process's commands on the folder is done. */
    @Override
    public void close() {
        if (folder == null) {
            return;
        }
        synchronized (HELD) {
            Held held = HELD.get(folder);
            if (held == null || --held.holders > 0) {
                return;
            }
            HELD.remove(folder);
            if (held.channel == null) {
                return;
            }
            try {
                // The file stays, empty, for the next command; closing the channel frees the lock.
                held.channel.truncate(0);
            } catch (IOException e) {
                LOG.debug("Emptying {} failed: {}", FILE, e.toString());
            }
            OpeningLock.closeQuietly(held.channel, FILE);
        }
    }
}
