package dev.redock.model;

/** What the engine says of a service's container, combined with what Redock is doing to it. */
public enum ServiceStatus {
    RUNNING, STOPPED, DEPLOYING, FAILED, MISSING, UNKNOWN;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
