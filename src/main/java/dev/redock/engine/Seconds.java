package dev.redock.engine;

import java.time.Duration;
import java.util.Locale;

/** A duration as the engine's messages to the user say it: {@code 20 s}, {@code 1.5 s}. */
final class Seconds {

    private Seconds() {
    }

    static String of(Duration d) {
        long millis = d.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + " s" : String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }
}
