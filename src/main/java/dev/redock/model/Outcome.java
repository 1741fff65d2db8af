package dev.redock.model;

/** How a deployment ended. */
public enum Outcome {
    /** Still under way. */
    RUNNING,
    /** The new container runs. */
    SUCCEEDED,
    /** The new container did not come up; the old one runs again. */
    ROLLED_BACK,
    /** Nothing was changed, or the service could not be brought back. */
    FAILED,
    /**
     * Cut short by something other than the version itself (Redock stopped, the engine went away), then driven to a safe
     * end by recovery: the previous version runs again. The version was not judged, so polls try it again.
     */
    INTERRUPTED;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
    }
}
