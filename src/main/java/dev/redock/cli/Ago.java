package dev.redock.cli;

import java.time.Duration;

/** "3 minutes ago", as lists show times. */
public final class Ago {

    private Ago() {
    }

    public static String format(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s < 60) {
            return s + " seconds ago";
        }
        if (s < 3600) {
            return plural(s / 60, "minute") + " ago";
        }
        if (s < 86400) {
            return plural(s / 3600, "hour") + " ago";
        }
        return plural(s / 86400, "day") + " ago";
    }

    private static String plural(long n, String unit) {
        return n + " " + unit + (n == 1 ? "" : "s");
    }
}
