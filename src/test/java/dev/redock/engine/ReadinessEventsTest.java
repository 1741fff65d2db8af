package dev.redock.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.redock.model.ContainerSpec;
import dev.redock.testenv.DockerTest;
import dev.redock.testenv.EngineRelay;
import dev.redock.testenv.TestEnv;
import dev.redock.testenv.TestImages;

/**
 * A new container's readiness wait learns of its changes from the engine's events (a death, a health status) rather than
 * at fixed turns, waits no longer than its minimum uptime asks, and goes on by looking at the container itself when the
 * events do not come.
 */
@ExtendWith(DockerTest.class)
class ReadinessEventsTest {

    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final Duration LONG_UPTIME = Duration.ofSeconds(30);

    private final DockerEngine engine = TestEnv.engine();
    private final List<String> made = new ArrayList<>();

    @TempDir
    Path dir;

    @AfterEach
    void removeContainers() throws EngineException {
        for (String id : made) {
            engine.remove(id);
        }
    }

    private String started(DockerEngine on, String image) throws EngineException {
        String id = on.create(TestEnv.uniqueName("ready"), image, ContainerSpec.empty(), Map.of());
        made.add(id);
        on.start(id);
        return id;
    }

    /** Runs for about a second, then exits with code 3. */
    private static String shortLivedImage() {
        return TestImages.custom("short-lived", "short-lived", "CMD [\"sh\", \"-c\", \"sleep 1; exit 3\"]");
    }

    @Test
    void isReadyOnTheEnginesWordWhenTheMinimumUptimeIsZero() throws Exception {
        String id = started(engine, TestImages.webImage("zero uptime"));

        ReadyResult result = engine.awaitReady(id, DEADLINE, Duration.ZERO);

        assertThat(result.ready()).as(result.reason()).isTrue();
        assertThat(result.last().state().running()).isTrue();
    }

    @Test
    void failsWhenTheProcessExitsDuringItsMinimumUptimeWithoutWaitingItOut() throws Exception {
        String id = started(engine, shortLivedImage());

        ReadyResult result = engine.awaitReady(id, DEADLINE, LONG_UPTIME);

        assertThat(result.ready()).isFalse();
        assertThat(result.reason()).isEqualTo("exited with code 3");
        assertThat(result.waited()).as("the death ended the wait, not the minimum uptime").isLessThan(LONG_UPTIME);
    }

    @Test
    void readsAHealthyStatusWithNoMinimumUptime() throws Exception {
        String id = started(engine, TestImages.healthyWebImage("healthy at once"));

        ReadyResult result = engine.awaitReady(id, DEADLINE, Duration.ZERO);

        assertThat(result.ready()).as(result.reason()).isTrue();
        assertThat(result.last().state().health()).isEqualTo("healthy");
    }

    static Stream<Supplier<EngineRelay>> lostEvents() {
        return Stream.of(named(EngineRelay::holdingBackEvents, "a stream that never starts"),
                named(EngineRelay::cuttingOffEvents, "a stream that fails"));
    }

    private static Supplier<EngineRelay> named(Supplier<EngineRelay> relay, String name) {
        return new Supplier<>() {
            @Override
            public EngineRelay get() {
                return relay.get();
            }

            @Override
            public String toString() {
                return name;
            }
        };
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("lostEvents")
    void goesOnLookingAtTheContainerAtItsOwnPaceWhenTheEnginesEventsAreLost(Supplier<EngineRelay> lost) throws Exception {
        try (EngineRelay relay = lost.get();
             DockerEngine held = DockerEngine.connect(EngineSettings.defaults().withHost(relay.host())
                     .withCommonLabels(TestEnv.runLabels()))) {
            String dies = started(held, shortLivedImage());
            int before = relay.inspections();
            ReadyResult died = held.awaitReady(dies, DEADLINE, LONG_UPTIME);

            assertThat(died.ready()).isFalse();
            assertThat(died.reason()).isEqualTo("exited with code 3");
            assertThat(died.waited()).as("looking at it found the death before the minimum uptime").isLessThan(LONG_UPTIME);
            assertThat(relay.inspections() - before)
                    .as("looks at the container four times a second, not over and over (%s waited)", died.waited())
                    .isLessThanOrEqualTo(4 * (int) died.waited().toSeconds() + 8);

            String healthy = started(held, TestImages.healthyWebImage("healthy without events"));
            ReadyResult up = held.awaitReady(healthy, DEADLINE, Duration.ofMillis(500));

            assertThat(up.ready()).as(up.reason()).isTrue();
            assertThat(up.last().state().health()).isEqualTo("healthy");
            assertThat(relay.heldBack()).as("the event streams asked for were lost").isGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void aStreamThatCannotStartNeitherHoldsUpNorHangsTheWait() throws Exception {
        URI nowhere = URI.create("unix://" + dir.resolve("no-such.sock"));
        try (DockerEngine gone = DockerEngine.connect(EngineSettings.defaults().withHost(nowhere))) {
            try (ContainerEvents events = ContainerEvents.follow(gone.context(), "anything", true)) {
                assertThat(events.awaitStarted(Duration.ofSeconds(10))).isFalse();
                assertThat(events.live()).isFalse();
                assertThat(events.awaitChange(Duration.ofMillis(50))).isFalse();
            }
        }
    }

    @Test
    void hearsTheContainersDeathWithItsExitCode() throws Exception {
        String id = engine.create(TestEnv.uniqueName("events"), shortLivedImage(), ContainerSpec.empty(), Map.of());
        made.add(id);
        try (ContainerEvents events = ContainerEvents.follow(engine.context(), id, true)) {
            assertThat(events.awaitStarted(Duration.ofSeconds(10))).isTrue();
            events.watching(id);
            engine.start(id);

            long deadline = System.nanoTime() + DEADLINE.toNanos();
            while (events.lastExitCode().isEmpty() && System.nanoTime() < deadline) {
                events.awaitChange(Duration.ofSeconds(1));
            }
            assertThat(events.lastExitCode()).contains(3);
        }
    }
}
