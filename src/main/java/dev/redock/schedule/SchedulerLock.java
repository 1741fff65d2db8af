package dev.redock.schedule;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One scheduler per data folder: an OS file lock on {@code scheduler.lock}, released by the OS when the process ends,
 * so a crash never leaves it stuck.
 */
public final class SchedulerLock implements AutoCloseable {

    private final FileChannel channel;
    private final FileLock lock;

    private SchedulerLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock, or says who holds it.
     *
     * @throws AlreadyRunningException when another scheduler runs on this data folder
     */
    public static SchedulerLock acquire(Path dataFolder) throws IOException {
        Files.createDirectories(dataFolder);
        Path file = dataFolder.resolve("scheduler.lock");
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            String holder = new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.UTF_8).strip();
            channel.close();
            throw new AlreadyRunningException("a scheduler already runs on " + dataFolder
                    + (holder.isEmpty() ? "" : " (" + holder + ")") + "; only one may run per data folder");
        }
        channel.truncate(0);
        channel.write(java.nio.ByteBuffer.wrap(("pid " + ProcessHandle.current().pid()).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        channel.force(false);
        return new SchedulerLock(channel, lock);
    }

    @Override
    public void close() throws IOException {
        lock.release();
        channel.close();
    }

    /** Another scheduler holds the data folder. */
    public static final class AlreadyRunningException extends IOException {
        public AlreadyRunningException(String message) {
            super(message);
        }
    }
}
