package dev.redock.schedule;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.redock.app.Redock;
import dev.redock.testenv.MutableClock;
import dev.redock.testenv.Redocks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Cycles start at a fixed rate: the next one interval after the previous one started, however long that one took, and at
 * once when it took longer than the interval. The scheduler's clock stands still unless a cycle moves it (as if the cycle
 * took that long): each cycle starts by reading the stored pause, where the test moves it.
 */
class SchedulerRateTest {

    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private static final Duration HOUR = Duration.ofHours(1);

    @TempDir
    Path home;

    @Test
    void theNextCycleStartsOneIntervalAfterThePreviousOneStartedHoweverLongThatOneTook() {
        MutableClock clock = new MutableClock(T0);
        List<Instant> starts = new CopyOnWriteArrayList<>();
        List<Instant> shownWhileRunning = new CopyOnWriteArrayList<>();
        try (Redock redock = Redocks.open(home);
             OwnScheduler own = new OwnScheduler(redock, clock, HOUR, new CheckBudget())) {
            Scheduler scheduler = own.get();
            scheduler.followPause(() -> {
                starts.add(clock.instant());
                shownWhileRunning.add(scheduler.nextPoll());
                if (starts.size() == 1) {
                    clock.advance(HOUR.minusMillis(1)); // the first cycle takes all of its hour but a millisecond
                }
                return false;
            });
            scheduler.start();

            await("the second cycle, a millisecond after the first ends").atMost(Duration.ofSeconds(10))
                    .until(() -> starts.size() >= 2);
            assertThat(starts.get(1)).isEqualTo(T0.plus(HOUR).minusMillis(1));
            assertThat(shownWhileRunning.get(0)).as("the next poll the window shows during the first cycle")
                    .isEqualTo(T0.plus(HOUR));
        }
    }

    @Test
    void aCycleLongerThanTheIntervalIsFollowedByTheNextAsSoonAsItEnds() {
        MutableClock clock = new MutableClock(T0);
        List<Instant> starts = new CopyOnWriteArrayList<>();
        try (Redock redock = Redocks.open(home);
             OwnScheduler own = new OwnScheduler(redock, clock, HOUR, new CheckBudget())) {
            Scheduler scheduler = own.get();
            scheduler.followPause(() -> {
                starts.add(clock.instant());
                if (starts.size() == 1) {
                    clock.advance(HOUR.multipliedBy(3)); // three intervals long
                }
                return false;
            });
            scheduler.start();

            await("the second cycle, at once").atMost(Duration.ofSeconds(10)).until(() -> starts.size() >= 2);
            assertThat(starts.get(1)).as("when the first ended: no cycles to catch up on").isEqualTo(T0.plus(HOUR.multipliedBy(3)));
            await("the second cycle ends, the third is an interval away").atMost(Duration.ofSeconds(10))
                    .until(() -> T0.plus(HOUR.multipliedBy(4)).equals(scheduler.nextPoll()));
            assertThat(starts).hasSize(2);
        }
    }
}
