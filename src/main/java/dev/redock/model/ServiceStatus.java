package dev.redock.model;

/** What the engine says of a service's container, combined with what Redock is doing to it. */
public enum ServiceStatus {
    RUNNING, STOPPED, DEPLOYING, FAILED, MISSING,
    /** The service's engine does not answer: nothing is known of its container, and nothing is deployed there meanwhile. */
    UNREACHABLE,
    /**
     * Not known yet: the service as stored, before its engine has answered (the window's first list, read from the
     * database alone, so that it shows at once).
     */
    CHECKING;

    public String label() {
        return this == UNREACHABLE ? "engine unreachable" : name().toLowerCase(java.util.Locale.ROOT);
    }
}
