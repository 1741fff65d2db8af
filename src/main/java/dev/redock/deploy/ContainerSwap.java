package dev.redock.deploy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.redock.engine.DockerEngine;
import dev.redock.engine.EngineException;
import dev.redock.engine.PortInUseException;
import dev.redock.engine.ReadyResult;
import dev.redock.model.ContainerInfo;
import dev.redock.model.DeployPhase;
import dev.redock.model.JournalEntry;
import dev.redock.model.Labels;
import dev.redock.model.Outcome;
import dev.redock.model.RestartPolicy;
import dev.redock.model.Service;

/**
 * Puts a new container in the place of a service's current one, step by step, writing each step to the deployment's
 * journal as it goes; and, from a journal, finishes or undoes a swap that was cut short.
 *
 * <p>The order keeps the old container intact until the new one has proved itself. The new one is created first under a
 * temporary name (a spec the engine refuses changes nothing). The old one's restart policy is turned off, so that an engine
 * restart cannot start it next to its replacement; it is stopped and renamed aside, not removed. The new one takes the
 * name, starts, and has to prove itself; only then is the old one removed. The new one is made with every setting of the
 * old one, not only the spec's; every volume of the old container that the spec does not name (an image's {@code VOLUME}:
 * a database's data) is mounted again, by name, in the new one.
 *
 * <p>When the engine goes away in the middle, nothing is undone on the spot (it cannot be): the swap is left to
 * {@link #resume}, which the next poll or the next start of any Redock process runs.
 */
final class ContainerSwap {

    private static final Logger LOG = LoggerFactory.getLogger(ContainerSwap.class);
    private static final int LOG_LINES_IN_ERRORS = 5;

    private final DockerEngine engine;
    private final DeploymentJournal journal;
    private final DeployPolicy policy;
    private final Failpoints failpoints;

    ContainerSwap(DockerEngine engine, DeploymentJournal journal, DeployPolicy policy, Failpoints failpoints) {
        this.engine = engine;
        this.journal = journal;
        this.policy = policy;
        this.failpoints = failpoints;
    }

    /**
     * How a swap ended.
     *
     * @param outcome the deployment's outcome, or null when it was left unfinished for recovery (the engine went away)
     * @param error   why it did not succeed, or a note on how it was finished; null for a plain success
     * @param trial   whether the version itself was put to the test (and failed, where it did not succeed)
     */
    record Result(Outcome outcome, String error, Trial trial) {

        /** The new container proved itself: it is the service's once the caller commits it. */
        static Result ready(String note) {
            return new Result(Outcome.SUCCEEDED, note, Trial.TRIED);
        }

        /** Left as it is for recovery, which finishes it once the engine lets it. */
        static Result unfinished(String why) {
            return new Result(null, why, Trial.NOT_TRIED);
        }

        /** The deployment failed: nothing went live. */
        static Result failed(String error, Trial trial) {
            return new Result(Outcome.FAILED, error, trial);
        }

        /** The new container was taken out again: the old one runs again, or failed when the service had none. */
        static Result rolledBack(JournalEntry j, String reason, Trial trial) {
            return new Result(j.oldContainer() == null ? Outcome.FAILED : Outcome.ROLLED_BACK, reason, trial);
        }

        /** Cut short before the new version could prove itself, and undone. */
        static Result interrupted(String error) {
            return new Result(Outcome.INTERRUPTED, error, Trial.NOT_TRIED);
        }

        /** Whether the new container is now the service's (the caller commits it). */
        boolean live() {
            return outcome == Outcome.SUCCEEDED;
        }

        boolean unfinishedForRecovery() {
            return outcome == null;
        }
    }

    /**
     * Whether the engine still answers. A failure just before may have come from an engine on its way down (a stopping
     * dockerd closes its API, then stops its containers and fails calls under way with odd errors): then nothing is judged
     * or undone now, and recovery takes over once it is back.
     */
    private boolean engineAnswers() {
        try {
            engine.ping();
            return true;
        } catch (EngineException e) {
            LOG.warn("The engine does not answer after a failed step: {}", e.getMessage());
            return false;
        }
    }

    /** The names a swap uses beside the service's own. */
    static String nextName(Service s) {
        return s.name() + "-redock-next";
    }

    static String asideName(Service s) {
        return s.name() + "-redock-previous";
    }

