package dev.redock.registry;

/**
 * The registry could not be reached or could not answer: connection refused, unknown host, TLS failure, timeout, or a
 * 5xx answer. Worth trying again later.
 */
public final class RegistryUnavailableException extends RegistryException {

    public RegistryUnavailableException(String registry, String message, Throwable cause) {
        super(registry, message, cause);
    }
}
