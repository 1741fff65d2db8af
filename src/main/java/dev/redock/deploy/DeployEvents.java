package dev.redock.deploy;

import dev.redock.model.Deployment;
import dev.redock.model.Service;

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

    /** Services were added, changed or removed. */
    default void servicesChanged() {
    }
}