    /**
     * Swaps the service's container for a new one made from {@code image}, up to the point where the new one has proved
     * itself (the caller commits it: records the new version, then calls {@link #removeOld}).
     *
     * @param labels Redock's labels for the new container
     */
    Result swap(Service service, long deployment, String image, Map<String, String> labels) {
        Optional<ContainerInfo> old;
        String oldRestart = null;
        try {
            old = current(service);
            if (old.isPresent()) {
                oldRestart = engine.restartPolicy(old.get().id()).map(RestartPolicy::toString).orElse(null);
            }
            // Leftovers of an earlier deployment under the names this one takes, cleared before anything stops: the
            // service is down only from the old container's stop to the new one's start.
            removeIfOurs(nextName(service), service.id());
            removeIfOurs(asideName(service), service.id());
        } catch (EngineException e) {
            return Result.failed("cannot read the current container: " + e.getMessage(), Trial.NOT_TRIED);
        }
        boolean oldRunning = old.map(c -> c.state().running() || c.state().restarting()).orElse(false);
        String oldId = old.map(ContainerInfo::id).orElse(null);
        journal.pulled(deployment, oldId, oldRunning, oldRestart, image);
        failpoints.reached(DeployPhase.PULLED);

        // 1. The replacement, created but not started: every setting of the old one, its volumes among them.
        String next;
        try {
            failpoints.beforeStep(DeployPhase.CREATED);
            Consumer<String> writeDown = id -> journal.created(deployment, id);
            next = old.isPresent() ? recreate(service, oldId, image, labels, writeDown)
                    : create(service, service.name(), image, labels, writeDown);
        } catch (EngineException e) {
            return Result.failed("cannot create the new container: " + e.getMessage(), Trial.NOT_TRIED);
        }
        failpoints.reached(DeployPhase.CREATED);

        // 2. The old one steps aside: its restart policy off, stopped (its stop timeout honoured), renamed.
        if (old.isPresent()) {
            try {
                failpoints.beforeStep(DeployPhase.OLD_STOPPED);
                if (oldRestart != null && !RestartPolicy.NO.toString().equals(oldRestart)) {
                    engine.setRestartPolicy(oldId, RestartPolicy.NO);
                }
                if (oldRunning) {
                    engine.stop(oldId);
                }
                journal.reached(deployment, DeployPhase.OLD_STOPPED);
                failpoints.reached(DeployPhase.OLD_STOPPED);

                failpoints.beforeStep(DeployPhase.OLD_ASIDE);
                engine.rename(oldId, asideName(service));
                journal.reached(deployment, DeployPhase.OLD_ASIDE);
                failpoints.reached(DeployPhase.OLD_ASIDE);

                failpoints.beforeStep(DeployPhase.NEW_NAMED);
                engine.rename(next, service.name());
                journal.reached(deployment, DeployPhase.NEW_NAMED);
                failpoints.reached(DeployPhase.NEW_NAMED);
            } catch (EngineException e) {
                if (Failures.engineGone(e) || !engineAnswers()) {
                    return Result.unfinished("the engine went away while setting the old container aside: " + e.getMessage());
                }
                return rollBack(service, journal(deployment), "cannot set the old container aside: " + e.getMessage(),
                        Trial.NOT_TRIED);
            }
        } else {
            journal.reached(deployment, DeployPhase.NEW_NAMED);
        }

        // 3. The new one starts and has to prove itself.
        try {
            failpoints.beforeStep(DeployPhase.NEW_STARTED);
            engine.start(next);
        } catch (EngineException e) {
            if (Failures.engineGone(e) || !engineAnswers()) {
                return Result.unfinished("the engine went away while starting the new container: " + e.getMessage());
            }
            boolean versionsFault = !(e instanceof PortInUseException) && !Failures.passing(e);
            return rollBack(service, journal(deployment), "new container did not start: " + e.getMessage(),
                    Trial.of(versionsFault));
        }
        journal.reached(deployment, DeployPhase.NEW_STARTED);
        failpoints.reached(DeployPhase.NEW_STARTED);
        return awaitReady(service, journal(deployment), next, null);
    }

