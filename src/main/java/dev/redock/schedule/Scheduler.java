package dev.redock.schedule;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.redock.deploy.DeployQueue;
import dev.redock.deploy.Deployer;
import dev.redock.engine.Engines;
import dev.redock.git.GitException;
import dev.redock.git.GitRemotes;
import dev.redock.model.DeployResult;
import dev.redock.model.EngineStatus;
import dev.redock.model.GitSource;
import dev.redock.model.ImageRef;
import dev.redock.model.Outcome;
import dev.redock.model.PollStatus;
import dev.redock.model.Service;
import dev.redock.model.Trigger;
import dev.redock.registry.RegistryBackoff;
import dev.redock.registry.RegistryClient;
import dev.redock.registry.RegistryException;
import dev.redock.store.ServiceStore;

/**
 * Polls the tags of services whose autoredeploy is on and redeploys those whose tag moved; likewise the branches of
 * services built from source, redeploying those whose branch has a new commit.
 *
 * <p>Each cycle reads the services afresh from the database (so a change made by the CLI or another window is followed
 * at the next cycle), asks the registry once per distinct (registry, repository, tag) however many services follow it,
 * and skips registries that are backing off after errors. Git branches are read the same way: one {@code ls-remote} per
 * distinct (remote, branch), none while the remote's host backs off. Distinct registries and git hosts are checked side
 * by side, a few at a time, each one's requests one after another; every request is bounded in time by its client, so a
 * remote that stalls holds up neither the others' checks nor, beyond its own deadline, the next cycle. Only checks run
 * here: the deployments a cycle asks for run on the {@link DeployQueue}, as every other request does, so a slow pull or
 * build never delays the next poll, and one asked for while the service deploys becomes that deployment's follow-up.
 *
 * <p>Every cycle also finishes deployments left unfinished (by a process that stopped, or an engine that went away) and
 * runs follow-ups nobody is left to run. A version whose deployment failed for a passing reason (the engine, the network,
 * a full disk) is retried at later cycles with a growing delay, and the service's status says why.
 */
