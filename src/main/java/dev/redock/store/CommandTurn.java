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
    private static final Logger LOG = LoggerFactory.getLogger(CommandTurn.class);
    /** How long a process waits for the lock in the mode it needs. */
    static final Duration WAIT = Duration.ofSeconds(10);
    /** The byte of the file whose lock is the turn. */
    private static final long TURN = 0;
    /** The byte of the file that windows and agents lock, shared, for as long as they run ({@link #markResident}). */
    private static final long RESIDENT = 1;
    /**
     * This process's channel on each folder's lock file, and the locks it holds through it: one channel per file, as
     * closing any channel on a file lets go of all the locks the process holds on it.
     */
    private static final Map<Path, LockFile> FILES = new HashMap<>();

    private final Path folder;

    private CommandTurn(Path folder) {
        this.folder = folder;
    }

    /** This process's channel on a folder's lock file (null where the file system has no locks) and its locks on it. */
    private static final class LockFile {
        final FileChannel channel;
        FileLock turn;
        boolean alone;
        int turnHolders;
        FileLock resident;
        int residentHolders;

        LockFile(FileChannel channel) {
            this.channel = channel;
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
        Boolean taken;
        try {
            taken = Waiting.until(System.nanoTime() + WAIT.toNanos(),
                    () -> say.accept("waiting for " + holder(folder, others) + until + folder + " (at most "
                            + WAIT.toSeconds() + " s)"),
                    () -> tryTake(folder, alone) ? Boolean.TRUE : null);
        } catch (IOException e) {
            throw new IllegalStateException("cannot happen: tryTake says so without throwing", e);
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
     * Takes the turn (alone or shared), naming this process in the file; false while another process holds it in a mode
     * that keeps this one out. Where the file system has no locks, the process goes ahead at once.
     */
    private static boolean tryTake(Path folder, boolean alone) {
        synchronized (FILES) {
            LockFile file = FILES.computeIfAbsent(folder, CommandTurn::open);
            if (file.turnHolders > 0 || file.channel == null) {
                file.turnHolders++;
                return true;
            }
            try {
                file.turn = file.channel.tryLock(TURN, 1, !alone);
            } catch (IOException | OverlappingFileLockException | UnsupportedOperationException e) {
                LOG.debug("Cannot lock {} in {}: {}; going ahead without it", FILE, folder, e.toString());
                file.turnHolders++;
                return true;
            }
            if (file.turn == null) {
                closeIfUnused(folder, file);
                return false;
            }
            file.alone = alone;
            file.turnHolders = 1;
            try {
                // Commands sharing it each write their own name over the last one's (names are about as long).
                file.channel.truncate(0);
                file.channel.write(ByteBuffer.wrap(name().getBytes(StandardCharsets.UTF_8)), 0);
            } catch (IOException e) {
                LOG.debug("Cannot name this process in {}: {}", FILE, e.toString());
            }
            return true;
        }
    }

    /** The folder's lock file, opened for this process; a channel-less one where it cannot be. */
    private static LockFile open(Path folder) {
        try {
            PrivateFiles.folder(folder);
            return new LockFile(FileChannel.open(folder.resolve(FILE), StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE));
        } catch (IOException | UnsupportedOperationException e) {
            LOG.debug("Cannot open {} in {}: {}; going ahead without its locks", FILE, folder, e.toString());
            return new LockFile(null);
        }
    }

    /** Closes the channel once this process holds no lock through it (which keeps the file itself). */
    private static void closeIfUnused(Path folder, LockFile file) {
        if (file.turnHolders == 0 && file.residentHolders == 0) {
            FILES.remove(folder);
            OpeningLock.closeQuietly(file.channel, FILE);
        }
    }

    private static String name() {
        return "process " + ProcessHandle.current().pid() + "\n";
    }

    /** Who holds the lock, as its lock file's first line says, or {@code others} in general terms. */
    private static String holder(Path folder, String others) {
        String named = read(folder).lines().findFirst().orElse("").strip();
        return named.isEmpty() ? others : others + " (" + named + ")";
    }

    /** What the lock file says, through this process's channel on it if it has one (closing another would free its locks). */
    private static String read(Path folder) {
        try {
            synchronized (FILES) {
                LockFile file = FILES.get(folder);
                if (file != null && file.channel != null) {
                    ByteBuffer bytes = ByteBuffer.allocate(256);
                    file.channel.read(bytes, 0);
                    return new String(bytes.array(), 0, bytes.position(), StandardCharsets.UTF_8);
                }
            }
            return Files.readString(folder.resolve(FILE), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return ""; // gone meanwhile: said in general terms
        }
    }

    /**
     * Marks, until it is closed, that a window or an agent runs on the folder: the database server of a command it uses
     * then need not wait for it ({@link #residentElsewhere}). A shared lock, which the OS frees if the process dies.
     */
    public static Resident markResident(Path dataFolder) {
        Path folder = dataFolder.toAbsolutePath().normalize();
        synchronized (FILES) {
            LockFile file = FILES.computeIfAbsent(folder, CommandTurn::open);
            if (file.residentHolders++ == 0 && file.channel != null) {
                try {
                    // Kept out only for the moment another process looks ({@link #residentElsewhere}).
                    file.resident = Waiting.until(System.nanoTime() + WAIT.toNanos(), () -> { },
                            () -> file.channel.tryLock(RESIDENT, 1, true));
                } catch (IOException | OverlappingFileLockException | UnsupportedOperationException e) {
                    LOG.debug("Cannot lock {} in {}: {}", FILE, folder, e.toString());
                }
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
            synchronized (FILES) {
                LockFile file = FILES.get(folder);
                if (closed || file == null) {
                    return;
                }
                closed = true;
                if (--file.residentHolders == 0) {
                    OpeningLock.closeQuietly(file.resident, FILE);
                    file.resident = null;
                    closeIfUnused(folder, file);
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
        synchronized (FILES) {
            LockFile file = FILES.computeIfAbsent(folder, CommandTurn::open);
            try {
                if (file.residentHolders > 0 || file.channel == null) {
                    return false;
                }
                FileLock probe = file.channel.tryLock(RESIDENT, 1, false);
                OpeningLock.closeQuietly(probe, FILE);
                return probe == null;
            } catch (IOException | OverlappingFileLockException | UnsupportedOperationException e) {
                return false;
            } finally {
                closeIfUnused(folder, file);
            }
        }
    }

    /** Gives the turn back once the last of this process's commands on the folder is done. */
    @Override
    public void close() {
        if (folder == null) {
            return;
        }
        synchronized (FILES) {
            LockFile file = FILES.get(folder);
            if (file == null || --file.turnHolders > 0) {
                return;
            }
            if (file.turn != null) {
                try {
                    // The file stays, empty, for the next process; another command that shares it keeps its name there.
                    if (file.alone || name().equals(read(folder))) {
                        file.channel.truncate(0);
                    }
                } catch (IOException e) {
                    LOG.debug("Emptying {} failed: {}", FILE, e.toString());
                }
                OpeningLock.closeQuietly(file.turn, FILE);
                file.turn = null;
            }
            closeIfUnused(folder, file);
        }
    }
}
