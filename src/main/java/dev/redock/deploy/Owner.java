package dev.redock.deploy;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Who holds a deployment lock or ran a deployment: {@code pid:start@host#n}, where {@code start} is when the process
 * started (milliseconds since the epoch). The start time tells a process apart from a later one that was given the same pid
 * (an agent in a container is always pid 1), so a lock of this host whose process is gone can be broken at once; a lock of
 * another host is never presumed gone, and waits for its lease to run out.
 */
public final class Owner {

    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final String HOST = hostName();
    private static final long PID = ProcessHandle.current().pid();
    private static final long START = startMillis(ProcessHandle.current()).orElse(0L);

    private Owner() {
    }

    /** A new owner id for this process. */
    public static String next() {
        return PID + ":" + START + "@" + HOST + "#" + COUNTER.incrementAndGet();
    }

    /** Whether the owner is of this very process. */
    public static boolean isThisProcess(String owner) {
        return owner.startsWith(PID + ":" + START + "@" + HOST + "#");
    }

    /**
     * True when the owner's process ran on this host and has ended (or its pid now belongs to a process that started at
     * another time). Owners on other hosts are never presumed gone.
     */
    public static boolean isGone(String owner) {
        int at = owner.indexOf('@');
        int hash = owner.indexOf('#', at + 1);
        if (at <= 0) {
            return true;
        }
        String host = owner.substring(at + 1, hash < 0 ? owner.length() : hash);
        if (!host.equals(HOST)) {
            return false;
        }
        String process = owner.substring(0, at);
        int colon = process.indexOf(':');
        try {
            long pid = Long.parseLong(colon < 0 ? process : process.substring(0, colon));
            Optional<ProcessHandle> handle = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
            if (handle.isEmpty()) {
                return true;
            }
            if (colon < 0) {
                return false;
            }
            long start = Long.parseLong(process.substring(colon + 1));
            return startMillis(handle.get()).map(s -> s != start).orElse(false);
        } catch (NumberFormatException e) {
            return true;
        }
    }

    private static Optional<Long> startMillis(ProcessHandle process) {
        return process.info().startInstant().map(java.time.Instant::toEpochMilli);
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "localhost";
        }
    }
}
