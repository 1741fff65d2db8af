package dev.redock.engine;

import java.util.Locale;
import java.util.Objects;

import com.github.dockerjava.api.model.Version;
import com.github.dockerjava.api.model.VersionComponent;

/**
 * What an engine says it is, e.g. {@code Docker 20.10.24 (API 1.41)} or {@code Podman 4.3.1 (API 1.41)}: Podman serves the
 * same API, and says so only in the names of its platform and components.
 *
 * @param product    {@code Docker} or {@code Podman}
 * @param version    the engine's own version
 * @param apiVersion the API version it speaks
 */
public record EngineVersion(String product, String version, String apiVersion) {

    public EngineVersion {
        Objects.requireNonNull(product, "product");
    }

    /** What a {@code GET /version} answer says. */
    static EngineVersion of(Version answer) {
        boolean podman = mentionsPodman(answer.getPlatform() == null ? null : answer.getPlatform().getName());
        if (answer.getComponents() != null) {
            for (VersionComponent component : answer.getComponents()) {
                podman |= mentionsPodman(component.getName());
            }
        }
        return new EngineVersion(podman ? "Podman" : "Docker", answer.getVersion(), answer.getApiVersion());
    }

    private static boolean mentionsPodman(String name) {
        return name != null && name.toLowerCase(Locale.ROOT).contains("podman");
    }

    /** {@code Docker 20.10.24 (API 1.41)}. */
    @Override
    public String toString() {
        return product + " " + version + " (API " + apiVersion + ")";
    }
}
