package dev.redock.model;

/** What started a deployment. */
public enum Trigger {
    /** The service's first deployment. */
    LAUNCH,
    /** A user asked for it (CLI, window). */
    MANUAL,
    /** The scheduler saw the tag move to a new digest. */
    REGISTRY_POLL;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
