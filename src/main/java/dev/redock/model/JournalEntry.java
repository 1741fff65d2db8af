package dev.redock.model;

import java.time.Instant;
import java.util.UUID;

/**
 * A deployment's journal: what it has done to the engine so far, enough for another process to finish it or undo it.
 *
 * @param deployment    the deployment as history has it
 * @param owner         who ran it ({@code pid:start@host#n})
 * @param phase         the last step reached
 * @param oldContainer  the id of the container the service ran before, or null when it had none
 * @param newContainer  the id of the container the deployment made, or null before it made one
 * @param oldRunning    whether the old container was running when the deployment began
 * @param oldRestart    the old container's restart policy ({@code name:max}), turned off while it is set aside; null if
 *                      not recorded
 * @param releaseImage  the image reference the new container is made from, or null before it is known
 */
public record JournalEntry(Deployment deployment, String owner, DeployPhase phase, String oldContainer, String newContainer,
                           boolean oldRunning, String oldRestart, String releaseImage) {

    public UUID serviceId() {
        return deployment.serviceId();
    }

    public Instant started() {
        return deployment.started();
    }
}
