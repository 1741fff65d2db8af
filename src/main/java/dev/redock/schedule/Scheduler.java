package dev.redock.schedule;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.redock.deploy.DeployResult;
import dev.redock.deploy.Deployer;
import dev.redock.model.ImageRef;
import dev.redock.model.Service;
import dev.redock.model.Trigger;
import dev.redock.registry.RegistryBackoff;
import dev.redock.registry.RegistryClient;
import dev.redock.registry.RegistryException;
import dev.redock.store.ServiceStore;

/**
 * Polls the tags of services whose autoredeploy is on and redeploys those whose tag moved.
 *
 * <p>Each cycle reads the services afresh from the database (so a change made by the CLI or another window is followed
 * at the next cycle), asks the registry once per distinct (registry, repository, tag) however many services follow it,
 * and skips registries that are backing off after errors. Deployments run on their own threads so a slow pull never
 * delays the next poll.
 */
public final class Scheduler implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Scheduler.class);

    private final ServiceStore services;
    private final RegistryClient registry;
    private final RegistryBackoff backoff;
    private final Deployer deployer;
    private final Clock clock;
    private final Supplier<Duration> interval;
    private final ScheduledExecutorService timer;
    private final ExecutorService deployers;
    private final Map<String, String> tagProblems = new ConcurrentHashMap<>();
    private final Map<java.util.UUID, Boolean> inFlight = new ConcurrentHashMap<>();
    private volatile ScheduledFuture<?> next;
    private volatile Instant nextPoll;
    private volatile boolean paused;

    /**
     * @param interval read before each wait, so a changed setting takes effect at the next cycle
     */
    public Scheduler(ServiceStore services, RegistryClient registry, RegistryBackoff backoff, Deployer deployer, Clock clock,
                     Supplier<Duration> interval) {
        this.services = services;
        this.registry = registry;
        this.backoff = backoff;
        this.deployer = deployer;
        this.clock = clock;
        this.interval = interval;
        this.timer = Executors.newSingleThreadScheduledExecutor(daemon("redock-scheduler"));
        this.deployers = Executors.newFixedThreadPool(4, daemon("redock-deploy"));
    }

    /** Starts polling: the first cycle at once, then one every interval. */
    public synchronized void start() {
        if (next == null) {
            schedule(Duration.ZERO);
        }
    }

    /** Pauses every autoredeploy (polls stop) until resumed. */
    public void setPaused(boolean paused) {
        this.paused = paused;
    }

    public boolean isPaused() {
        return paused;
    }

    /** When the next cycle runs, or null when not started. */
    public Instant nextPoll() {
        return nextPoll;
    }

    /** Why a service's tag could not be checked at the last cycle, if it could not. */
    public Optional<String> problem(Service service) {
        return Optional.ofNullable(tagProblems.get(service.image().tagKey()));
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
            if (!paused) {
                pollOnce();
            }
        } catch (RuntimeException e) {
            LOG.error("A poll cycle failed", e);
        } finally {
            schedule(interval.get());
        }
    }

    /**
     * One poll cycle: one registry request per distinct tag, then a deployment for every service whose tag moved.
     * Returns what it did, for the agent's console and for tests.
     */
    public CycleReport pollOnce() {
        Instant now = clock.instant();
        Map<String, List<Service>> byTag = new LinkedHashMap<>();
        for (Service s : services.withAutoredeploy()) {
            if (s.image().digest() == null) {
                byTag.computeIfAbsent(s.image().tagKey(), k -> new ArrayList<>()).add(s);
            }
        }
        List<String> checked = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        List<Service> moved = new ArrayList<>();
        for (Map.Entry<String, List<Service>> group : byTag.entrySet()) {
            ImageRef ref = group.getValue().get(0).image();
            if (!backoff.mayCall(ref.registry(), now)) {
                skipped.add(group.getKey());
                continue;
            }
            String digest;
            try {
                digest = registry.digest(ref).digest();
                backoff.success(ref.registry());
                tagProblems.remove(group.getKey());
                checked.add(group.getKey());
            } catch (RegistryException e) {
                Duration wait = backoff.failure(ref.registry(), e, now);
                tagProblems.put(group.getKey(), e.getMessage());
                LOG.warn("Cannot check {}: {}; next try in {} s", group.getKey(), e.getMessage(), wait.toSeconds());
                continue;
            }
            for (Service s : group.getValue()) {
                if (!digest.equals(s.digest())) {
                    moved.add(s);
                    submit(s, digest);
                }
            }
        }
        return new CycleReport(now, checked, skipped, moved.stream().map(Service::name).toList());
    }

    private void submit(Service s, String digest) {
        if (inFlight.putIfAbsent(s.id(), Boolean.TRUE) != null) {
            // This process is already deploying it: ask for a follow-up instead of queueing a thread.
            services.requestFollowUp(s.id(), Trigger.REGISTRY_POLL);
            return;
        }
        deployers.submit(() -> {
            try {
                DeployResult r = deployer.redeploy(s.id(), Trigger.REGISTRY_POLL, digest);
                if (r.kind() != DeployResult.Kind.DEPLOYED) {
                    LOG.debug("{}: {}", s.name(), r.message());
                }
            } catch (RuntimeException e) {
                LOG.error("Redeploying {} failed", s.name(), e);
            } finally {
                inFlight.remove(s.id());
            }
        });
    }

    @Override
    public void close() {
        timer.shutdownNow();
        deployers.shutdown();
        try {
            if (!deployers.awaitTermination(2, TimeUnit.MINUTES)) {
                deployers.shutdownNow();
            }
        } catch (InterruptedException e) {
            deployers.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** What one cycle did. */
    public record CycleReport(Instant at, List<String> checkedTags, List<String> backingOff, List<String> redeploying) {
    }
}
