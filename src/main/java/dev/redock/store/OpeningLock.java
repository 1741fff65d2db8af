package dev.redock.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets one process at a time make its first connection to the database of a data folder, or close the database it serves:
 * an OS lock on {@code db-open.lock}, which the OS frees if the process dies. H2 takes and lets go of its own lock file each
 * time a connection opens a database nobody serves yet (a password refused, the empty one tried, a password set), and
 * again when the process serving it closes it; processes doing that at the same moment trip over each other's lock files.
 * Once the first has its connection, it serves the database and the next ones connect to it. Threads of one process take
 * turns too (the OS lock is the process's).
 */
final class OpeningLock implements AutoCloseable {

    static final String FILE = "db-open.lock";
    private static final Logger LOG = LoggerFactory.getLogger(OpeningLock.class);
    private static final Object IN_THIS_PROCESS = new Object();

    private final FileChannel channel;
    /** Whether this process has the lock (it goes ahead without it past the deadline, or where there are no locks). */
    private final boolean held;

    private OpeningLock(FileChannel channel, boolean held) {
        this.channel = channel;
        this.held = held;
    }

    /**
     * Runs {@code closing} holding the lock. Waits for another process until the deadline, then runs it anyway (H2's own
     * locking still applies); where the file system has no locks, runs it at once.
     */
    static void holding(Path folder, long deadline, Runnable closing) {
        holding(folder, deadline, held -> closing.run());
    }

    /**
     * Runs {@code opening}, a first connection to the database whose files start with {@code base}, holding the lock as
     * {@link #holding} does. With the lock held, it first deletes the lock file that a killed Redock process left beside
     * the database, which H2 would take seconds to see as left behind ({@link H2LockFile}).
     */
    static void opening(Path folder, Path base, long deadline, Runnable opening) {
        holding(folder, deadline, held -> {
            if (held) {
                H2LockFile.removeIfOwnerGone(H2LockFile.of(base));
            }
            opening.run();
        });
    }

    /** Runs {@code work} holding the lock, telling it whether this process really has it. */
    private static void holding(Path folder, long deadline, java.util.function.Consumer<Boolean> work) {
        synchronized (IN_THIS_PROCESS) {
            try (OpeningLock lock = take(folder.resolve(FILE), deadline)) {
                work.accept(lock.held);
            }
        }
    }

    private static OpeningLock take(Path file, long deadline) {
        FileChannel channel = null;
        boolean held = false;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileChannel locking = channel;
            held = Waiting.until(deadline, () -> { }, locking::tryLock) != null;
            if (!held) {
                LOG.debug("Another process holds {} longer than expected; going ahead without it", file);
            }
        } catch (IOException | OverlappingFileLockException e) {
            LOG.debug("Cannot lock {}: {}; going ahead without it", file, e.toString());
        }
        return new OpeningLock(channel, held);
    }

    /** Closing the channel frees the lock. */
    @Override
    public void close() {
        closeQuietly(channel, FILE);
    }

    /**
     * Closes a lock file's channel (freeing its locks) or lets one of its locks go, if there is one; a failure is only
     * logged.
     */
    static void closeQuietly(AutoCloseable channelOrLock, String file) {
        if (channelOrLock == null) {
            return;
        }
        try {
            channelOrLock.close();
        } catch (Exception e) {
            LOG.debug("Closing or releasing {} failed: {}", file, e.toString());
        }
    }
}
