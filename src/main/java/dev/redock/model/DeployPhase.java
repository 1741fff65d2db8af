package dev.redock.model;

/**
 * How far a deployment has gone on the engine: the deployment journal's steps, in order. Each is recorded as soon as it is
 * reached, so that whoever finds a deployment cut short knows what to undo or to finish.
 *
 * <p>Up to {@link #NEW_NAMED} nothing has proved the new version, so a deployment cut short there is undone. From
 * {@link #NEW_STARTED} the new container may still prove itself, and is given the chance. From {@link #COMMITTED} the new
 * version is the service's: only the previous container is left to remove.
 */
public enum DeployPhase {
    /** Reading the version, pulling or building it: nothing on the engine has changed yet. */
    PREPARING("preparing"),
    /** The image is on the engine. */
    PULLED("pulled"),
    /** The new container exists under a temporary name; the old one is untouched. */
    CREATED("created"),
    /** The old container's restart policy is off and it is stopped (or was not running). */
    OLD_STOPPED("old-stopped"),
    /** The old container is renamed aside ({@code <name>-redock-previous}). */
    OLD_ASIDE("old-aside"),
    /** The new container holds the service's name. */
    NEW_NAMED("new-named"),
    /** The new container was started. */
    NEW_STARTED("new-started"),
    /** Waiting for the new container to prove itself. */
    READY_WAIT("ready-wait"),
    /** The new version is the service's; the previous container is being removed. */
    COMMITTED("committed"),
    /** The new version did not come up: its container is removed and the previous one is being put back. */
    ROLLING_BACK("rolling-back"),
    /** Nothing left to do. */
    DONE("done");

    private final String step;

    DeployPhase(String step) {
        this.step = step;
    }

    /** The step's name in logs, history and {@code REDOCK_PAUSE_AT}. */
    public String step() {
        return step;
    }

    /** Whether the new container may already have run, so that it deserves a readiness check before being undone. */
    public boolean newMayRun() {
        return this == NEW_STARTED || this == READY_WAIT;
    }

    public static DeployPhase ofStep(String step) {
        for (DeployPhase p : values()) {
            if (p.step.equals(step) || p.name().equals(step)) {
                return p;
            }
        }
        throw new IllegalArgumentException("no deployment step named \"" + step + "\"");
    }
}
