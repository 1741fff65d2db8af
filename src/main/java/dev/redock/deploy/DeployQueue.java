package dev.redock.deploy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.redock.model.DeployResult;
import dev.redock.model.Service;
import dev.redock.model.Trigger;

/**
 * The threads deployments run on, whoever asked for them: a user in the window or the CLI, the API, trigger URLs,
 * announcements, webhooks, and the scheduler's polls and recoveries. A caller that waits for its deployment waits on a
 * future, so a caller that gives up (a window closing, an interrupted thread) never interrupts the deployment itself; and
 * stopping Redock drains these threads for a bounded time instead of interrupting them.
 *
 * <p>Bursts for one service coalesce: a request for the version that the service's deployment under way is deploying
 * joins that deployment (it would only find the version running once it is over); a request that comes while another
 * for the same service waits for a thread joins it (the stronger intent goes ahead); and the {@link Deployer} folds the
 * other requests that come while one of its deployments runs (for a newer version, or for the newest whatever it is)
 * into at most one follow-up, under the service's lock.
 */
public final class DeployQueue implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DeployQueue.class);

    private final Deployer deployer;
    private final ExecutorService executor;
    /** The requests waiting for a thread, at most one a service; guarded by itself. */
    private final Map<UUID, Request> waiting = new HashMap<>();

    public DeployQueue(Deployer deployer) {
        this.deployer = deployer;
        AtomicInteger n = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "redock-deploy-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Redeploys the service in the background, at the newest version its source has; the future tells how it went. */
    public CompletableFuture<DeployResult> submit(UUID serviceId, Trigger trigger) {
        return submit(serviceId, trigger, null);
    }

    /**
     * Redeploys the service in the background; the future tells how it went.
     *
     * @param knownVersion the version a poll just saw (a tag's digest, a branch's commit), or null to ask its source
     */
    public CompletableFuture<DeployResult> submit(UUID serviceId, Trigger trigger, String knownVersion) {
        return enqueue(serviceId, Objects.requireNonNull(trigger, "trigger"), knownVersion)
                .thenApply(Optional::orElseThrow);
    }

    /**
     * Redeploys services that moved at once: those of one compose project one after another, each once the one before
     * has ended (however it ended), dependencies first ({@link ComposeProjects#chains}); the others side by side.
     *
     * @param versions the version each one moved to (a tag's digest), or none to ask its source
     * @param mayGo    whether a service is to be deployed when its turn comes (one whose retries wait is passed over)
     * @param heard    what each deployment came to
     */
    public void submitInTurn(List<Service> moved, Trigger trigger, Map<UUID, String> versions,
                             java.util.function.Predicate<Service> mayGo,
                             java.util.function.BiConsumer<Service, DeployResult> heard) {
        for (List<Service> chain : deployer.compose().chains(moved)) {
            inTurn(chain, trigger, versions, mayGo, heard);
        }
    }

    private void inTurn(List<Service> chain, Trigger trigger, Map<UUID, String> versions,
                        java.util.function.Predicate<Service> mayGo,
                        java.util.function.BiConsumer<Service, DeployResult> heard) {
        if (chain.isEmpty()) {
            return;
        }
        Service first = chain.get(0);
        List<Service> rest = chain.subList(1, chain.size());
        if (!mayGo.test(first)) {
            inTurn(rest, trigger, versions, mayGo, heard);
            return;
        }
        submit(first.id(), trigger, versions.get(first.id())).whenComplete((r, e) -> {
            if (r != null) {
                heard.accept(first, r);
            }
            inTurn(rest, trigger, versions, mayGo, heard);
        });
    }

    /**
     * Finishes or undoes the service's deployments that were cut short, then runs a follow-up that was asked for meanwhile,
     * in the background; empty when a live process holds the service's lock (it does so itself).
     */
    public CompletableFuture<Optional<DeployResult>> recover(UUID serviceId) {
        return enqueue(serviceId, null, null);
    }

    /** Redeploys the service and waits for the result. The deployment goes on if the caller stops waiting. */
    public DeployResult run(UUID serviceId, Trigger trigger) throws InterruptedException {
        try {
            return submit(serviceId, trigger).get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /** @param trigger null for a recovery alone */
    private CompletableFuture<Optional<DeployResult>> enqueue(UUID serviceId, Trigger trigger, String knownVersion) {
        // A request for the very version the service's deployment under way is deploying (a poll that saw the tag move
        // while the database still names the old digest) waits for that deployment instead of following it with another.
        Optional<CompletableFuture<DeployResult>> same = trigger == null ? Optional.empty()
                : deployer.deploymentOf(serviceId, knownVersion);
        if (same.isPresent()) {
            LOG.debug("{} ({}): joins the deployment of {} under way", serviceId, trigger.label(), knownVersion);
            return same.get().thenApply(Optional::of);
        }
        synchronized (waiting) {
            Request queued = waiting.get(serviceId);
            if (queued != null) {
                queued.join(trigger, knownVersion);
                return queued.result;
            }
            Request request = new Request(serviceId, trigger, knownVersion);
            waiting.put(serviceId, request);
            try {
                executor.execute(request);
                return request.result;
            } catch (RejectedExecutionException stopping) {
                waiting.remove(serviceId);
            }
        }
        // Redock is stopping: the deployer keeps a redeploy asked for now for the next start, which also recovers.
        return CompletableFuture.completedFuture(trigger == null ? Optional.empty()
                : Optional.of(deployer.redeploy(serviceId, trigger, knownVersion)));
    }

    /** A redeploy or a recovery of one service, waiting for a thread and then running on it. */
    private final class Request implements Runnable {

        private final UUID serviceId;
        private final CompletableFuture<Optional<DeployResult>> result = new CompletableFuture<>();
        /** What to run, as joined while waiting (guarded by {@link #waiting}); a null trigger is a recovery alone. */
        private Trigger trigger;
        private String knownVersion;

        Request(UUID serviceId, Trigger trigger, String knownVersion) {
            this.serviceId = serviceId;
            this.trigger = trigger;
            this.knownVersion = knownVersion;
        }

        /**
         * Another request for the service while this one waits. A recovery adds nothing (every deployment recovers first);
         * a stronger intent takes this one's place, and a second poll brings the newer version it saw.
         */
        void join(Trigger other, String version) {
            if (other != null && (trigger == null || other == trigger || Trigger.strongest(trigger, other) != trigger)) {
                trigger = other;
                knownVersion = version;
            }
        }

        @Override
        public void run() {
            Trigger asked;
            String version;
            synchronized (waiting) {
                waiting.remove(serviceId, this);
                asked = trigger;
                version = knownVersion;
            }
            try {
                Optional<DeployResult> r = asked == null ? deployer.recover(serviceId)
                        : Optional.of(deployer.redeploy(serviceId, asked, version));
                if (asked != null && !asked.isPoll()) {
                    LOG.info("{} ({}): {}", serviceId, asked.label(), r.get().message());
                }
                result.complete(r);
            } catch (RuntimeException e) {
                if (asked == null) {
                    LOG.error("Recovering {} failed", serviceId, e);
                } else {
                    LOG.error("Redeploying {} ({}) failed", serviceId, asked.label(), e);
                }
                result.completeExceptionally(e);
            }
        }
    }

    /**
     * Stops taking work and waits, at most {@code bound}, for the deployments under way to end. Never interrupts them: one
     * still running after the bound is left to the next start's recovery when the process exits.
     *
     * @return whether every deployment ended within the bound
     */
    public boolean drain(Duration bound) {
        executor.shutdown();
        try {
            return executor.awaitTermination(bound.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() {
        deployer.beginStop();
        if (!drain(deployer.policy().stopGrace())) {
            LOG.warn("Deployments still under way after {} s: {}; the next start of Redock finishes them",
                    deployer.policy().stopGrace().toSeconds(), deployer.deploying());
        }
    }
}
