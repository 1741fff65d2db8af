package dev.redock.model;


/**
 * What the core tells its observers (the window, the tray, the agent's console). Called on the thread that did the
 * work: an observer that touches a toolkit hands the call over to that toolkit's thread itself.
 */
public interface DeployEvents {

    /** A deployment of the service started. */
    default void deploymentStarted(Service service, Deployment deployment) {
    }

    /** A deployment ended: succeeded, rolled back or failed. */
    default void deploymentFinished(Service service, Deployment deployment) {
    }

    /**
     * A line of a build's output, while a deployment of a service built from source builds its commit.
     *
     * @param step       the builder's step (Dockerfile instruction) at this line, 0 before the first
     * @param totalSteps how many steps the build has, 0 while unknown
     */
    default void buildOutput(Service service, Deployment deployment, String line, int step, int totalSteps) {
    }

    /** Services were added, changed or removed. */
    default void servicesChanged() {
    }
}
