package dev.redock.ui.tray;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.redock.testenv.MutableClock;

class BalloonClicksTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-22T10:00:00Z"));
    private final BalloonClicks clicks = new BalloonClicks(clock);

    @Test
    void aClickWhileTheBalloonAboutAServiceIsShownOpensThatServiceOnce() {
        UUID web = UUID.randomUUID();
        clicks.shown(new Notification(Notification.Level.ERROR, web, "web failed", "pull failed"));
        clock.advance(Duration.ofSeconds(3));

        assertThat(clicks.clicked()).contains(web);
        assertThat(clicks.clicked()).as("the next click is on the icon").isEmpty();
    }

    @Test
    void aClickAfterTheBalloonIsGoneOrOnANoticeAboutRedockOpensTheWindow() {
        assertThat(clicks.clicked()).as("nothing shown yet").isEmpty();

        clicks.shown(new Notification(Notification.Level.INFO, UUID.randomUUID(), "web redeployed", ""));
        clock.advance(BalloonClicks.SHOWN_FOR);
        assertThat(clicks.clicked()).isEmpty();

        clicks.shown(Notification.info("Redock keeps running", "in the tray"));
        assertThat(clicks.clicked()).isEmpty();
    }

    @Test
    void theLatestBalloonIsTheOneClicked() {
        UUID first = UUID.randomUUID();
        UUID second = UUID.randomUUID();
        clicks.shown(new Notification(Notification.Level.INFO, first, "a redeployed", ""));
        clicks.shown(new Notification(Notification.Level.WARNING, second, "b rolled back", ""));

        assertThat(clicks.clicked()).contains(second);
    }
}
