package dev.redock.schedule;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.redock.deploy.DeployQueue;
import dev.redock.deploy.Deployer;
import dev.redock.engine.ComposeProject;
import dev.redock.engine.Engines;
import dev.redock.git.GitException;
import dev.redock.git.GitRemotes;
import dev.redock.model.DeployResult;
import dev.redock.model.EngineStatus;
import dev.redock.model.GitSource;
import dev.redock.model.ImageRef;
import dev.redock.model.Outcome;
import dev.redock.model.PollStatus;
import dev.redock.model.RegistryBudget;
import dev.redock.model.Service;
import dev.redock.model.Trigger;
import dev.redock.registry.RateLimit;
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
 * distinct (remote, branch), none while the remote's host backs off. The checks go out side by side, a few at a time per
 * registry ({@link RegistryClient#MAX_IN_FLIGHT}) and per git host ({@link GitRemotes#MAX_IN_FLIGHT_PER_HOST}): a cycle
 * of hundreds of tags takes a fraction of an interval, and a remote that stalls or backs off holds only its own slots.
 * Every request is bounded in time by its client, so a stalled remote costs a cycle at most one deadline. A registry
 * with a budget of checks per hour (Docker Hub: {@link CheckBudget}) has its tags spread over cycles when it cannot
 * have them all checked at every one. Only checks run here: the deployments a cycle asks for run on the
 * {@link DeployQueue}, as every other request does, so a slow pull or build never delays the next poll, and one asked
 * for while the service deploys becomes that deployment's follow-up.
 *
 * <p>Cycles start at a fixed rate: the next one interval after the previous one started, or as soon as it ends when it
 * took longer; never two at once. Besides the checks, a cycle costs one database read of the services, two small
 * queries (deployments left unfinished, follow-ups nobody runs) and one probe per engine, however many services there
 * are: nothing per service goes to the engine while nothing changes, and nothing per service is logged.
 *
 * <p>Every cycle also finishes deployments left unfinished (by a process that stopped, or an engine that went away) and
 * runs follow-ups nobody is left to run. A version whose deployment failed for a passing reason (the engine, the network,
 * a full disk) is retried at later cycles with a growing delay, and the service's status says why.
 */
public final class Scheduler implements PollStatus, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Scheduler.class);

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
    /**
     * Runs the checks: a few threads per registry and git host while a cycle checks it (each thread takes the remote's
     * next tag when it is done with one), none kept long when idle.
     */
    private final ExecutorService checkers;
    private final CheckBudget budget;
    /** Held by a cycle from its start to its end: never two at once. */
    private final Object cycleLock = new Object();
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
        this(services, registry, backoff, gitRemotes, gitBackoff, deployer, queue, engines, onEngineBack, clock, interval,
                new CheckBudget());
    }

    /** @param budget each registry's checks per hour (Docker Hub's alone unless told otherwise) */
    Scheduler(ServiceStore services, RegistryClient registry, RegistryBackoff backoff, GitRemotes gitRemotes,
              RegistryBackoff gitBackoff, Deployer deployer, DeployQueue queue, Engines engines,
              Consumer<String> onEngineBack, Clock clock, Supplier<Duration> interval, CheckBudget budget) {
        this.budget = budget;
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
        this.checkers = Executors.newCachedThreadPool(daemon("redock-check"));
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

    /** Each budgeted registry checked in the last hour: its checks, and the pull limit it last stated. */
    @Override
    public List<RegistryBudget> budgets() {
        Instant now = clock.instant();
        List<RegistryBudget> budgets = new ArrayList<>();
        budget.inUse(now).forEach((name, used) -> {
            Optional<RateLimit> pulls = registry.rateLimit(name);
            budgets.add(new RegistryBudget(name, used, budget.limit(name), pulls.map(RateLimit::remaining).orElse(-1),
                    pulls.map(RateLimit::limit).orElse(-1), pulls.map(RateLimit::window).orElse(null)));
        });
        return budgets;
    }

    private synchronized void schedule(Duration delay) {
        if (timer.isShutdown()) {
            return;
        }
        nextPoll = clock.instant().plus(delay);
        next = timer.schedule(this::cycle, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * One cycle, then the next one interval after this one started: at a fixed rate, whatever the cycle took, or at once
     * when it took longer than the interval. The interval is read at the start (the next poll the window shows meanwhile)
     * and again at the end, so a changed setting takes effect at once.
     */
    private void cycle() {
        Instant started = clock.instant();
        Duration every = interval.get();
        nextPoll = started.plus(every);
        try {
            synchronized (cycleLock) {
                if (!pausedNow()) {
                    pollOnce(every);
                }
            }
        } catch (RuntimeException e) {
            LOG.error("A poll cycle failed", e);
        } finally {
            Duration sinceStart = Duration.between(started, clock.instant());
            Duration left = interval.get().minus(sinceStart);
            schedule(left.isNegative() ? Duration.ZERO : left);
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
     * deployment for every service whose tag or branch moved. The checks go out side by side, a few at a time per registry
     * and git host; a registry's tags wait while it backs off, or beyond its budget for the hour (then for a later cycle,
     * those checked longest ago first). Waits for every check it sends; when a cycle runs on the timer, a call here waits
     * for it to end. Returns what it did, for the agent's console and for tests.
     */
    public CycleReport pollOnce() {
        return pollOnce(interval.get());
    }

    /** @param every the interval between cycles, which sets a budgeted registry's share of its hour */
    private CycleReport pollOnce(Duration every) {
        synchronized (cycleLock) {
            long began = System.nanoTime();
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
            List<Future<Checks>> remotes = new ArrayList<>();
            tagsByRegistry.forEach((registryName, tags) -> remotes.add(checkTags(registryName, tags, every, now)));
            branchesByHost.forEach((host, branches) -> remotes.add(checkBranches(host, branches, now)));
            Checks done = Checks.of(awaitAll(remotes));
            LOG.debug("Poll cycle: {} checked, {} backing off, {} over budget, {} to deploy, {} services, in {} ms",
                    done.checked().size(), done.skipped().size(), done.waiting().size(), done.moved().size(), all.size(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began));
            return new CycleReport(now, List.copyOf(done.checked()), List.copyOf(done.skipped()),
                    done.moved().stream().map(Service::name).toList(), List.copyOf(done.waiting()));
        }
    }

    /** Waits for the checks of every remote; what an interruption cut short is left out. */
    private static List<Checks> awaitAll(List<Future<Checks>> remotes) {
        List<Checks> done = new ArrayList<>();
        try {
            for (Future<Checks> f : remotes) {
                done.add(f.get());
            }
        } catch (InterruptedException e) {
            remotes.forEach(f -> f.cancel(true));
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            throw new IllegalStateException("a check failed unexpectedly", e.getCause());
        }
        return done;
    }

    /**
     * Checks the items on {@code width} threads at most, each taking the next item when it is done with one; completes
     * when all are checked, or when the scheduler closes (which interrupts them: the rest are left).
     */
    private <T> CompletableFuture<Void> sideBySide(List<T> items, int width, Consumer<T> check) {
        Queue<T> todo = new ConcurrentLinkedQueue<>(items);
        CompletableFuture<?>[] lanes = new CompletableFuture<?>[Math.min(width, items.size())];
        for (int i = 0; i < lanes.length; i++) {
            lanes[i] = CompletableFuture.runAsync(() -> {
                for (T item = todo.poll(); item != null && !Thread.currentThread().isInterrupted(); item = todo.poll()) {
                    check.accept(item);
                }
            }, checkers);
        }
        return CompletableFuture.allOf(lanes);
    }

    /**
     * One registry request per distinct tag of one registry, a few at a time; none while the registry backs off, and
     * beyond its budget none until a later cycle. A service whose tag moved is handed to the queue as soon as its tag is
     * checked; those of compose projects together once all are checked, each project's in its order.
     */
    private Future<Checks> checkTags(String registryName, Map<String, List<Service>> byTag, Duration every, Instant now) {
        Checks checks = new Checks();
        List<String> chosen = budget.choose(registryName, List.copyOf(byTag.keySet()), every, now);
        if (chosen.size() < byTag.size()) {
            java.util.Set<String> thisCycle = new java.util.HashSet<>(chosen);
            byTag.keySet().stream().filter(k -> !thisCycle.contains(k)).forEach(checks.waiting()::add);
        }
        Map<java.util.UUID, String> movedTo = new ConcurrentHashMap<>();
        Queue<Service> inProjects = new ConcurrentLinkedQueue<>();
        AtomicBoolean failed = new AtomicBoolean();
        return sideBySide(chosen, RegistryClient.MAX_IN_FLIGHT, key -> {
            for (Service moved : checkTag(registryName, key, byTag.get(key), now, checks, movedTo, failed)) {
                if (ComposeProject.of(moved.spec().labels()).isPresent()) {
                    inProjects.add(moved);
                } else {
                    deployMoved(List.of(moved), movedTo);
                }
            }
        }).thenApply(done -> {
            deployMoved(List.copyOf(inProjects), movedTo);
            return checks;
        });
    }

    /** Hands services whose tag moved to the queue, in turn within a compose project. */
    private void deployMoved(List<Service> moved, Map<java.util.UUID, String> movedTo) {
        if (!moved.isEmpty()) {
            queue.submitInTurn(moved, Trigger.REGISTRY_POLL, movedTo, s -> retries.mayCall(s.id().toString(), clock.instant()),
                    (s, r) -> heard(s, movedTo.get(s.id()), Trigger.REGISTRY_POLL, r));
        }
    }

    /**
     * One tag's check, unless its registry backs off; returns the services whose tag moved. Once a check of this cycle
     * failed the registry, the others' answers do not end its backoff: a request that went out beside the failed one tells
     * nothing of what came after.
     */
    private List<Service> checkTag(String registryName, String key, List<Service> followers, Instant now, Checks checks,
                                   Map<java.util.UUID, String> movedTo, AtomicBoolean failed) {
        if (!backoff.mayCall(registryName, now)) {
            checks.skipped().add(key);
            return List.of();
        }
        ImageRef ref = followers.get(0).image();
        budget.spend(registryName, key, now);
        String digest;
        try {
            digest = registry.digest(ref).digest();
            if (!failed.get()) {
                backoff.success(registryName);
            }
            tagProblems.remove(key);
            checks.checked().add(key);
        } catch (RegistryException e) {
            if (Thread.currentThread().isInterrupted()) {
                return List.of(); // the scheduler closes: nothing is wrong with the registry
            }
            if (e.affectsRegistry()) {
                failed.set(true);
            }
            // From when it failed, not from the cycle's start: a failure that took long does not use up its own wait.
            Duration wait = backoff.failure(registryName, e, clock.instant());
            tagProblems.put(key, e.getMessage());
            if (wait.isZero()) {
                LOG.warn("Cannot check {}: {}", key, e.getMessage());
            } else {
                LOG.warn("Cannot check {}: {}; next try in {} s", key, e.getMessage(), wait.toSeconds());
            }
            return List.of();
        }
        List<Service> moved = new ArrayList<>();
        for (Service s : followers) {
            if (!digest.equals(s.digest())) {
                moved.add(s);
                movedTo.put(s.id(), digest);
            } else {
                fetchProblems.remove(s.id());
            }
        }
        if (!moved.isEmpty()) {
            LOG.debug("{} moved to {}: {} services to deploy", key, digest, moved.size());
        }
        checks.moved().addAll(moved);
        return moved;
    }

    /**
     * One {@code ls-remote} per distinct (remote, branch) of one git host, a few at a time; none while the host backs off.
     * A deployment for every service whose branch has a new commit.
     */
    private Future<Checks> checkBranches(String host, Map<String, List<Service>> byBranch, Instant now) {
        Checks checks = new Checks();
        AtomicBoolean failed = new AtomicBoolean();
        return sideBySide(List.copyOf(byBranch.values()), GitRemotes.MAX_IN_FLIGHT_PER_HOST,
                followers -> checkBranch(host, followers, now, checks, failed))
                .thenApply(done -> checks);
    }

    private void checkBranch(String host, List<Service> followers, Instant now, Checks checks, AtomicBoolean failed) {
        GitSource source = followers.get(0).git();
        if (!gitBackoff.mayCall(host, now)) {
            checks.skipped().add(source.describe());
            return;
        }
        String head;
        try {
            head = gitRemotes.head(source.url(), source.branch());
            if (!failed.get()) {
                gitBackoff.success(host);
            }
            tagProblems.remove(source.key());
            checks.checked().add(source.describe());
        } catch (GitException e) {
            tagProblems.put(source.key(), e.getMessage());
            if (e.affectsRemote()) {
                failed.set(true);
                Duration wait = gitBackoff.failure(host, e.getMessage(), clock.instant());
                LOG.warn("Cannot check {}: {}; next try in {} s", source.describe(), e.getMessage(), wait.toSeconds());
            } else {
                LOG.warn("Cannot check {}: {}", source.describe(), e.getMessage());
            }
            return;
        }
        for (Service s : followers) {
            if (!head.equals(s.commit()) && !head.equals(settledHeads.get(s.id()))) {
                checks.moved().add(s);
                submit(s, head, Trigger.GIT_POLL);
            } else {
                fetchProblems.remove(s.id());
            }
        }
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

    /**
     * What the checks of one remote found: tags or branches read, left alone while backing off, services that moved, tags
     * left for a later cycle by the registry's budget. Filled from several threads.
     */
    private record Checks(Queue<String> checked, Queue<String> skipped, Queue<Service> moved, Queue<String> waiting) {
        Checks() {
            this(new ConcurrentLinkedQueue<>(), new ConcurrentLinkedQueue<>(), new ConcurrentLinkedQueue<>(),
                    new ConcurrentLinkedQueue<>());
        }

        /** All of them, remote after remote. */
        static Checks of(List<Checks> parts) {
            Checks all = new Checks();
            for (Checks part : parts) {
                all.checked().addAll(part.checked());
                all.skipped().addAll(part.skipped());
                all.moved().addAll(part.moved());
                all.waiting().addAll(part.waiting());
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
     * @param overBudget  the tags left for a later cycle because their registry's budget for the hour allows no more now
     */
    public record CycleReport(Instant at, List<String> checkedTags, List<String> backingOff, List<String> redeploying,
                              List<String> overBudget) {
    }
}
