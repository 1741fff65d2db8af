package dev.redock.model;

/** What the engine says of a service's container, combined with what Redock is doing to it. */
public enum ServiceStatus {
    RUNNING, STOPPED, DEPLOYING, FAILED, MISSING,
    /** The service's engine does not answer: nothing is known of its container, and nothing is deployed there meanwhile. */
    UNREACHABLE;

    public String label() {
        return this == UNREACHABLE ? "engine unreachable" : name().toLowerCase(java.util.Locale.ROOT);
    }
}
