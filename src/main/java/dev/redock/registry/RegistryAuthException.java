package dev.redock.registry;

/**
 * The registry wants credentials that Redock does not have, or refused the ones it has. The message says which, and
 * what to do ({@code docker login <registry>}).
 */
public final class RegistryAuthException extends RegistryException {

    public RegistryAuthException(String registry, String message) {
        super(registry, message, null);
    }
}
