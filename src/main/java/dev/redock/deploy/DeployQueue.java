package dev.redock.deploy;

import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.redock.model.Trigger;

/**
 * Runs redeploys asked for from outside (the API, trigger URLs, announcements, webhooks) in the background, so a caller
 * gets its answer at once. Bursts for one service coalesce in the {@link Deployer}: one deployment runs, and at most one
 * follow-up after it.
 */
public final class DeployQueue implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DeployQueue.class);

    private final Deployer deployer;
    private final ExecutorService executor;

    public DeployQueue(Deployer deployer) {
        this.deployer = deployer;
        AtomicInteger n = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "redock-queue-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Redeploys the service in the background; the future tells how it went. */
    public Future<DeployResult> submit(UUID serviceId, Trigger trigger) {
        return executor.submit(() -> {
            try {
                DeployResult r = deployer.redeploy(serviceId, trigger, null);
                LOG.info("{} ({}): {}", serviceId, trigger.label(), r.message());
                return r;
            } catch (RuntimeException e) {
                LOG.error("Redeploying {} ({}) failed", serviceId, trigger.label(), e);
                throw e;
            }
        });
    }

    @Override
    public void close() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(2, TimeUnit.MINUTES)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
