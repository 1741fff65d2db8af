package dev.redock.ui;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

import dev.redock.model.Deployment;
import dev.redock.model.Digests;

/** How the window writes digests, times and durations. */
public final class Format {

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT)
            .withZone(ZoneId.systemDefault());

    private Format() {
    }

    /** The first 12 hex digits, as Docker shows them; "-" for none. */
    public static String digest(String digest) {
        return Digests.shortDigest(digest);
    }

    /** "just now", "5 min ago", "3 h ago", "2 days ago". */
    public static String ago(Instant then, Instant now) {
        if (then == null) {
            return "-";
        }
        long s = Math.max(0, Duration.between(then, now).getSeconds());
        if (s < 45) {
            return "just now";
        }
        if (s < 3600) {
            return Math.max(1, s / 60) + " min ago";
        }
        if (s < 86400) {
            return s / 3600 + " h ago";
        }
        long days = s / 86400;
        return days + (days == 1 ? " day ago" : " days ago");
    }

    public static String timestamp(Instant t) {
        return t == null ? "-" : WHEN.format(t);
    }

    /** "850 ms", "4.2 s", "2 min 5 s"; "-" while under way. */
    public static String duration(Duration d) {
        if (d == null) {
            return "-";
        }
        long ms = d.toMillis();
        if (ms < 1000) {
            return ms + " ms";
        }
        if (ms < 60_000) {
            return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
        }
        return ms / 60_000 + " min " + (ms % 60_000) / 1000 + " s";
    }

    /** "succeeded 5 min ago", for the last deployment column. */
    public static String lastDeployment(Deployment d, Instant now) {
        if (d == null) {
            return "-";
        }
        return d.outcome().label() + " · " + ago(d.ended() != null ? d.ended() : d.started(), now);
    }

    /** "in 42 s", "in 3 min", "now". */
    public static String in(Instant then, Instant now) {
        long s = Duration.between(now, then).getSeconds();
        if (s <= 0) {
            return "now";
        }
        if (s < 120) {
            return "in " + s + " s";
        }
        return "in " + (s + 30) / 60 + " min";
    }
}
