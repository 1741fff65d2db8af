package dev.redock.engine;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * How to reach the Docker engine.
 *
 * @param host            {@code unix:///var/run/docker.sock}, {@code npipe:////./pipe/docker_engine} or {@code tcp://host:2375}
 * @param connectTimeout  how long to wait for a connection
 * @param responseTimeout how long to wait for an answer to an ordinary request (a stop waits as long as the container's own
 *                        stop timeout needs, a pull as long as its caller allows)
 * @param commonLabels    labels put on every container this engine creates, besides the caller's (tests mark theirs with it)
 */
public record EngineSettings(URI host, Duration connectTimeout, Duration responseTimeout, Map<String, String> commonLabels) {

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_RESPONSE_TIMEOUT = Duration.ofSeconds(60);

    public EngineSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(responseTimeout, "responseTimeout");
        commonLabels = Map.copyOf(commonLabels == null ? Map.of() : commonLabels);
    }

    /** The engine named by {@code DOCKER_HOST}, else the platform's default, with the default timeouts. */
    public static EngineSettings defaults() {
        return new EngineSettings(defaultHost(), DEFAULT_CONNECT_TIMEOUT, DEFAULT_RESPONSE_TIMEOUT, Map.of());
    }

    public static URI defaultHost() {
        String fromEnv = System.getenv("DOCKER_HOST");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return URI.create(fromEnv.strip());
        }
        boolean windows = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
        return URI.create(windows ? "npipe:////./pipe/docker_engine" : "unix:///var/run/docker.sock");
    }

    public EngineSettings withHost(URI newHost) {
        return new EngineSettings(newHost, connectTimeout, responseTimeout, commonLabels);
    }

    public EngineSettings withCommonLabels(Map<String, String> labels) {
        return new EngineSettings(host, connectTimeout, responseTimeout, labels);
    }
}