    /**
     * Creates a new container of the service, not started, and has its id written down at once (in the deployment's
     * journal, or the launch's), so that whoever finds the deployment or launch cut short knows which container to take out.
     */
    String create(Service service, String name, String image, Map<String, String> labels, Consumer<String> writeDown)
            throws EngineException {
        String id = engine.create(name, image, service.spec(), labels);
        writeDown.accept(id);
        return id;
    }

    /**
     * Creates, not started and under the temporary name, the container that is to replace {@code oldId}: with every setting
     * of the old one besides the spec's, and its volumes mounted again ({@link DockerEngine#recreate}). Its id is written
     * down at once, as {@link #create} does.
     */
    private String recreate(Service service, String oldId, String image, Map<String, String> labels, Consumer<String> writeDown)
            throws EngineException {
        String id = engine.recreate(nextName(service), image, service.spec(), labels, oldId);
        writeDown.accept(id);
        return id;
    }

    /**
     * Waits for a started container of the service to prove itself: running for the service's minimum uptime (and
     * healthy, where its image has a check), within the deadline.
     */
    ReadyResult proveItself(Service service, String container) throws EngineException {
        return engine.awaitReady(container, policy.readyDeadlineOf(service), policy.minUptimeOf(service));
    }

    /** Waits for the new container to prove itself; hands back a success, or rolls back. */
    private Result awaitReady(Service service, JournalEntry j, String next, String note) {
        journal.reached(j.deployment().id(), DeployPhase.READY_WAIT);
        failpoints.reached(DeployPhase.READY_WAIT);
        ReadyResult ready;
        try {
            failpoints.beforeStep(DeployPhase.READY_WAIT);
            ready = proveItself(service, next);
        } catch (EngineException e) {
            if (Failures.engineGone(e)) {
                return Result.unfinished("the engine went away while the new container was proving itself: " + e.getMessage());
            }
            return rollBack(service, journal(j.deployment().id()), "cannot watch the new container: " + e.getMessage(),
                    Trial.NOT_TRIED);
        }
        if (ready.ready()) {
            return Result.ready(note);
        }
        if (ready.interrupted()) {
            // Redock is stopping in a way that could not wait: the next start judges the new container, never this stop.
            return Result.unfinished("the readiness wait was cut short");
        }
        if (ready.stoppedFromOutside()) {
            // An engine that stops sends its containers their stop signal while it still answers, and a docker stop does
            // the same: neither says anything of the version. Recovery judges the new container once the engine answers.
            return Result.unfinished("the new container was stopped while it proved itself: " + ready.reason());
        }
        if (!engineAnswers()) {
            // A stopping engine stops its containers too: that says nothing of the version, which is judged once it is back.
            return Result.unfinished("the engine went away while the new container was proving itself (" + ready.reason() + ")");
        }
        return rollBack(service, journal(j.deployment().id()), "new container " + ready.reason() + logTail(next), Trial.TRIED);
    }

    /** Removes the previous container once the new version is committed (its volumes stay: the new one mounts them). */
    /**
     * @return whether the previous container is gone (or was never there); false when the engine refused for now (an
     *         overlay file system still busy is the usual reason), for the caller to try again later
     */
    boolean removeOld(Service service, JournalEntry j) {
        if (j.oldContainer() == null) {
            return true;
        }
        try {
            Optional<ContainerInfo> old = engine.inspect(j.oldContainer());
            if (old.isPresent() && !old.get().name().equals(service.name())) {
                engine.remove(old.get().id());
            }
            return true;
        } catch (EngineException e) {
            LOG.warn("Cannot remove the previous container of {} yet: {}", service.name(), e.getMessage());
            return false;
        }
    }

    /**
     * Takes the new container out and puts the old one back as it was: under the service's name, its restart policy
     * restored, running if it ran.
     */
    private Result rollBack(Service service, JournalEntry j, String reason, Trial trial) {
        LOG.warn("Rolling back {}: {}", service.name(), reason);
        journal.rollingBack(j.deployment().id(), reason, trial);
        try {
            failpoints.beforeStep(DeployPhase.ROLLING_BACK);
            removeNew(service, j);
            failpoints.reached(DeployPhase.ROLLING_BACK);
            String problem = restoreOld(service, j);
            if (problem != null) {
                return Result.failed(reason + "; " + problem, trial);
            }
        } catch (EngineException e) {
            // Left to recovery, which tries the rollback again at every poll: the old container is not left aside for good.
            // An engine that refuses even the rollback was in trouble (a stopping dockerd stops containers and fails calls
            // before it stops answering), so the failure that caused the rollback is not held against the version.
            journal.rollbackRefused(j.deployment().id(), reason);
            return Result.unfinished(reason + "; the rollback failed for now (" + e.getMessage() + ")");
        }
        return Result.rolledBack(j, reason, trial);
    }

