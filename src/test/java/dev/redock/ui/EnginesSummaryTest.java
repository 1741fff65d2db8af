package dev.redock.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.redock.model.EngineEntry;
import dev.redock.model.EngineStatus;

/**
 * How the status bar sums the engines up: one engine by its version and address, several by how many answer and which do
 * not (the reasons in the tooltip).
 */
class EnginesSummaryTest {

    private static final Instant NOW = Instant.parse("2026-12-04T10:00:00Z");

    @Test
    void oneEngineIsSummedUpByItsVersionAndAddress() {
        EnginesModel.Summary s = EnginesModel.summary(List.of(up("default")));
        assertThat(s.text()).isEqualTo("Engine connected · Docker 20.10.24 (API 1.41) · unix:///var/run/docker.sock");
        assertThat(s.allUp()).isTrue();
    }

    @Test
    void oneEngineThatDoesNotAnswerSaysWhy() {
        EnginesModel.Summary s = EnginesModel.summary(List.of(down("default", "connection refused")));
        assertThat(s.text()).isEqualTo("Engine unreachable: connection refused");
        assertThat(s.allUp()).isFalse();
    }

    @Test
    void enginesNotAskedYetAreStillConnecting() {
        assertThat(EnginesModel.summary(List.of(unasked("default"))).text()).isEqualTo("Engine: connecting…");
        EnginesModel.Summary s = EnginesModel.summary(List.of(unasked("default"), unasked("nas")));
        assertThat(s.text()).isEqualTo("Engines: connecting…");
        assertThat(s.allUp()).isFalse();
    }

    @Test
    void severalEnginesAreCountedAndThoseThatDoNotAnswerNamedWithTheirReason() {
        assertThat(EnginesModel.summary(List.of(up("default"), up("nas"))).text()).isEqualTo("2 engines connected");
        EnginesModel.Summary s = EnginesModel.summary(List.of(up("default"), down("nas", "no route to host"), unasked("lab")));
        assertThat(s.text()).isEqualTo("1 of 3 engines connected · nas unreachable · lab not checked yet");
        assertThat(s.allUp()).isFalse();
        assertThat(s.details()).isEqualTo("default: connected: Docker 20.10.24 (API 1.41)\nnas: unreachable: no route to host\n"
                + "lab: not checked yet");
    }

    private static EngineEntry entry(String name) {
        return name.equals("default") ? EngineEntry.current()
                : new EngineEntry(name, EngineEntry.Kind.ADDRESS, "tcp://" + name + ":2376", null);
    }

    private static EngineStatus up(String name) {
        return new EngineStatus(entry(name), "unix:///var/run/docker.sock", "the default socket", true,
                "Docker 20.10.24 (API 1.41)", null, List.of(), NOW);
    }

    private static EngineStatus down(String name, String why) {
        return new EngineStatus(entry(name), null, null, false, null, why, List.of(), NOW);
    }

    private static EngineStatus unasked(String name) {
        return new EngineStatus(entry(name), null, null, false, null, null, List.of(), null);
    }
}
