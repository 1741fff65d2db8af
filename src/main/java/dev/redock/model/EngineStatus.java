package dev.redock.model;

import java.time.Instant;
import java.util.List;

/**
 * What Redock last learnt of an engine by asking it.
 *
 * @param entry       the engine, as the user's list has it
 * @param address     where it was found ({@code unix:///var/run/docker.sock}), or null when it could not be worked out
 * @param source      why there: {@code DOCKER_HOST}, {@code docker context "remote"}, {@code the default socket}, or null
 * @param reachable   whether it answered
 * @param version     what it is when it answered ({@code Docker 20.10.24 (API 1.41)}), else null
 * @param problem     why it did not answer, else null
 * @param limitations what Redock cannot do there, in sentences for the user (empty for Docker)
 * @param checked     when it was asked, or null when it was not asked yet
 */
public record EngineStatus(EngineEntry entry, String address, String source, boolean reachable, String version,
                           String problem, List<String> limitations, Instant checked) {

    public EngineStatus {
        limitations = limitations == null ? List.of() : List.copyOf(limitations);
    }

    public String name() {
        return entry.name();
    }

    /** A state in a few words: {@code connected: Docker 20.10.24 (API 1.41)} or {@code unreachable: <why>}. */
    public String describeState() {
        if (checked == null) {
            return "not checked yet";
        }
        return reachable ? "connected: " + version : "unreachable: " + problem;
    }
}