    /**
     * Drives a swap that was cut short to a safe end. Up to the new container's start nothing proved the new version, so
     * the old container is put back; a new container that had started gets its readiness check now; a committed swap only
     * loses its previous container.
     *
     * @param why what cut it short, for history ("the process deploying it stopped")
     */
    Result resume(Service service, JournalEntry j, String why) throws EngineException {
        DeployPhase phase = j.phase();
        String cut = "interrupted at " + phase.step() + " (" + why + ")";
        switch (phase) {
            case COMMITTED, DONE -> {
                ensureRunning(service);
                if (!removeOld(service, j)) {
                    // Left unfinished, so that the next recovery tries again: one container per service, not two.
                    throw new EngineException("the previous container of " + service.name() + " could not be removed yet");
                }
                return Result.ready(cut + "; recovery removed the previous container");
            }
            case ROLLING_BACK -> {
                removeNew(service, j);
                String problem = restoreOld(service, j);
                String reason = j.deployment().error() == null ? cut : j.deployment().error();
                Trial trial = Trial.of(j.deployment().versionTried());
                if (problem != null) {
                    return Result.failed(reason + "; " + problem, trial);
                }
                return Result.rolledBack(j, reason + " (the rollback was " + cut + " and finished by recovery)", trial);
            }
            default -> {
                Optional<ContainerInfo> fresh = j.newContainer() == null ? Optional.empty() : engine.inspect(j.newContainer());
                boolean mayProveItself = fresh.isPresent() && (phase.newMayRun() || j.oldContainer() == null)
                        && phase.compareTo(DeployPhase.CREATED) >= 0;
                if (mayProveItself) {
                    // The new container may have run already: it gets its chance under the service's name.
                    if (!fresh.get().name().equals(service.name())) {
                        Optional<ContainerInfo> holder = engine.inspect(service.name());
                        if (holder.isPresent() && !holder.get().id().equals(fresh.get().id())) {
                            return undo(service, j, cut);
                        }
                        engine.rename(fresh.get().id(), service.name());
                    }
                    if (!fresh.get().state().running()) {
                        try {
                            engine.start(fresh.get().id());
                        } catch (EngineException e) {
                            if (Failures.engineGone(e)) {
                                throw e;
                            }
                            return rollBack(service, j, cut + "; the new container did not start again: " + e.getMessage(),
                                    Trial.NOT_TRIED);
                        }
                    }
                    Result r = awaitReady(service, j, fresh.get().id(), cut + "; recovery found the new container ready");
                    if (r.unfinishedForRecovery()) {
                        throw new EngineException(r.error());
                    }
                    return r;
                }
                return undo(service, j, cut);
            }
        }
    }

    /** Puts the old container back after a swap cut short before the new one could prove itself. */
    private Result undo(Service service, JournalEntry j, String cut) throws EngineException {
        boolean swapBegan = removeNew(service, j);
        if (j.oldContainer() == null) {
            // The journal does not know the old container (a deployment of a Redock that kept no journal yet): the one set
            // aside goes back, and one a swap stopped under the service's name runs again.
            Optional<ContainerInfo> now = current(service);
            Optional<ContainerInfo> old = now.isPresent()
                    ? now.filter(c -> swapBegan && !c.state().running())
                    : engine.inspect(asideName(service)).filter(service::owns);
            if (old.isPresent()) {
                j = new JournalEntry(j.deployment(), j.owner(), j.phase(), old.get().id(), null, true, null, null);
            }
        }
        String problem = restoreOld(service, j);
        if (problem != null) {
            return Result.failed(cut + "; " + problem, Trial.NOT_TRIED);
        }
        String what = j.oldContainer() == null ? "nothing had changed on the engine" : "the previous container runs again";
        if (j.phase().compareTo(DeployPhase.CREATED) < 0) {
            what = "nothing had changed on the engine";
        }
        return Result.interrupted(cut + "; " + what);
    }

