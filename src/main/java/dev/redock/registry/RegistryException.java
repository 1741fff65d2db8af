package dev.redock.registry;

import java.util.Objects;

/**
 * Something went wrong while asking a registry about an image. The message is written for the user: the GUI and the CLI
 * show it as it is, e.g. {@code "localhost:5000 is unreachable: connection refused"}.
 *
 * <p>The subclasses say what kind of trouble it is, which decides what the caller does next: {@link RegistryAuthException}
 * (credentials missing or refused), {@link ManifestUnknownException} (no such repository or tag),
 * {@link RegistryRateLimitedException} (429), {@link RegistryUnavailableException} (5xx, network trouble, timeouts) and
 * {@link RegistryProtocolException} (an answer Redock cannot use).
 */
public abstract sealed class RegistryException extends Exception
        permits RegistryAuthException, ManifestUnknownException, RegistryRateLimitedException, RegistryUnavailableException,
        RegistryProtocolException {

    private final String registry;

    protected RegistryException(String registry, String message, Throwable cause) {
        super(message, cause);
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    /** The registry the request was for, as the image reference names it ({@code docker.io}, {@code localhost:5000}). */
    public String registry() {
        return registry;
    }

    /**
     * Whether the trouble is the registry's as a whole, so that other images on it should wait too
     * ({@link RegistryBackoff} backs off only for these). A missing tag is about one image only.
     */
    public boolean affectsRegistry() {
        return true;
    }
}
