package dev.redock.deploy;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.redock.engine.Engines;
import dev.redock.engine.EngineException;
import dev.redock.model.BuildProgress;
import dev.redock.model.CommitInfo;
import dev.redock.model.DeployEvents;
import dev.redock.model.DeployPhase;
import dev.redock.model.DeployResult;
import dev.redock.model.Deployment;
import dev.redock.model.ImageRef;
import dev.redock.model.JournalEntry;
import dev.redock.model.Labels;
import dev.redock.model.Outcome;
import dev.redock.model.PullProgress;
import dev.redock.model.Service;
import dev.redock.model.Trigger;
import dev.redock.store.Database;
import dev.redock.store.DeploymentStore;
import dev.redock.store.LaunchJournal;
import dev.redock.store.ServiceStore;

/**
 * Redeploys a service: asks its {@link ReleaseSource} for the newest version and has it made ready (an image pulled by
 * digest, or a branch's new commit fetched and built), replaces the container with one made from the same spec, waits
 * until it runs (and is healthy), and rolls back to the old container if it does not. Every kind of source goes through
 * the same steps and the same {@link ContainerSwap}; only the source's own answers differ. New services are launched the
 * same way ({@link Launcher}).
 *
 * <p>Every step that touches the engine is written to the deployment's journal first, so a deployment cut short (a killed
 * process, an engine that went away) is finished or undone by {@link #recoverUnfinished}: at the next start of any Redock
 * process, at every poll, and before the service's next deployment. At most one deployment of a service runs at a time,
 * across every process on the data folder ({@link DeploymentLock}); requests that arrive meanwhile fold into one
 * follow-up, which keeps the strongest intent and is never dropped.
 *
 * <p>A stopping Redock ({@link #beginStop}) cuts short only deployments that have not touched the engine yet (still
 * pulling or building); one that is swapping containers runs to its end. Nothing is ever rolled back because Redock stopped.
 */