    /**
     * Removes the swap's new container (and the anonymous volumes made for it alone), wherever it got to.
     *
     * @return whether there was one
     */
    private boolean removeNew(Service service, JournalEntry j) throws EngineException {
        boolean found = false;
        if (j.newContainer() != null && !j.newContainer().equals(j.oldContainer())) {
            Optional<ContainerInfo> fresh = engine.inspect(j.newContainer());
            if (fresh.isPresent()) {
                quietly(() -> engine.stop(fresh.get().id()));
                engine.removeWithOwnVolumes(fresh.get().id());
                found = true;
            }
        }
        // A process stopped between creating it and writing its id down leaves it under the temporary name.
        return removeIfOurs(nextName(service), service.id()) || found;
    }

    /**
     * Puts the old container back: under the service's name, with its restart policy, running if it ran.
     *
     * @return why it could not be done, or null
     */
    private String restoreOld(Service service, JournalEntry j) throws EngineException {
        if (j.oldContainer() == null) {
            return null;
        }
        Optional<ContainerInfo> found = engine.inspect(j.oldContainer());
        if (found.isEmpty()) {
            return "the previous container is gone";
        }
        ContainerInfo old = found.get();
        if (!old.name().equals(service.name())) {
            Optional<ContainerInfo> holder = engine.inspect(service.name());
            if (holder.isPresent()) {
                if (!service.owns(holder.get())) {
                    return "the name " + service.name() + " is taken by a container Redock does not manage ("
                            + holder.get().shortId() + ")";
                }
                engine.removeWithOwnVolumes(holder.get().id());
            }
            engine.rename(old.id(), service.name());
        }
        if (j.oldRestart() != null && !RestartPolicy.NO.toString().equals(j.oldRestart())) {
            engine.setRestartPolicy(old.id(), RestartPolicy.parse(j.oldRestart()));
        }
        if (j.oldRunning() && !old.state().running()) {
            engine.start(old.id());
            ReadyResult back = engine.awaitReady(old.id(), policy.readyTimeout(), Duration.ZERO);
            if (!back.ready()) {
                return "the previous container did not come back: " + back.reason();
            }
        }
        return null;
    }

    /** After a committed swap cut short: the new container runs (an engine restart may have stopped it). */
    private void ensureRunning(Service service) throws EngineException {
        Optional<ContainerInfo> now = current(service);
        if (now.isPresent() && !now.get().state().running()) {
            engine.start(now.get().id());
        }
    }

    /** The container that is the service now: its name, carrying its label. */
    Optional<ContainerInfo> current(Service service) throws EngineException {
        return engine.inspect(service.name()).filter(service::owns);
    }

    /** Only for what Redock itself made: a container left under a temporary name always carries the label. */
    private static boolean isOurs(ContainerInfo c, UUID serviceId) {
        return serviceId.toString().equals(c.labels().get(Labels.SERVICE));
    }

    /**
     * Removes a container left behind by a swap or a launch cut short (under a temporary name, or the name a launch wanted),
     * with the anonymous volumes made for it alone; only if it is the service's.
     *
     * @return whether there was one
     */
    boolean removeIfOurs(String nameOrId, UUID serviceId) throws EngineException {
        Optional<ContainerInfo> leftover = engine.inspect(nameOrId);
        if (leftover.isPresent() && isOurs(leftover.get(), serviceId)) {
            engine.removeWithOwnVolumes(leftover.get().id());
            return true;
        }
        return false;
    }

    private JournalEntry journal(long deployment) {
        return journal.entry(deployment).orElseThrow(() -> new IllegalStateException("deployment " + deployment + " is gone"));
    }

    private String logTail(String containerId) {
        try {
            List<String> lines = engine.logTail(containerId, LOG_LINES_IN_ERRORS);
            return lines.isEmpty() ? "" : "; its last output: " + String.join(" | ", lines);
        } catch (EngineException | RuntimeException e) {
            return "";
        }
    }

    static void quietly(EngineAction action) {
        try {
            action.run();
        } catch (EngineException | RuntimeException e) {
            LOG.debug("Ignored while cleaning up: {}", e.getMessage());
        }
    }

    @FunctionalInterface
    interface EngineAction {
        void run() throws EngineException;
    }
}
