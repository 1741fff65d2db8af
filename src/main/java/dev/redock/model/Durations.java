package dev.redock.model;

import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as people type them: {@code 90s}, {@code 5m}, {@code 1h}, {@code 1m30s}, {@code 500ms}, or plain seconds. */
public final class Durations {

    private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h)");
    private static final Duration MIN = Duration.ofSeconds(1);
    private static final Duration MAX = Duration.ofDays(1);

    private Durations() {
    }

    /** An interval as typed: from 1s to 24h. */
    public static Duration parse(String text) {
        Duration total = amount(text, "interval");
        if (total.compareTo(MIN) < 0 || total.compareTo(MAX) > 0) {
            throw new ValidationException("interval", "duration \"" + text + "\" must be between 1s and 24h");
        }
        return total;
    }

    /**
     * The duration an environment variable sets, as {@link #parse} reads it (from 1s to 24h), or the fallback when it is
     * not set; a refusal names the variable. Redock's waits that slow machines and tests may need to change are read
     * this way ({@code REDOCK_READY_TIMEOUT}, ...).
     */
    public static Duration fromEnvironment(Map<String, String> env, String name, Duration fallback) {
        String v = env == null ? null : env.get(name);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        try {
            return parse(v);
        } catch (ValidationException e) {
            throw new ValidationException(name, name + ": " + e.getMessage());
        }
    }

    /**
     * Any duration as typed, zero included, for the caller to bound.
     *
     * @param field the field a refusal names
     */
    public static Duration amount(String text, String field) {
        if (text == null || text.isBlank()) {
            throw new ValidationException(field, "duration is empty (e.g. 60s, 5m)");
        }
        try {
            return sum(text, text.strip().toLowerCase(java.util.Locale.ROOT), field);
        } catch (NumberFormatException | ArithmeticException tooLong) {
            throw new ValidationException(field, "invalid duration \"" + text + "\" (e.g. 30s, 5m, 1h)");
        }
    }

    private static Duration sum(String text, String s, String field) {
        if (s.matches("\\d+")) {
            return Duration.ofSeconds(Long.parseLong(s));
        }
        Matcher m = PART.matcher(s);
        Duration total = Duration.ZERO;
        int end = 0;
        while (m.find()) {
            if (m.start() != end) {
                break;
            }
            long n = Long.parseLong(m.group(1));
            total = total.plus(switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
            });
            end = m.end();
        }
        if (end != s.length() || end == 0) {
            throw new ValidationException(field, "invalid duration \"" + text + "\" (e.g. 30s, 5m, 1h)");
        }
        return total;
    }

    /** As the user would type it, and as {@link #parse} reads it: {@code 90s}, {@code 5m}, {@code 500ms}. */
    public static String format(Duration d) {
        return inLargestUnit(d, "ms", "s", "m", "h");
    }

    /** For a sentence shown to the user: {@code 15 s}, {@code 30 min}, {@code 500 ms}. */
    public static String spoken(Duration d) {
        return inLargestUnit(d, " ms", " s", " min", " h");
    }

    private static String inLargestUnit(Duration d, String millis, String seconds, String minutes, String hours) {
        if (d.toMillis() % 1000 != 0) {
            return d.toMillis() + millis;
        }
        long s = d.toSeconds();
        if (s != 0 && s % 3600 == 0) {
            return s / 3600 + hours;
        }
        if (s != 0 && s % 60 == 0) {
            return s / 60 + minutes;
        }
        return s + seconds;
    }
}
