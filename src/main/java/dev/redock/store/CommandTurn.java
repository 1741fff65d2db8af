package dev.redock.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
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
 * commands' sessions on its server to end ({@link Database#close}), and processes make their first connection one at a
 * time ({@link OpeningLock}); so a command never waits for another to finish. A process that keeps running would, through
 * a command's server, keep the command from exiting: so the window and the agent wait for the commands working on the
 * folder to finish, for a bounded time, saying so when that is more than a moment. Past that (a long deployment, say) they
 * go ahead beside them; they mark that they run ({@link #markResident}, a shared lock on another byte of the file), and a
 * command whose server they use does not wait for them: when it exits, H2 connects their sessions again, to the file
 * itself. While they run, the CLI hands them its commands, and a command in a process of its own shares the database
 * through their server. Threads of one process share its locks (the tests run commands side by side in one JVM).
 */
public final class CommandTurn implements AutoCloseable {

    static final String FILE = "command.lock";
    /** The byte of the file whose lock is the turn. */
    private static final long TURN = 0;
    /** The byte of the file that windows and agents lock, shared, for as long as they run ({@link #markResident}). */
    private static final long RESIDENT = 1;
    private static final Logger LOG = LoggerFactory.getLogger(CommandTurn.class);
    /** How long a process waits for the lock in the mode it needs. */
    static final Duration WAIT = Duration.ofSeconds(10);
    /** The turns this process holds, by folder, with how many of its threads hold each. */
    private static final Map<Path, Held> HELD = new HashMap<>();
    /** The folders this process runs on as a window or an agent, with how many of its cores do. */
    private static final Map<Path, Held> RESIDENTS = new HashMap<>();

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
        FileChannel channel;
        try {
            PrivateFiles.folder(folder);
            channel = lockedAt(folder, TURN, alone);
        } catch (IOException | OverlappingFileLockException | UnsupportedOperationException e) {
            LOG.debug("Cannot lock {} in {}: {}; going ahead without it", FILE, folder, e.toString());
            return new Held(null, alone);
        }
        if (channel == null) {
            return null;
        }
        try {
            // Commands sharing it each write their own name over the last one's (names are about as long).
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(name().getBytes(StandardCharsets.UTF_8)), 0);
        } catch (IOException e) {
            LOG.debug("Cannot name this process in {}: {}", FILE, e.toString());
        }
        return new Held(channel, alone);
    }

    /**
     * A channel on the folder's lock file with a lock on one byte of it, alone or shared; null while another process keeps
     * it out. Throws where the file system has no locks.
     */
    private static FileChannel lockedAt(Path folder, long at, boolean alone) throws IOException {
        FileChannel channel = FileChannel.open(folder.resolve(FILE), StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        try {
            if (channel.tryLock(at, 1, !alone) != null) {
                return channel;
            }
        } catch (IOException | RuntimeException e) {
            OpeningLock.closeQuietly(channel, FILE);
            throw e;
        }
        OpeningLock.closeQuietly(channel, FILE);
        return null;
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

    /**
     * Marks, until it is closed, that a window or an agent runs on the folder: the database server of a command it uses
     * then need not wait for it ({@link #residentElsewhere}). A shared lock, which the OS frees if the process dies.
     */
    public static Resident markResident(Path dataFolder) {
        Path folder = dataFolder.toAbsolutePath().normalize();
        synchronized (RESIDENTS) {
            Held held = RESIDENTS.get(folder);
            if (held != null) {
                held.holders++;
            } else {
                FileChannel channel = null;
                try {
                    // Kept out only for the moment another process looks ({@link #residentElsewhere}).
                    channel = Waiting.until(System.nanoTime() + WAIT.toNanos(), () -> { },
                            () -> lockedAt(folder, RESIDENT, false));
                } catch (IOException | OverlappingFileLockException | UnsupportedOperationException e) {
                    LOG.debug("Cannot lock {} in {}: {}", FILE, folder, e.toString());
                }
                RESIDENTS.put(folder, new Held(channel, false));
            }
        }
        return new Resident(folder);
    }

    /** The mark that a window or an agent runs on a folder ({@link #markResident}): closing it lets it go. */
    public static final class Resident implements AutoCloseable {
        private final Path folder;
        private boolean closed;

        private Resident(Path folder) {
            this.folder = folder;
        }

        @Override
        public void close() {
            synchronized (RESIDENTS) {
                if (closed) {
                    return;
                }
                closed = true;
                Held held = RESIDENTS.get(folder);
                if (held != null && --held.holders == 0) {
                    RESIDENTS.remove(folder);
                    OpeningLock.closeQuietly(held.channel, FILE);
                }
            }
        }
    }

    /**
     * Whether a window or an agent runs on the folder in another process ({@link #markResident}). Not known (false) in a
     * process that runs as one itself, or where the file system has no locks.
     */
    static boolean residentElsewhere(Path dataFolder) {
        Path folder = dataFolder.toAbsolutePath().normalize();
        synchronized (RESIDENTS) {
            if (RESIDENTS.containsKey(folder)) {
                return false;
            }
            try {
                FileChannel probe = lockedAt(folder, RESIDENT, true);
                OpeningLock.closeQuietly(probe, FILE);
                return probe == null;
            } catch (IOException | OverlappingFileLockException | UnsupportedOperationException e) {
                return false;
            }
        }
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
