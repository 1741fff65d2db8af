package dev.redock.ui.tray;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * What a click on the tray icon means. AWT reports a click on a notification's balloon as the icon's action, the same as a
 * double click on the icon itself, so the two cannot be told apart; a click while the last notification about a service may
 * still be on screen is taken as a click on it and opens that service, any other opens the window. Not thread-safe: the
 * tray uses it on the AWT event thread only.
 */
final class BalloonClicks {

    /** How long a desktop shows a balloon, at most: GNOME, KDE and Windows all hide it sooner. */
    static final Duration SHOWN_FOR = Duration.ofSeconds(10);

    private final Clock clock;
    private UUID service;
    private Instant shownAt;

    BalloonClicks(Clock clock) {
        this.clock = clock;
    }

    /** A balloon was shown for {@code n}. */
    void shown(Notification n) {
        service = n.serviceId();
        shownAt = clock.instant();
    }

    /** The service a click now is about, or empty for the window; a balloon answers one click. */
    Optional<UUID> clicked() {
        UUID target = service;
        boolean onScreen = target != null && clock.instant().isBefore(shownAt.plus(SHOWN_FOR));
        service = null;
        return onScreen ? Optional.of(target) : Optional.empty();
    }
}
