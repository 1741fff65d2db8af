package dev.redock.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.redock.app.Redock;
import dev.redock.testenv.Redocks;

/** The pause of all autoredeploys, as the scheduler follows it from the data folder and from this process. */
class SchedulerPauseTest {

    @TempDir
    Path home;

    @Test
    void aPauseSetWhileACycleReadsTheStoredOneIsNotUndoneByThatRead() {
        try (Redock redock = Redocks.open(home)) {
            Scheduler scheduler = redock.scheduler(Duration.ofHours(1));
            AtomicInteger reads = new AtomicInteger();
            scheduler.followPause(() -> {
                if (reads.incrementAndGet() == 1) {
                    scheduler.setPaused(true); // the user pauses while the cycle reads what was stored before
                }
                return false;
            });
            scheduler.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> reads.get() == 1);
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(scheduler::isPaused);
        }
    }

    @Test
    void aPauseStoredByAnotherProcessIsFollowedAtTheNextCycle() {
        try (Redock redock = Redocks.open(home); Redock other = Redocks.open(home)) {
            Scheduler scheduler = redock.scheduler(Duration.ofMillis(200));
            scheduler.start();
            assertThat(scheduler.isPaused()).isFalse();
            other.pauseAutoredeploy(true);
            await().atMost(Duration.ofSeconds(10)).until(scheduler::isPaused);
            other.pauseAutoredeploy(false);
            await().atMost(Duration.ofSeconds(10)).until(() -> !scheduler.isPaused());
        }
    }
}