public final class Deployer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Deployer.class);
    static final String PROCESS_STOPPED = "the process deploying it stopped";

    private final Database db;
    private final ServiceStore services;
    private final DeploymentStore deployments;
    private final Engines engines;
    private final List<ReleaseSource> sources;
    private final DeployEvents events;
    private final DeployPolicy policy;
    private final Clock clock;
    private final DeploymentLock lock;
    private final Failpoints failpoints;
    private final DeploymentJournal journal;
    private final Launcher launcher;
    private final ComposeProjects compose;
    /** The services this process is deploying now, with their names. */
    private final Map<UUID, String> running = new ConcurrentHashMap<>();
    /** The deployments this process runs now, by service: the version each one deploys (once known) and its end. */
    private final Map<UUID, InFlight> inFlight = new ConcurrentHashMap<>();
    /** The threads of deployments that have not touched the engine yet, which a stop may cut short. */
    private final Map<UUID, Thread> preparing = new ConcurrentHashMap<>();
    /**
     * Previous containers whose removal the engine refused once their replacement went live (an overlay file system still
     * busy, under load), by service: removed at the next recovery pass instead of staying beside the new one.
     */
    private final Map<UUID, JournalEntry> leftovers = new ConcurrentHashMap<>();
    private final Object stopLock = new Object();
    private volatile boolean stopping;

    /** @param sources where services' versions come from: each service is served by the first that serves it */
    public Deployer(Database db, ServiceStore services, DeploymentStore deployments, Engines engines,
                    List<ReleaseSource> sources, DeployEvents events, DeployPolicy policy, Clock clock, Failpoints failpoints) {
        this.db = db;
        this.services = services;
        this.deployments = deployments;
        this.engines = engines;
        this.sources = List.copyOf(sources);
        this.events = events;
        this.policy = policy;
        this.clock = clock;
        this.failpoints = failpoints;
        this.lock = new DeploymentLock(services, clock, policy.lockLease());
        this.journal = new DeploymentJournal(deployments, new LaunchJournal(db), lock.owner(), clock);
        this.compose = new ComposeProjects(engines);
        this.launcher = new Launcher(db, services, journal, engines, this.sources, this::swapOn, policy, clock);
    }

    /** The container steps on the engine of this name. */
    private ContainerSwap swapOn(String engine) throws EngineException {
        return new ContainerSwap(engines.of(engine), journal, policy, failpoints);
    }

    /** What redeploys of compose projects' services need of compose. */
    public ComposeProjects compose() {
        return compose;
    }

    /** Who this deployer is in the deployment lock and in history's records ({@code pid:start@host#n}). */
    public String owner() {
        return lock.owner();
    }

    public DeployPolicy policy() {
        return policy;
    }

    /** The deployment lock, for breaking one whose holder is stuck. */
    public DeploymentLock lock() {
        return lock;
    }

    /** Launches new services with the same sources, steps and journal as redeploys. */
    public Launcher launcher() {
        return launcher;
    }

    /**
     * Redeploys the service now, or queues one follow-up when a deployment of it is under way anywhere.
     *
     * @param knownDigest the digest the tag was just seen at (by a poll), or null to ask the registry; for a service
     *                    built from source, the commit the branch was just seen at, or null to ask the remote
     */
    public DeployResult redeploy(UUID serviceId, Trigger trigger, String knownDigest) {
        if (stopping) {
            services.requestFollowUp(serviceId, trigger);
            return new DeployResult(DeployResult.Kind.QUEUED, null, "Redock is stopping: its next start runs this redeploy");
        }
        if (!lock.acquire(serviceId)) {
            services.requestFollowUp(serviceId, trigger);
            // The holder may have let go between the two calls without seeing the request: try once more.
            if (!lock.acquire(serviceId)) {
                return new DeployResult(DeployResult.Kind.QUEUED, null, "a deployment is under way; this one follows it");
            }
        }
        // A follow-up asked for before this one got the lock folds into it, with the stronger intent of the two.
        Trigger first = trigger;
        String digest = knownDigest;
        Optional<Trigger> pending = services.takeFollowUp(serviceId);
        if (pending.isPresent() && Trigger.strongest(trigger, pending.get()) != trigger) {
            first = pending.get();
            digest = null;
        }
        return withLock(serviceId, first, digest);
    }

    /**
     * Finishes or undoes the service's deployments that were cut short, then runs a follow-up that was asked for meanwhile.
     * Does nothing while a live process holds the service's lock.
     */
    public Optional<DeployResult> recover(UUID serviceId) {
        if (stopping || !lock.acquire(serviceId)) {
            return Optional.empty();
        }
        return Optional.ofNullable(withLock(serviceId, services.takeFollowUp(serviceId).orElse(null), null));
    }

    /** Runs deployments of a service whose lock this process holds, then lets the lock go. */
    private DeployResult withLock(UUID serviceId, Trigger first, String knownDigest) {
        boolean held = true;
        try {
            DeployResult result = recoverLocked(serviceId, PROCESS_STOPPED);
            if (result != null && result.kind() == DeployResult.Kind.POSTPONED) {
                // The engine is still away: the new request waits for the next poll.
                if (first != null) {
                    services.requestFollowUp(serviceId, first);
                }
                lock.release(serviceId);
                held = false;
                return result;
            }
            Trigger next = first;
            String digest = knownDigest;
            while (next != null) {
                result = deployOnce(serviceId, next, digest);
                if (result.kind() == DeployResult.Kind.POSTPONED && result.deployment() != null || stopping) {
                    // Left for recovery, or Redock is stopping: whatever was asked for meanwhile stays asked for.
                    lock.release(serviceId);
                    held = false;
                    return result;
                }
                next = lock.releaseOrTakeFollowUp(serviceId).orElse(null);
                held = next != null;
                digest = null; // a follow-up asks the registry afresh
                if (next != null) {
                    LOG.info("Running the follow-up deployment that was asked for meanwhile ({})", next.label());
                }
            }
            if (held) {
                lock.release(serviceId);
                held = false;
            }
            return result;
        } catch (RuntimeException e) {
            if (held) {
                lock.release(serviceId);
            }
            throw e;
        }
    }

    // ------------------------------------------------------------------------------------------------------- recovery

    /**
     * Drives every deployment left unfinished (by a process that stopped, or by an engine that went away) to a safe end:
     * the new version running and healthy, or the previous one running again. Deployments a live process is running are
     * left to it. Follow-ups are not run here: {@link #recover} runs them.
     *
     * @return what was done, a line per deployment, for the user
     */
    public List<String> recoverUnfinished() {
        List<String> done = new ArrayList<>(removeLeftovers());
        for (UUID serviceId : abandoned()) {
            if (stopping || !lock.acquire(serviceId)) {
                continue;
            }
            try {
                DeployResult r = recoverLocked(serviceId, PROCESS_STOPPED);
                if (r != null) {
                    done.add(r.message());
                }
            } finally {
                lock.release(serviceId);
            }
        }
        return done;
    }

    /** The services with a deployment left unfinished that no live process is running. */
    public List<UUID> abandoned() {
        java.util.Set<UUID> ids = new java.util.LinkedHashSet<>();
        for (JournalEntry j : journal.unfinished()) {
            UUID id = j.serviceId();
            boolean mine = j.owner() != null && j.owner().equals(owner()) && running.containsKey(id);
            if (!mine && !lock.heldByAnotherLiveProcess(id)) {
                ids.add(id);
            }
        }
        return List.copyOf(ids);
    }

    /** The services with a follow-up asked for that nobody is left to run (its asker stopped): for a long-lived process. */
    public List<UUID> orphanedFollowUps() {
        return services.orphanedFollowUps();
    }

    /**
     * Finishes the service's unfinished deployments, with its lock held.
     *
     * @return the last one's result: POSTPONED when the engine is still away; null when there was none
     */
    private DeployResult recoverLocked(UUID serviceId, String why) {
        DeployResult last = null;
        for (JournalEntry j : journal.unfinished()) {
            if (!j.serviceId().equals(serviceId)) {
                continue;
            }
            Optional<Service> found = services.find(serviceId);
            if (found.isEmpty()) {
                return null;
            }
            Service service = found.get();
            Deployment d = j.deployment();
            LOG.warn("Recovering {}'s deployment {} left at {} by {}", service.name(), d.id(), j.phase().step(), j.owner());
            ContainerSwap.Result r;
            try {
                r = swapOn(service.engine()).resume(service, j, j.owner() != null && j.owner().equals(owner()) ? "the engine went away" : why);
            } catch (EngineException e) {
                LOG.warn("Cannot recover {}'s deployment {} yet: {}", service.name(), d.id(), e.getMessage());
                return new DeployResult(DeployResult.Kind.POSTPONED, d, service.name()
                        + ": a deployment cut short waits for the engine: " + e.getMessage());
            }
            Release release = j.releaseImage() == null ? null
                    : new Release(ImageRef.parse(j.releaseImage()), d.newDigest(), d.commit());
            last = r.live() && release != null
                    ? commit(service, d, release, r.error())
                    : finish(service, d, r.outcome() == Outcome.SUCCEEDED ? Outcome.FAILED : r.outcome(), r.error(), release,
                            r.trial());
        }
        return last;
    }

    // ----------------------------------------------------------------------------------------------------------- stop

    /**
     * Redock is stopping: no deployment starts from now on (requests are kept as follow-ups for the next start), and those
     * still pulling or building are cut short. Those swapping containers go on to their end.
     */
    public void beginStop() {
        synchronized (stopLock) {
            stopping = true;
            preparing.values().forEach(Thread::interrupt);
        }
    }

    public boolean stopping() {
        return stopping;
    }

    /** The names of the services this process is deploying now. */
    public List<String> deploying() {
        return List.copyOf(running.values());
    }

    /** Marks the calling thread as preparing a deployment of the service: a stop may interrupt it. */
    private void preparing(UUID serviceId) {
        synchronized (stopLock) {
            if (!stopping) {
                preparing.put(serviceId, Thread.currentThread());
            }
        }
    }

    /**
     * Leaves the preparing stage for the swap: from here on nothing interrupts the deployment. False when Redock began
     * stopping first.
     */
    private boolean enterSwap(UUID serviceId) {
        synchronized (stopLock) {
            preparing.remove(serviceId);
            Thread.interrupted(); // a stop's interrupt that came after the last wait is not for the swap
            return !stopping;
        }
    }

    @Override
    public void close() {
        lock.close();
    }

    /**
     * A deployment this process runs, for those who ask for the same version meanwhile to wait for it rather than to
     * follow it with one of their own.
     *
     * @param version the version it deploys (a digest, or a commit), or null until its source has named it
     * @param result  how it ends
     */
    private record InFlight(String version, CompletableFuture<DeployResult> result) {
    }

    /**
     * How the deployment of the service that this process is running now ends, if it deploys exactly {@code version}: a
     * request for that version has nothing to add to it. Empty when none runs, or it deploys another version, or it has
     * not named its version yet.
     */
    public Optional<CompletableFuture<DeployResult>> deploymentOf(UUID serviceId, String version) {
        InFlight f = inFlight.get(serviceId);
        return f != null && version != null && version.equals(f.version()) ? Optional.of(f.result()) : Optional.empty();
    }

    /** One deployment, with the lock held. */
    private DeployResult deployOnce(UUID serviceId, Trigger trigger, String knownVersion) {
        Optional<Service> found = services.find(serviceId);
        if (found.isEmpty()) {
            return new DeployResult(DeployResult.Kind.UNCHANGED, null, "the service no longer exists");
        }
        Service service = found.get();
        running.put(serviceId, service.name());
        CompletableFuture<DeployResult> end = new CompletableFuture<>();
        inFlight.put(serviceId, new InFlight(null, end));
        preparing(serviceId);
        try {
            DeployResult result = deploy(service, trigger, knownVersion);
            inFlight.remove(serviceId);
            end.complete(result);
            return result;
        } catch (RuntimeException e) {
            inFlight.remove(serviceId);
            end.completeExceptionally(e);
            throw e;
        } finally {
            synchronized (stopLock) {
                preparing.remove(serviceId);
            }
            running.remove(serviceId);
        }
    }

    /** The service's deployment under way deploys this version (requests for it join it from now on). */
    private void announce(Service service, Candidate candidate) {
        inFlight.computeIfPresent(service.id(), (id, f) -> new InFlight(candidate.version(), f.result()));
    }

    /** What history says of a deployment that a stopping Redock cut short before it touched the engine. */
    private DeployResult stoppedBeforeSwap(Service service, Deployment d, Release release) {
        return finish(service, d, Outcome.INTERRUPTED, "interrupted: Redock stopped before the deployment changed anything",
                release, Trial.NOT_TRIED);
    }

    /**
     * The service's newest version (or the one a poll just saw), made ready by its source and put live. A poll deploys
     * only a version the service does not run yet, that has not failed before, and that its source can fetch: one whose
     * registry or remote fails half way records nothing, and the next poll asks again.
     */
    private DeployResult deploy(Service service, Trigger trigger, String knownVersion) {
        ReleaseSource source = ReleaseSource.of(sources, service);
        boolean poll = trigger.isPoll();
        Candidate candidate;
        try {
            candidate = source.candidate(knownVersion != null ? knownVersion : source.latest(service, ReleaseProgress.NONE));
        } catch (ReleaseException e) {
            if (poll) {
                return new DeployResult(DeployResult.Kind.UNCHANGED, null, e.reason());
            }
            return notTried(service, record(service, trigger, Candidate.UNKNOWN), e.getMessage());
        }
        announce(service, candidate);
        if (poll) {
            Optional<String> settled = settled(service, candidate);
            if (settled.isPresent()) {
                return new DeployResult(DeployResult.Kind.UNCHANGED, null, settled.get());
            }
        }
        try {
            candidate = poll ? source.fetch(service, candidate, ReleaseProgress.NONE)
                    : source.identify(service, candidate, ReleaseProgress.NONE);
        } catch (ReleaseException e) {
            if (poll && e.passing()) {
                return postponed(service, e.getMessage());
            }
            return notTried(service, record(service, trigger, candidate), e.getMessage());
        }
        if (poll) {
            Optional<String> unchanged = source.whyUnchanged(service, candidate);
            if (unchanged.isPresent()) {
                return new DeployResult(DeployResult.Kind.UNCHANGED, null, unchanged.get());
            }
        }

        Deployment d = record(service, trigger, candidate);
        LOG.info("Deploying {} ({}): {} -> {}", service.name(), trigger.label(), running(service), candidate.describe());
        try {
            Release release;
            try {
                release = source.prepare(service, candidate, ReleaseProgress.of(PullProgress.NONE, buildEvents(service, d)));
            } catch (ReleaseException e) {
                if (stopping) {
                    return stoppedBeforeSwap(service, d, null);
                }
                return finish(service, d, Outcome.FAILED, e.getMessage(), null, Trial.of(!e.passing()));
            }
            if (!enterSwap(service.id())) {
                return stoppedBeforeSwap(service, d, release);
            }
            return replace(service, d, release);
        } catch (RuntimeException e) {
            LOG.error("Deployment of {} failed unexpectedly", service.name(), e);
            return finish(service, d, Outcome.FAILED, "unexpected error: " + e, null, Trial.NOT_TRIED);
        }
    }

    /**
     * Why a poll leaves the version alone: the service runs it already, or it did not come up before (the next push or
     * commit decides, or a user).
     */
    private Optional<String> settled(Service service, Candidate candidate) {
        if (candidate.runBy(service)) {
            return Optional.of("already runs " + candidate.describe());
        }
        Optional<Deployment> last = deployments.latest(service.id());
        if (last.isPresent() && candidate.triedBy(last.get()) && blocksPolling(last.get())) {
            return Optional.of(candidate.shortly() + " " + last.get().outcome().label() + " before; "
                    + candidate.waitingFor());
        }
        return Optional.empty();
    }

    /** The version the service runs, as the log names it. */
    private static String running(Service service) {
        return service.fromGit() ? CommitInfo.shortSha(service.commit()) : service.digest();
    }

    /**
     * Whether a deployment that did not succeed keeps polls from trying its version again. A version that was built or
     * started and did not come up does; one that never arrived (its pull or fetch failed) was not tried, so it does not.
     */
    private static boolean blocksPolling(Deployment last) {
        return last.outcome() != Outcome.SUCCEEDED && last.outcome() != Outcome.RUNNING && last.versionTried();
    }

    private static DeployResult postponed(Service service, String reason) {
        LOG.warn("{}: {}; the next poll tries again", service.name(), reason);
        return new DeployResult(DeployResult.Kind.POSTPONED, null, reason);
    }

    /** Hands a deployment's build output to the observers, with the builder's step. */
    private BuildProgress buildEvents(Service service, Deployment d) {
        return new BuildProgress() {
            private volatile int step;
            private volatile int total;

            @Override
            public void line(String text) {
                events.buildOutput(service, d, text, step, total);
            }

            @Override
            public void step(int step, int total) {
                this.step = step;
                this.total = total;
            }
        };
    }

    private Deployment record(Service service, Trigger trigger, Candidate candidate) {
        Deployment d = journal.begin(service, trigger, candidate.digest(), candidate.commit());
        events.deploymentStarted(service, d);
        return d;
    }

    /** Puts the release live in place of the service's container, or leaves the old one running. */
    private DeployResult replace(Service service, Deployment d, Release release) {
        journal.versionKnown(d.id(), release.digest());
        ContainerSwap.Result r;
        try {
            Map<String, String> labels = redockLabels(service, release.digest(), release.commit());
            labels.putAll(compose.labelsFor(service));
            r = swapOn(service.engine()).swap(service, d.id(), release.runAs(), labels);
        } catch (EngineException e) {
            r = ContainerSwap.Result.failed("cannot reach the engine: " + e.getMessage(), Trial.NOT_TRIED);
        }
        if (r.unfinishedForRecovery()) {
            LOG.warn("Deployment of {} left for recovery: {}", service.name(), r.error());
            return new DeployResult(DeployResult.Kind.POSTPONED, d, service.name() + ": " + r.error()
                    + "; Redock finishes the deployment at its next poll or start, once the engine lets it");
        }
        if (r.live()) {
            return commit(service, d, release, r.error());
        }
        String error = r.error();
        if (r.outcome() == Outcome.ROLLED_BACK) {
            error += " (rolled back to " + previous(service) + ")";
        }
        return finish(service, d, r.outcome(), error, release, r.trial());
    }

    private static String previous(Service service) {
        if (service.fromGit()) {
            return service.commit() == null ? "the previous container" : CommitInfo.shortSha(service.commit());
        }
        return service.digest() == null ? "the previous container" : shortDigest(service.digest());
    }

    /**
     * The new version is the service's: recorded with the journal's commit in one transaction, then the previous container
     * is removed and the deployment finished.
     */
    private DeployResult commit(Service service, Deployment d, Release release, String note) {
        Instant now = clock.instant();
        db.inTransaction(c -> {
            journal.committed(c, d.id());
            setLive(c, service, release, now);
            return null;
        });
        failpoints.reached(DeployPhase.COMMITTED);
        journal.entry(d.id()).ifPresent(j -> removeOldOrLater(service, j));
        if (release.built() && !release.image().equals(service.image())) {
            // The image the previous commit was built into is no longer needed (kept if something else uses it).
            ContainerSwap.quietly(() -> engines.of(service.engine()).removeImage(service.image().nameWithTag()));
        }
        return finishLive(service, d, release, note);
    }

    /** Removes the previous container now, or at the next recovery pass when the engine refuses for now. */
    private boolean removeOldOrLater(Service service, JournalEntry j) {
        boolean gone;
        try {
            gone = swapOn(service.engine()).removeOld(service, j);
        } catch (EngineException e) {
            gone = false;
        }
        if (gone) {
            leftovers.remove(service.id());
        } else {
            leftovers.put(service.id(), j);
        }
        return gone;
    }

    /** Tries again to remove the previous containers that the engine refused to remove when their deployments ended. */
    private List<String> removeLeftovers() {
        List<String> done = new ArrayList<>();
        for (Map.Entry<UUID, JournalEntry> leftover : leftovers.entrySet()) {
            UUID id = leftover.getKey();
            if (stopping || !lock.acquire(id)) {
                continue;
            }
            try {
                Optional<Service> service = services.find(id);
                if (service.isEmpty()) {
                    leftovers.remove(id);
                } else if (removeOldOrLater(service.get(), leftover.getValue())) {
                    done.add(service.get().name() + ": the previous container, which the engine had refused to remove, is removed");
                }
            } finally {
                lock.release(id);
            }
        }
        return done;
    }

    private void setLive(java.sql.Connection c, Service service, Release release, Instant now) throws java.sql.SQLException {
        if (release.built()) {
            services.setBuild(c, service.id(), release.image(), release.digest(), release.commit().sha(), now);
        } else {
            services.setDigest(c, service.id(), release.digest(), now);
        }
    }

    /** Records a deployment that failed before it had its version (reading, pulling or fetching it): polls may try it again. */
    private DeployResult notTried(Service service, Deployment d, String error) {
        return finish(service, d, Outcome.FAILED, error, null, Trial.NOT_TRIED);
    }

    /**
     * Records how a deployment that put nothing live ended.
     *
     * @param release what it tried to put live, or null when it got no image; its digest goes into the history
     */
    private DeployResult finish(Service service, Deployment d, Outcome outcome, String error, Release release, Trial trial) {
        Instant now = clock.instant();
        db.inTransaction(c -> {
            journal.finished(c, d.id(), outcome, error, newDigest(d, release), trial, now);
            return null;
        });
        if (release != null && release.built() && !release.image().equals(service.image())) {
            // An image built for a commit that did not go live is not kept (unless something else uses it).
            ContainerSwap.quietly(() -> engines.of(service.engine()).removeImage(release.image().nameWithTag()));
        }
        return finished(service, d, outcome, error, release, trial, now);
    }

    /** Records a deployment whose release went live: the service runs it now. */
    private DeployResult finishLive(Service service, Deployment d, Release release, String note) {
        Instant now = clock.instant();
        db.inTransaction(c -> {
            journal.finished(c, d.id(), Outcome.SUCCEEDED, note, release.digest(), Trial.TRIED, now);
            setLive(c, service, release, now);
            return null;
        });
        return finished(release.runBy(service, now), d, Outcome.SUCCEEDED, note, release, Trial.TRIED, now);
    }

    private static String newDigest(Deployment d, Release release) {
        return release == null ? d.newDigest() : release.digest();
    }

    /** Tells the log, the observers and the caller how a recorded deployment ended. */
    private DeployResult finished(Service service, Deployment d, Outcome outcome, String error, Release release, Trial trial,
                                  Instant now) {
        String newDigest = newDigest(d, release);
        Deployment done = new Deployment(d.id(), d.serviceId(), d.trigger(), d.oldDigest(), newDigest, d.started(), now,
                outcome, error, d.commit(), trial.tried());
        String what = release != null ? release.describe() : shortDigest(newDigest);
        if (outcome == Outcome.SUCCEEDED) {
            LOG.info("Deployed {} at {}", service.name(), what);
        } else {
            LOG.warn("Deployment of {} {}: {}", service.name(), outcome.label(), error);
        }
        events.deploymentFinished(service, done);
        String message = switch (outcome) {
            case SUCCEEDED -> service.name() + " runs " + what + (error == null ? "" : " (" + error + ")");
            case ROLLED_BACK -> service.name() + " rolled back: " + error;
            case INTERRUPTED -> service.name() + " interrupted: " + error;
            default -> service.name() + " failed: " + error;
        };
        return new DeployResult(DeployResult.Kind.DEPLOYED, done, message);
    }

    /** Redock's labels for a service's container: the service, and the version it runs. */
    static Map<String, String> redockLabels(Service service, String digest, CommitInfo commit) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(Labels.SERVICE, service.id().toString());
        labels.put(Labels.SERVICE_NAME, service.name());
        if (digest != null) {
            labels.put(Labels.DIGEST, digest);
        }
        if (commit != null) {
            labels.put(Labels.COMMIT, commit.sha());
        }
        return labels;
    }

    public static String shortDigest(String digest) {
        return dev.redock.model.Digests.shortDigest(digest);
    }

}
