package dev.redock.engine;

import java.util.Objects;

/**
 * Credentials the engine passes to a registry when it pulls.
 *
 * @param registry the registry host, e.g. {@code localhost:5000} or {@code docker.io}
 */
public record RegistryAuth(String registry, String username, String password) {

    public RegistryAuth {
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
    }

    @Override
    public String toString() {
        return "RegistryAuth[" + username + "@" + registry + "]";
    }
}
