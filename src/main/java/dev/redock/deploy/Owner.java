package dev.redock.deploy;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Who holds a deployment lock: {@code pid@host#n}. A lock whose process is gone from this host can be broken.
 */
public final class Owner {

    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final String HOST = hostName();

    private Owner() {
    }

    /** A new owner id for this process. */
    public static String next() {
        return ProcessHandle.current().pid() + "@" + HOST + "#" + COUNTER.incrementAndGet();
    }

    /** True when the owner's process ran on this host and has ended. Owners on other hosts are never presumed gone. */
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
        try {
            long pid = Long.parseLong(owner.substring(0, at));
            return ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true);
        } catch (NumberFormatException e) {
            return true;
        }
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "localhost";
        }
    }
}
