package dev.redock.deploy;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.redock.model.DeployResult;
import dev.redock.model.Trigger;

/**
 * The threads deployments run on, whoever asked for them: a user in the window or the CLI, the API, trigger URLs,
 * announcements, webhooks, and the scheduler's polls. A caller that waits for its deployment waits on a future, so a
 * caller that gives up (a window closing, an interrupted thread) never interrupts the deployment itself; and stopping
 * Redock drains these threads for a bounded time instead of interrupting them. Bursts for one service coalesce in the
 * {@link Deployer}: one deployment runs, and at most one follow-up after it.
 */
public final class DeployQueue implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DeployQueue.class);

    private final Deployer deployer;
    private final ExecutorService executor;

    public DeployQueue(Deployer deployer) {
        this.deployer = deployer;
        AtomicInteger n = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "redock-deploy-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Redeploys the service in the background; the future tells how it went. */
    public Future<DeployResult> submit(UUID serviceId, Trigger trigger) {
        try {
            return executor.submit(() -> redeploy(serviceId, trigger));
        } catch (RejectedExecutionException stopping) {
            // Redock is stopping: the deployer keeps the request for the next start.
            return CompletableFuture.completedFuture(deployer.redeploy(serviceId, trigger, null));
        }
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

    /** Runs other deployment work (a poll's redeploy, a recovery) on the same threads; false when Redock is stopping. */
    public boolean execute(Runnable work) {
        try {
            executor.execute(work);
            return true;
        } catch (RejectedExecutionException stopping) {
            return false;
        }
    }

    private DeployResult redeploy(UUID serviceId, Trigger trigger) {
        try {
            DeployResult r = deployer.redeploy(serviceId, trigger, null);
            LOG.info("{} ({}): {}", serviceId, trigger.label(), r.message());
            return r;
        } catch (RuntimeException e) {
            LOG.error("Redeploying {} ({}) failed", serviceId, trigger.label(), e);
            throw e;
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