public final class Scheduler implements PollStatus, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Scheduler.class);
    /** How many registries and git hosts are checked at once; each one's own requests go one at a time. */
    static final int CHECKERS = 4;

    private final ServiceStore services;
    private final RegistryClient registry;
    private final RegistryBackoff backoff;
    private final Deployer deployer;
    private final Clock clock;
    private final Supplier<Duration> interval;
    private final ScheduledExecutorService timer;
    private final DeployQueue queue;
    /** Services whose last deployment failed for a passing reason: retried with a growing delay. */
    private final RegistryBackoff retries = new RegistryBackoff();
    /** Checks distinct registries and git hosts side by side: a stalled one holds one of these threads, not the cycle. */
    private final ExecutorService checkers;
    private final Map<String, String> tagProblems = new ConcurrentHashMap<>();
    /** Why a new version a poll found could not be fetched, by service, until a poll deploys or settles it. */
    private final Map<java.util.UUID, String> fetchProblems = new ConcurrentHashMap<>();
    private final GitRemotes gitRemotes;
    private final Engines engines;
    private final Consumer<String> onEngineBack;
    /** The engines that did not answer at the last cycle, with why. */
    private final Map<String, String> enginesDown = new ConcurrentHashMap<>();
    private final RegistryBackoff gitBackoff;
    /** Heads a deployment found nothing to do for (e.g. outside the path filters), by service: not handed over again. */
    private final Map<java.util.UUID, String> settledHeads = new ConcurrentHashMap<>();
    private volatile ScheduledFuture<?> next;
    private volatile Instant nextPoll;
    private final Object pauseLock = new Object();
    private volatile boolean paused;
    /** How many times this process set the pause: a stored value read before the latest change is not taken. */
    private long pauseChanges;
    private volatile java.util.function.BooleanSupplier pauseSource;

    /**
     * @param gitRemotes   reads branch heads for services built from source; null to leave them alone
     * @param gitBackoff   backoff per git host (its own, apart from the registries')
     * @param engines      the engines services run on, asked at each cycle whether they answer
     * @param onEngineBack told the name of an engine that answers again after it did not (to reconcile its services)
     * @param interval     read before each wait, so a changed setting takes effect at the next cycle
     */
    public Scheduler(ServiceStore services, RegistryClient registry, RegistryBackoff backoff, GitRemotes gitRemotes,
                     RegistryBackoff gitBackoff, Deployer deployer, DeployQueue queue, Engines engines,
                     Consumer<String> onEngineBack, Clock clock, Supplier<Duration> interval) {
        this.engines = engines;
        this.onEngineBack = onEngineBack;
        this.gitRemotes = gitRemotes;
        this.gitBackoff = gitBackoff == null ? new RegistryBackoff() : gitBackoff;
        this.services = services;
        this.registry = registry;
        this.backoff = backoff;
        this.deployer = deployer;
        this.clock = clock;
        this.interval = interval;
        this.queue = queue;
        this.timer = Executors.newSingleThreadScheduledExecutor(daemon("redock-scheduler"));
        this.checkers = Executors.newFixedThreadPool(CHECKERS, daemon("redock-check"));
    }

    /** Starts polling: the first cycle at once, then one every interval. */
    public synchronized void start() {
        if (next == null) {
            schedule(Duration.ZERO);
        }
    }

    /**
     * Where the pause of all autoredeploys is kept, read at the start of every cycle (so a pause set by another process
     * on the data folder is followed too). Reading it may touch the database: it is only read on the scheduler's thread.
     */
    public void followPause(java.util.function.BooleanSupplier source) {
        this.pauseSource = source;
    }

    /** Pauses every autoredeploy (polls stop) until resumed; the caller also stores it where {@link #followPause} reads. */
    public void setPaused(boolean paused) {
        synchronized (pauseLock) {
            pauseChanges++;
            this.paused = paused;
        }
    }

    @Override
    public boolean isPaused() {
        return paused;
    }

    /** When the next cycle runs, or null when not started. */
    @Override
    public Instant nextPoll() {
        return nextPoll;
    }

    /**
     * Why a service's tag (or branch) could not be checked at the last cycle, or why the new version it found could not
     * be fetched, if either.
     */
    @Override
    public Optional<String> problem(Service service) {
        String check = tagProblems.get(service.git() != null ? service.git().key() : service.image().tagKey());
        return Optional.ofNullable(check != null ? check : fetchProblems.get(service.id()));
    }

    private synchronized void schedule(Duration delay) {
        if (timer.isShutdown()) {
            return;
        }
        nextPoll = clock.instant().plus(delay);
        next = timer.schedule(this::cycle, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void cycle() {
        try {
            if (!pausedNow()) {
                pollOnce();
            }
        } catch (RuntimeException e) {
            LOG.error("A poll cycle failed", e);
        } finally {
            schedule(interval.get());
        }
    }

    /**
     * The pause as stored, where {@link #followPause} says; but a {@link #setPaused} made while it was being read wins, so
     * a pause the user just asked for is never undone by an older read.
     */
    private boolean pausedNow() {
        java.util.function.BooleanSupplier source = pauseSource;
        if (source == null) {
            return paused;
        }
        long changesBefore;
        synchronized (pauseLock) {
            changesBefore = pauseChanges;
        }
        boolean stored = source.getAsBoolean();
        synchronized (pauseLock) {
            if (pauseChanges == changesBefore) {
                paused = stored;
            }
            return paused;
        }
    }

    /**
     * One poll cycle: one registry request per distinct tag and one {@code ls-remote} per distinct branch, then a
     * deployment for every service whose tag or branch moved. Each registry and each git host is checked on its own
     * thread, its tags one after another, so a registry that stalls delays none of the others. Its requests are bounded by
     * the client's deadline and a stall makes it back off, its other tags waiting for a later cycle: it costs the cycle one
     * deadline. Returns what it did, for the agent's console and for tests.
     */
    public CycleReport pollOnce() {
        Instant now = clock.instant();
        List<Service> all = services.all();
        checkEngines(all);
        recoverLeftovers(all);
        Map<String, Map<String, List<Service>>> tagsByRegistry = new LinkedHashMap<>();
        Map<String, Map<String, List<Service>>> branchesByHost = new LinkedHashMap<>();
        for (Service s : all) {
            if (!s.autoredeploy()) {
                continue;
            }
            String down = enginesDown.get(s.engine());
            if (down != null) {
                // Nothing is deployed on an engine that does not answer; once it does, the next cycle catches up.
                fetchProblems.put(s.id(), "engine \"" + s.engine() + "\" unreachable: " + down
                        + "; nothing is deployed there until it answers");
                continue;
            }
            if (s.git() != null) {
                if (gitRemotes != null) {
                    branchesByHost.computeIfAbsent(GitRemotes.hostKey(s.git().url()), k -> new LinkedHashMap<>())
                            .computeIfAbsent(s.git().key(), k -> new ArrayList<>()).add(s);
                }
            } else if (s.image().digest() == null) {
                tagsByRegistry.computeIfAbsent(s.image().registry(), k -> new LinkedHashMap<>())
                        .computeIfAbsent(s.image().tagKey(), k -> new ArrayList<>()).add(s);
            }
        }
        List<Callable<Checks>> remotes = new ArrayList<>();
        tagsByRegistry.values().forEach(tags -> remotes.add(() -> checkTags(tags, now)));
        branchesByHost.forEach((host, branches) -> remotes.add(() -> checkBranches(host, branches, now)));
        Checks done = Checks.of(runSideBySide(remotes));
        return new CycleReport(now, done.checked(), done.skipped(), done.moved().stream().map(Service::name).toList());
    }

    /** Runs the checks of each remote on the checkers' threads and waits for all; what an interruption cut short is left out. */
    private List<Checks> runSideBySide(List<Callable<Checks>> remotes) {
        List<Checks> done = new ArrayList<>();
        try {
            for (Future<Checks> f : checkers.invokeAll(remotes)) {
                done.add(f.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            throw new IllegalStateException("a check failed unexpectedly", e.getCause());
        }
        return done;
    }

    /** One registry request per distinct tag of one registry, one after another; none while the registry backs off. */
    private Checks checkTags(Map<String, List<Service>> byTag, Instant now) {
        Checks checks = new Checks();
        Map<java.util.UUID, String> movedTo = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, List<Service>> group : byTag.entrySet()) {
            ImageRef ref = group.getValue().get(0).image();
            if (!backoff.mayCall(ref.registry(), now)) {
                checks.skipped().add(group.getKey());
                continue;
            }
            String digest;
            try {
                digest = registry.digest(ref).digest();
                backoff.success(ref.registry());
                tagProblems.remove(group.getKey());
                checks.checked().add(group.getKey());
            } catch (RegistryException e) {
                Duration wait = backoff.failure(ref.registry(), e, now);
                tagProblems.put(group.getKey(), e.getMessage());
                if (wait.isZero()) {
                    LOG.warn("Cannot check {}: {}", group.getKey(), e.getMessage());
                } else {
                    LOG.warn("Cannot check {}: {}; next try in {} s", group.getKey(), e.getMessage(), wait.toSeconds());
                }
                continue;
            }
            for (Service s : group.getValue()) {
                if (!digest.equals(s.digest())) {
                    checks.moved().add(s);
                    movedTo.put(s.id(), digest);
                } else {
                    fetchProblems.remove(s.id());
                }
            }
        }
        queue.submitInTurn(checks.moved(), Trigger.REGISTRY_POLL, movedTo,
                s -> retries.mayCall(s.id().toString(), clock.instant()),
                (s, r) -> heard(s, movedTo.get(s.id()), Trigger.REGISTRY_POLL, r));
        return checks;
    }

    /**
     * One {@code ls-remote} per distinct (remote, branch) of one git host, one after another; none while the host backs
     * off. A deployment for every service whose branch has a new commit.
     */
    private Checks checkBranches(String host, Map<String, List<Service>> byBranch, Instant now) {
        Checks checks = new Checks();
        for (Map.Entry<String, List<Service>> group : byBranch.entrySet()) {
            GitSource source = group.getValue().get(0).git();
            if (!gitBackoff.mayCall(host, now)) {
                checks.skipped().add(source.describe());
                continue;
            }
            String head;
            try {
                head = gitRemotes.head(source.url(), source.branch());
                gitBackoff.success(host);
                tagProblems.remove(group.getKey());
                checks.checked().add(source.describe());
            } catch (GitException e) {
                tagProblems.put(group.getKey(), e.getMessage());
                if (e.affectsRemote()) {
                    Duration wait = gitBackoff.failure(host, e.getMessage(), now);
                    LOG.warn("Cannot check {}: {}; next try in {} s", source.describe(), e.getMessage(), wait.toSeconds());
                } else {
                    LOG.warn("Cannot check {}: {}", source.describe(), e.getMessage());
                }
                continue;
            }
            for (Service s : group.getValue()) {
                if (!head.equals(s.commit()) && !head.equals(settledHeads.get(s.id()))) {
                    checks.moved().add(s);
                    submit(s, head, Trigger.GIT_POLL);
                } else {
                    fetchProblems.remove(s.id());
                }
            }
        }
        return checks;
    }

    /**
     * Hands the deployments left unfinished, and the follow-ups nobody is left to run, to the queue. Each runs under its
     * service's lock, so a deployment a live process is running is left alone.
     */
    private void recoverLeftovers(List<Service> all) {
        java.util.Set<java.util.UUID> ids = new java.util.LinkedHashSet<>(deployer.abandoned());
        ids.addAll(deployer.orphanedFollowUps());
        // What waits for an engine that does not answer waits on: it is recovered once the engine is back.
        all.stream().filter(s -> enginesDown.containsKey(s.engine())).forEach(s -> ids.remove(s.id()));
        for (java.util.UUID id : ids) {
            queue.recover(id).thenAccept(r -> r.ifPresent(done -> LOG.info("Recovered {}: {}", id, done.message())));
        }
    }

    /**
     * Asks each engine that services run on whether it answers, side by side. The services of one that does not are left
     * alone this cycle (and say why); one that answers again after it did not has its services reconciled, as at start.
     */
    private void checkEngines(List<Service> all) {
        List<String> used = all.stream().map(Service::engine).distinct().toList();
        for (EngineStatus status : engines.probe(used)) {
            String name = status.name();
            if (!status.reachable()) {
                if (enginesDown.put(name, status.problem()) == null) {
                    LOG.warn("Engine {} does not answer: {}; its services wait until it does", name, status.problem());
                }
            } else if (enginesDown.remove(name) != null) {
                LOG.info("Engine {} answers again; reconciling its services", name);
                all.stream().filter(s -> s.engine().equals(name)).forEach(s -> fetchProblems.remove(s.id()));
                onEngineBack.accept(name);
            }
        }
    }

    /** Asks the queue to deploy the version a check saw, unless the service's retries after a passing failure wait. */
    private void submit(Service s, String version, Trigger trigger) {
        if (!retries.mayCall(s.id().toString(), clock.instant())) {
            return;
        }
        queue.submit(s.id(), trigger, version).thenAccept(r -> heard(s, version, trigger, r));
    }

    /** What a deployment the scheduler asked for came to, for the service's status and the next cycles. */
    private void heard(Service s, String version, Trigger trigger, DeployResult r) {
        if (trigger == Trigger.GIT_POLL && r.kind() == DeployResult.Kind.UNCHANGED) {
            settledHeads.put(s.id(), version);
        }
        noteRetry(s, r);
        switch (r.kind()) {
            // The service's status says why until a poll gets the version through; the next poll tries again.
            case POSTPONED -> fetchProblems.put(s.id(), r.message());
            case DEPLOYED -> {
                if (retries.status(s.id().toString()).isEmpty()) {
                    fetchProblems.remove(s.id());
                }
            }
            case UNCHANGED -> fetchProblems.remove(s.id());
            case QUEUED -> { }
        }
        if (r.kind() != DeployResult.Kind.DEPLOYED) {
            LOG.debug("{}: {}", s.name(), r.message());
        }
    }

    /**
     * A deployment that failed for a passing reason (it did not get to judge its version) is retried at a later cycle,
     * each time a little later; a deployment that judged its version (or succeeded) ends the retries.
     */
    private void noteRetry(Service s, DeployResult r) {
        if (r.kind() != DeployResult.Kind.DEPLOYED || r.deployment() == null) {
            return;
        }
        var d = r.deployment();
        boolean passingFailure = d.outcome() != Outcome.SUCCEEDED && !d.versionTried();
        if (passingFailure) {
            Duration wait = retries.failure(s.id().toString(), d.error(), clock.instant());
            fetchProblems.put(s.id(), "the last deployment failed for a passing reason; next try in "
                    + Math.max(1, wait.toSeconds()) + " s: " + d.error());
        } else {
            retries.success(s.id().toString());
        }
    }

    /** Stops polling. Deployments under way are the queue's: it drains them when Redock closes. */
    @Override
    public void close() {
        timer.shutdownNow();
        checkers.shutdownNow();
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** What the checks of one remote found: tags or branches read, left alone while backing off, services that moved. */
    private record Checks(List<String> checked, List<String> skipped, List<Service> moved) {
        Checks() {
            this(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        }

        /** All of them, in order. */
        static Checks of(List<Checks> parts) {
            Checks all = new Checks();
            for (Checks part : parts) {
                all.checked().addAll(part.checked());
                all.skipped().addAll(part.skipped());
                all.moved().addAll(part.moved());
            }
            return all;
        }
    }

    /**
     * What one cycle did.
     *
     * @param checkedTags the tags (and git branches, as {@code git:<url>#<branch>}) that were read
     * @param backingOff  those left alone because their registry or git host is backing off
     * @param redeploying the services handed to the deployer
     */
    public record CycleReport(Instant at, List<String> checkedTags, List<String> backingOff, List<String> redeploying) {
    }
}
