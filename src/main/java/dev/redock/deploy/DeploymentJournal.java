package dev.redock.deploy;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import dev.redock.model.CommitInfo;
import dev.redock.model.DeployPhase;
import dev.redock.model.Deployment;
import dev.redock.model.JournalEntry;
import dev.redock.model.Outcome;
import dev.redock.model.Service;
import dev.redock.model.Trigger;
import dev.redock.store.DeploymentStore;
import dev.redock.store.LaunchJournal;

/**
 * What deployments and launches have done on the engine, written down before they go further: a deployment's steps, the
 * containers it works on and how it ended go to its row in the history; a launch's container goes to the launch journal
 * until its service is written. Whoever finds one cut short (a killed process, an engine that went away) works from what
 * this wrote: {@link ContainerSwap#resume} for a deployment, {@link Launcher#undoCutShort} for a launch. Each write is
 * committed before it returns, so it survives the process.
 */
final class DeploymentJournal {

    private final DeploymentStore deployments;
    private final LaunchJournal launches;
    private final String owner;
    private final Clock clock;

    /** @param owner who this process is in the deployment lock ({@code pid:start@host#n}): the journal's entries are its */
    DeploymentJournal(DeploymentStore deployments, LaunchJournal launches, String owner, Clock clock) {
        this.deployments = deployments;
        this.launches = launches;
        this.owner = owner;
        this.clock = clock;
    }

    // ------------------------------------------------------------------------------------------------------ deployments

    /**
     * Records a deployment that starts now, as this process's: the start of its journal, before anything is changed.
     *
     * @param newDigest the digest it puts live, or null until it is known (a build's image id)
     * @param commit    the commit it builds, or null
     */
    Deployment begin(Service service, Trigger trigger, String newDigest, CommitInfo commit) {
        Instant now = clock.instant();
        long id = deployments.start(service.id(), trigger, service.digest(), newDigest, commit, now, owner);
        return new Deployment(id, service.id(), trigger, service.digest(), newDigest, now, null, Outcome.RUNNING, null, commit);
    }

    /** The version the deployment puts live, once it is known (a build's image id is known only after the build). */
    void versionKnown(long deployment, String digest) {
        deployments.noteVersion(deployment, digest);
    }

    /**
     * The image is on the engine: notes the container the service runs now (its id, whether it runs, its restart policy)
     * and the image that replaces it, before either is touched.
     *
     * @param oldContainer the current container's id, or null when the service has none
     */
    void pulled(long deployment, String oldContainer, boolean oldRunning, String oldRestart, String image) {
        deployments.journalPulled(deployment, oldContainer, oldRunning, oldRestart, image);
    }

    /** The new container exists: its id, as soon as the engine gave it. */
    void created(long deployment, String newContainer) {
        deployments.journalCreated(deployment, newContainer);
    }

    /** A step that only moves the deployment on. */
    void reached(long deployment, DeployPhase phase) {
        deployments.journal(deployment, phase);
    }

    /** The new version is being taken out again: why, and whether the version is to blame, before the rollback begins. */
    void rollingBack(long deployment, String reason, Trial trial) {
        deployments.noteRollback(deployment, reason, trial.tried());
        deployments.journal(deployment, DeployPhase.ROLLING_BACK);
    }

    /**
     * The engine refused the rollback too: an engine in trouble, so the failure that caused the rollback is not held
     * against the version. Recovery tries the rollback again.
     */
    void rollbackRefused(long deployment, String reason) {
        deployments.noteRollback(deployment, reason, Trial.NOT_TRIED.tried());
    }

    /** The new version is the service's, in the transaction that records it as the service's. */
    void committed(Connection c, long deployment) throws SQLException {
        deployments.journal(c, deployment, DeployPhase.COMMITTED);
    }

    /**
     * How the deployment ended, in the caller's transaction: nothing is left to do.
     *
     * @param newDigest the version it put (or tried to put) live, or null to keep the one recorded at its start
     */
    void finished(Connection c, long deployment, Outcome outcome, String error, String newDigest, Trial trial, Instant now)
            throws SQLException {
        deployments.finish(c, deployment, outcome, error, newDigest, trial.tried(), now);
    }

    /** The journal of one deployment, as written so far. */
    Optional<JournalEntry> entry(long deployment) {
        return deployments.journalOf(deployment);
    }

    /** The journals of every deployment under way, or left under way by a process that stopped, oldest first. */
    List<JournalEntry> unfinished() {
        return deployments.unfinished();
    }

    // --------------------------------------------------------------------------------------------------------- launches

    /** A launch of the service begins: nothing of it is on the engine yet, and the name it wants is noted. */
    void launchBegun(Service service) {
        launches.begin(service.id(), service.name(), service.engine(), owner, clock.instant());
    }

    /** The launch's container exists: its id, as soon as the engine gave it. */
    void launchCreated(UUID serviceId, String container) {
        launches.created(serviceId, container);
    }

    /**
     * The launched service runs: its launch goes to its history and the launch's entry ends, in the transaction that
     * writes the service.
     */
    void launched(Connection c, Service service, Release release, Instant ended) throws SQLException {
        deployments.insertFinished(c, service.id(), Trigger.LAUNCH, null, release.digest(), service.created(), ended,
                Outcome.SUCCEEDED, null, release.commit());
        launches.end(c, service.id());
    }

    /** The launch is over without a service (it failed, or it was undone): nothing of it is left to undo. */
    void launchEnded(UUID serviceId) {
        launches.end(serviceId);
    }

    /** The launches under way, or left under way by a process that stopped, oldest first. */
    List<LaunchJournal.Entry> launches() {
        return launches.all();
    }
}
