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
 * Keeps the window and the agent from opening a data folder's database through the server of a CLI command that runs in a
 * process of its own: an OS lock on {@code command.lock}, which the OS frees if the process dies. Such a command holds it,
 * shared with the other commands, from before it opens the database until after it closes it; the window and the agent
 * take it alone, only while they open the database. The file names a process holding it.
 *
 * <p>H2's {@code AUTO_SERVER} makes the first process that opens the file serve it to the others, and that server goes
 * away with the process. Commands share it safely: the one that serves the database waits, when it closes, for the other
 * commands' sessions on its server to end ({@link Database}), and processes make their first connection one at a time
 * ({@link OpeningLock}); so a command never waits for another to finish. A process that keeps running would, through a
 * command's server, lose the database when the command ended, or keep it from exiting: so the window and the agent wait
 * for the commands working on the folder to finish, for a bounded time, saying so when that is more than a moment; past
 * that (a long deployment, say) they go ahead beside them. While they run, the CLI hands them its commands, and a command
 * in a process of its own shares the database through their server. Threads of one process share its turn (the tests run
 * commands side by side in one JVM).
 */
public final class CommandTurn implements AutoCloseable {

    static final String FILE = "command.lock";
    private static final Logger LOG = LoggerFactory.getLogger(CommandTurn.class);
    /** How long a process waits for the lock in the mode it needs. */
    static final Duration WAIT = Duration.ofSeconds(10);
    /** The turns this process holds, by folder, with how many of its threads hold each. */
    private static final Map<Path, Held> HELD = new HashMap<>();

    private final Path folder;

    private CommandTurn(Path folder) {
        this.folder = folder;
    }

    /** An OS lock this process holds on a folder, and how many of its commands hold it. */
    private static final class Held {
        final FileChannel channel;
        final boolean alone;
        int holders = 1;

        Held(FileChannel channel, boolean alone) {
            this.channel = channel;
            this.alone = alone;
        }
    }

    /**
     * Takes the folder's lock for a CLI command, shared with the other commands: it waits only while a window or an agent
     * opens the database, for at most {@link #WAIT}; {@code say} gets one line when that lasts more than a moment.
     */
    public static CommandTurn forCommand(Path dataFolder, Consumer<String> say) {
        return take(dataFolder, false, say);
    }

    /**
     * Takes the folder's lock alone, for a window or an agent about to open the database: it waits for the CLI commands
     * working on the folder to finish, for at most {@link #WAIT}; {@code say} gets one line when that lasts more than a
     * moment. Close it once the database is open.
     */
    public static CommandTurn toOpen(Path dataFolder, Consumer<String> say) {
        return take(dataFolder, true, say);
    }

    /**
     * Returns without the lock past the wait, or where the file system has no locks: the process then shares the database
     * as H2 allows.
     */
    private static CommandTurn take(Path dataFolder, boolean alone, Consumer<String> say) {
        Path folder = dataFolder.toAbsolutePath().normalize();
        String others = alone ? "another redock command" : "Redock's window or agent";
        String until = alone ? " to finish with the data folder " : " to open the data folder ";
        Held taken;
        try {
            taken = Waiting.until(System.nanoTime() + WAIT.toNanos(),
                    () -> say.accept("waiting for " + holder(folder, others) + until + folder + " (at most "
                            + WAIT.toSeconds() + " s)"),
                    () -> {
                        synchronized (HELD) {
                            Held held = HELD.get(folder);
                            if (held != null) {
                                held.holders++;
                                return held;
                            }
                            Held locked = tryLock(folder, alone);
                            if (locked != null) {
                                HELD.put(folder, locked);
                            }
                            return locked;
                        }
                    });
        } catch (IOException e) {
            throw new IllegalStateException("cannot happen: tryLock says so without throwing", e);
        }
        if (taken == null) {
            if (!Thread.currentThread().isInterrupted()) {
                say.accept("went ahead after waiting " + WAIT.toSeconds() + " s for " + holder(folder, others)
                        + "; this process shares the database with it");
            }
            return new CommandTurn(null);
        }
        return new CommandTurn(folder);
    }

    /**
     * The folder's lock file, locked (alone or shared) and naming this process; null while another process holds it in a
     * mode that keeps this one out. Where the file system has no locks, no channel: the process then goes ahead at once.
     */
    private static Held tryLock(Path folder, boolean alone) {
        Path file = folder.resolve(FILE);
        FileChannel channel = null;
        try {
            PrivateFiles.folder(folder);
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock(0, Long.MAX_VALUE, !alone);
            if (lock == null) {
                channel.close();
                return null;
            }
            // Commands sharing it each write their own name over the last one's (names are about as long).
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(name().getBytes(StandardCharsets.UTF_8)), 0);
            return new Held(channel, alone);
        } catch (IOException | OverlappingFileLockException | UnsupportedOperationException e) {
            LOG.debug("Cannot lock {}: {}; going ahead without it", file, e.toString());
            OpeningLock.closeQuietly(channel, FILE);
            return new Held(null, alone);
        }
    }

    private static String name() {
        return "process " + ProcessHandle.current().pid() + "\n";
    }

    /** Who holds the lock, as its lock file's first line says, or {@code others} in general terms. */
    private static String holder(Path folder, String others) {
        try {
            String named = Files.readString(folder.resolve(FILE), StandardCharsets.UTF_8).lines().findFirst().orElse("")
                    .strip();
            if (!named.isEmpty()) {
                return others + " (" + named + ")";
            }
        } catch (IOException e) {
            // Gone meanwhile: said in general terms below.
        }
        return others;
    }

    /** Gives the lock back once the last of this process's commands on the folder is done. */
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
                // The file stays, empty, for the next process; another command that shares it keeps its name there.
                if (held.alone || name().equals(Files.readString(folder.resolve(FILE), StandardCharsets.UTF_8))) {
                    held.channel.truncate(0);
                }
            } catch (IOException e) {
                LOG.debug("Emptying {} failed: {}", FILE, e.toString());
            }
            OpeningLock.closeQuietly(held.channel, FILE);
        }
    }
}
