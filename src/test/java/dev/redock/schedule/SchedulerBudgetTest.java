package dev.redock.schedule;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import dev.redock.app.Redock;
import dev.redock.model.RegistryBudget;
import dev.redock.model.Service;
import dev.redock.testenv.DockerTest;
import dev.redock.testenv.FollowedServices;
import dev.redock.testenv.MutableClock;
import dev.redock.testenv.Redocks;
import dev.redock.testenv.TestEnv;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A registry with a budget of checks per hour, here the real test registry given one: when the budget cannot cover every
 * tag at every cycle, the tags are spread over cycles, those checked longest ago first, and none is dropped; and the
 * budget in use is what the status bar shows.
 */
@ExtendWith(DockerTest.class)
class SchedulerBudgetTest {

    @TempDir
    Path home;

    private Redock redock;
    private final List<String> tags = new ArrayList<>();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:30Z"));

    @BeforeEach
    void sixTags() throws Exception {
        redock = Redocks.open(home);
        List<Service> services = FollowedServices.insert(redock, FollowedServices.onTestRegistry("budget/app", "app", 6));
        services.forEach(s -> tags.add(s.image().tagKey()));
    }

    @AfterEach
    void close() {
        redock.close();
    }

    @Test
    void spreadsTheTagsOverCyclesOldestCheckedFirstWhenTheBudgetCannotCoverThemAll() {
        // 12 checks an hour at one cycle every 10 minutes: two tags a cycle.
        CheckBudget budget = new CheckBudget(registry -> registry.equals(TestEnv.registry()) ? 12 : 0);
        try (OwnScheduler own = new OwnScheduler(redock, clock, Duration.ofMinutes(10), budget)) {
            Scheduler scheduler = own.get();
            List<List<String>> checked = new ArrayList<>();
            for (int cycle = 0; cycle < 4; cycle++) {
                Scheduler.CycleReport report = scheduler.pollOnce();
                assertThat(report.checkedTags()).hasSize(2);
                assertThat(report.overBudget()).hasSize(4).doesNotContainAnyElementsOf(report.checkedTags());
                assertThat(report.redeploying()).isEmpty();
                checked.add(report.checkedTags());
                clock.advance(Duration.ofMinutes(10));
            }
            assertThat(checked.subList(0, 3).stream().flatMap(List::stream))
                    .as("every tag in three cycles").containsExactlyInAnyOrderElementsOf(tags);
            assertThat(checked.get(3)).as("then the first two again").containsExactlyInAnyOrderElementsOf(checked.get(0));
            assertThat(scheduler.budgets()).containsExactly(new RegistryBudget(TestEnv.registry(), 8, 12, -1, -1, null));
            assertThat(scheduler.budgets().get(0).describe()).isEqualTo(TestEnv.registry() + ": 8 of 12 checks this hour");
        }
    }

    @Test
    void checksNoMoreInAnHourThanItsBudgetAndGoesOnOnceTheHourHasPassed() {
        // 3 an hour at one cycle an hour: three tags, then none until the hour has passed.
        CheckBudget budget = new CheckBudget(registry -> registry.equals(TestEnv.registry()) ? 3 : 0);
        try (OwnScheduler own = new OwnScheduler(redock, clock, Duration.ofHours(1), budget)) {
            Scheduler scheduler = own.get();
            List<String> first = scheduler.pollOnce().checkedTags();
            assertThat(first).hasSize(3);

            clock.advance(Duration.ofMinutes(30));
            Scheduler.CycleReport spent = scheduler.pollOnce();
            assertThat(spent.checkedTags()).isEmpty();
            assertThat(spent.overBudget()).containsExactlyInAnyOrderElementsOf(tags);
            assertThat(scheduler.budgets()).extracting(RegistryBudget::checksUsed).containsExactly(3);

            clock.advance(Duration.ofMinutes(31));
            assertThat(scheduler.pollOnce().checkedTags()).as("the three not checked yet").hasSize(3)
                    .doesNotContainAnyElementsOf(first);
        }
    }

    @Test
    void aRegistryWithoutABudgetHasEveryTagCheckedAtEveryCycleAndShowsNone() {
        try (OwnScheduler own = new OwnScheduler(redock, clock, Duration.ofSeconds(10), new CheckBudget())) {
            for (int cycle = 0; cycle < 3; cycle++) {
                Scheduler.CycleReport report = own.get().pollOnce();
                assertThat(report.checkedTags()).containsExactlyInAnyOrderElementsOf(tags);
                assertThat(report.overBudget()).isEmpty();
            }
            assertThat(own.get().budgets()).isEmpty();
        }
    }
}
