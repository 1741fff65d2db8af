package dev.redock.engine;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

import org.slf4j.LoggerFactory;

/**
 * How to reach the Docker engine.
 *
 * @param address         where it is ({@code unix://}, {@code tcp://} with or without TLS, {@code ssh://}, {@code npipe://})
 * @param connectTimeout  how long to wait for a connection
 * @param responseTimeout how long to wait for an answer to an ordinary request (a stop waits as long as the container's own
 *                        stop timeout needs, a pull as long as its caller allows)
 * @param commonLabels    labels put on every container this engine creates, besides the caller's (tests mark theirs with it)
 * @param home            the user's home, whose {@code .ssh} (config, keys, {@code known_hosts}) an {@code ssh://} address
 *                        signs in with
 */
public record EngineSettings(EngineAddress address, Duration connectTimeout, Duration responseTimeout,
                             Map<String, String> commonLabels, Path home) {

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_RESPONSE_TIMEOUT = Duration.ofSeconds(60);

    public EngineSettings {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(responseTimeout, "responseTimeout");
        commonLabels = Map.copyOf(commonLabels == null ? Map.of() : commonLabels);
        home = home == null ? Path.of(System.getProperty("user.home")) : home;
    }

    /** This address, with the default timeouts, no common labels and the user's own home. */
    public static EngineSettings of(EngineAddress address) {
        return new EngineSettings(address, DEFAULT_CONNECT_TIMEOUT, DEFAULT_RESPONSE_TIMEOUT, Map.of(), null);
    }

    /**
     * The engine the docker CLI would use in this process's environment ({@link DockerContexts#current()}), with the
     * default timeouts; the default socket when that choice cannot be used (logged). Redock itself passes its environment
     * to {@link DockerContexts} instead, and says why an engine cannot be used.
     */
    public static EngineSettings defaults() {
        EngineAddress address;
        try {
            address = DockerContexts.of(System.getenv()).current().address();
        } catch (EngineException e) {
            LoggerFactory.getLogger(EngineSettings.class).warn("Using the default socket: {}", e.getMessage());
            address = EngineAddress.defaultSocket();
        }
        return of(address);
    }

    /** The host of {@link #defaults()}. */
    public static URI defaultHost() {
        return defaults().host();
    }

    /** Where the engine is, as typed: {@code unix:///var/run/docker.sock}, {@code ssh://user@host}, ... */
    public URI host() {
        return address.host();
    }

    /** The same settings for an engine at this address, without TLS. */
    public EngineSettings withHost(URI newHost) {
        return withAddress(EngineAddress.of(newHost));
    }

    public EngineSettings withAddress(EngineAddress newAddress) {
        return new EngineSettings(newAddress, connectTimeout, responseTimeout, commonLabels, home);
    }

    public EngineSettings withCommonLabels(Map<String, String> labels) {
        return new EngineSettings(address, connectTimeout, responseTimeout, labels, home);
    }

    /** The same settings, signing in to {@code ssh://} addresses with the {@code .ssh} folder of this home. */
    public EngineSettings withHome(Path newHome) {
        return new EngineSettings(address, connectTimeout, responseTimeout, commonLabels, newHome);
    }
}
