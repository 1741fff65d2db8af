package dev.redock.registry;

/**
 * The registry answered, but not in a way Redock can use: an unexpected status, a malformed digest, a token endpoint
 * without a token, an oversized body.
 */
public final class RegistryProtocolException extends RegistryException {

    public RegistryProtocolException(String registry, String message) {
        super(registry, message, null);
    }
}
