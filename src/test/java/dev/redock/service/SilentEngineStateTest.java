package dev.redock.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import dev.redock.app.Redock;
import dev.redock.model.EngineStatus;
import dev.redock.testenv.DockerTest;
import dev.redock.testenv.RawHttpServer;

/**
 * An engine's state (the status bar, Settings' engines, {@code engine ls}, {@code engine add}, each poll) when the
 * engine takes the connection and never answers: unreachable once the deadline has passed, not a minute later, and asked
 * once at a time. The silent engine is a programmable server (the real engine does not hang on demand), beside the real one.
 */
@ExtendWith(DockerTest.class)
class SilentEngineStateTest {

    @TempDir
    Path home;

    private Redock redock;

    @AfterEach
    void close() {
        if (redock != null) {
            redock.close();
        }
    }

    @Test
    void aSilentEngineIsUnreachableOnceTheDeadlinePassesAndIsAskedOnceAtATime() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (RawHttpServer silent = RawHttpServer.start(c -> {
            release.await();
            c.send("HTTP/1.1 500 Internal Server Error\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}");
        })) {
            redock = SilentEngine.beside(home, silent, Instant.now());
            EngineService engines = redock.core().engines();
            String silence = "the engine at tcp://" + silent.address() + " did not answer within 1 s";

            EngineStatus first = engines.check("silent");

            assertThat(first.reachable()).isFalse();
            assertThat(first.problem()).isEqualTo(silence);
            assertThat(engines.list()).filteredOn(s -> s.entry().name().equals("silent"))
                    .extracting(EngineStatus::problem).containsExactly(silence);
            await().atMost(Duration.ofSeconds(10)).until(() -> silent.requests().size() == 1);

            // Every engine, the silent one still unanswered: the others answer, and it is not asked a second time.
            assertThat(engines.check()).extracting(s -> s.entry().name() + " " + s.reachable())
                    .containsExactlyInAnyOrder("default true", "silent false");
            assertThat(silent.requests()).as("one question at a time").hasSize(1);

            // Its answer, when it comes, is its state.
            release.countDown();
            await().atMost(Duration.ofSeconds(10)).until(() -> !engines.list().stream()
                    .filter(s -> s.entry().name().equals("silent")).findFirst().orElseThrow().problem().equals(silence));
        }
    }
}
