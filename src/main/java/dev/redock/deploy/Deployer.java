package dev.redock.deploy;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.redock.engine.ContainerInfo;
import dev.redock.engine.DockerEngine;
import dev.redock.engine.EngineException;
import dev.redock.engine.PullProgress;
import dev.redock.engine.RegistryAuth;
import dev.redock.model.ImageRef;
import dev.redock.registry.CredentialStore;
import dev.redock.registry.Credentials;
import dev.redock.engine.ReadyResult;
import dev.redock.model.Deployment;
import dev.redock.model.Labels;
import dev.redock.model.Outcome;
import dev.redock.model.Service;
import dev.redock.model.Trigger;
import dev.redock.registry.RegistryClient;
import dev.redock.registry.RegistryException;
import dev.redock.store.Database;
import dev.redock.store.DeploymentStore;
import dev.redock.store.ServiceStore;

/**
 * Redeploys a service: pulls the new image by digest, replaces the container with one made from the same spec, waits
 * until it runs (and is healthy), and rolls back to the old container if it does not.
 *
 * <p>The order keeps the old container intact until the new one has proved itself: the replacement is created first
 * (so a bad spec or a missing image changes nothing), the old one is only stopped and renamed aside, and it is removed
 * last. At most one deployment of a service runs at a time, across every process on the data folder; requests that
 * arrive meanwhile coalesce into one follow-up run by the lock's holder.
 */
public final class Deployer {

    private static final Logger LOG = LoggerFactory.getLogger(Deployer.class);
    private static final int LOG_LINES_IN_ERRORS = 5;

    private final Database db;
    private final ServiceStore services;
    private final DeploymentStore deployments;
    private final DockerEngine engine;
    private final RegistryClient registry;
    private final CredentialStore credentials;
    private final DeployEvents events;
    private final DeployPolicy policy;
    private final Clock clock;
    private final String owner = Owner.next();

    public Deployer(Database db, ServiceStore services, DeploymentStore deployments, DockerEngine engine,
                    RegistryClient registry, CredentialStore credentials, DeployEvents events, DeployPolicy policy, Clock clock) {
        this.db = db;
        this.services = services;
        this.deployments = deployments;
        this.engine = engine;
        this.registry = registry;
        this.credentials = credentials;
        this.events = events;
        this.policy = policy;
        this.clock = clock;
    }

    public DeployPolicy policy() {
        return policy;
    }

    /**
     * Redeploys the service now, or queues one follow-up when a deployment of it is under way anywhere.
     *
     * @param knownDigest the digest the tag was just seen at (by a poll), or null to ask the registry
     */
    public DeployResult redeploy(UUID serviceId, Trigger trigger, String knownDigest) {
        String digest = knownDigest;
        if (!acquire(serviceId)) {
            services.requestFollowUp(serviceId, trigger);
            // The holder may have let go between the two calls without seeing the request: try once more.
            if (!acquire(serviceId)) {
                return new DeployResult(DeployResult.Kind.QUEUED, null, "a deployment is under way; this one follows it");
            }
            services.clearFollowUp(serviceId);
            digest = null;
        }
        DeployResult result = null;
        try {
            Trigger next = trigger;
            while (next != null) {
                result = deployOnce(serviceId, next, digest);
                next = services.releaseOrTakeFollowUp(serviceId, owner).orElse(null);
                digest = null; // a follow-up asks the registry afresh
                if (next != null) {
                    LOG.info("Running the follow-up deployment that was asked for meanwhile ({})", next.label());
                }
            }
            return result;
        } catch (RuntimeException e) {
            services.release(serviceId, owner);
            throw e;
        }
    }

    private boolean acquire(UUID serviceId) {
        Instant now = clock.instant();
        if (services.tryLock(serviceId, owner, now)) {
            return true;
        }
        Optional<String> holder = services.lockOwner(serviceId);
        if (holder.isPresent() && Owner.isGone(holder.get())) {
            LOG.warn("Breaking the deployment lock of {} left by {}, which is gone", serviceId, holder.get());
            services.breakLock(serviceId, holder.get());
            return services.tryLock(serviceId, owner, now);
        }
        return false;
    }

    /** One deployment, with the lock held. */
    private DeployResult deployOnce(UUID serviceId, Trigger trigger, String knownDigest) {
        Optional<Service> found = services.find(serviceId);
        if (found.isEmpty()) {
            return new DeployResult(DeployResult.Kind.UNCHANGED, null, "the service no longer exists");
        }
        Service service = found.get();

        String digest = knownDigest;
        if (digest == null) {
            try {
                digest = resolveDigest(service);
            } catch (RegistryException e) {
                if (trigger == Trigger.REGISTRY_POLL) {
                    return new DeployResult(DeployResult.Kind.UNCHANGED, null, e.getMessage());
                }
                Deployment d = record(service, trigger, null);
                return finish(service, d, Outcome.FAILED, "cannot read the tag's digest: " + e.getMessage(), null);
            }
        }
        if (trigger == Trigger.REGISTRY_POLL && digest.equals(service.digest())) {
            return new DeployResult(DeployResult.Kind.UNCHANGED, null, "already runs " + digest);
        }
        if (trigger == Trigger.REGISTRY_POLL) {
            // A digest that did not come up is not tried again by polling: the next push, or a user, decides.
            Optional<Deployment> last = deployments.latest(serviceId);
            if (last.isPresent() && digest.equals(last.get().newDigest()) && last.get().outcome() != Outcome.SUCCEEDED
                    && last.get().outcome() != Outcome.RUNNING) {
                return new DeployResult(DeployResult.Kind.UNCHANGED, null,
                        shortDigest(digest) + " " + last.get().outcome().label() + " before; waiting for a new push");
            }
        }

        Deployment d = record(service, trigger, digest);
        LOG.info("Deploying {} ({}): {} -> {}", service.name(), trigger.label(), service.digest(), digest);
        try {
            return replace(service, d, digest);
        } catch (RuntimeException e) {
            LOG.error("Deployment of {} failed unexpectedly", service.name(), e);
            return finish(service, d, Outcome.FAILED, "unexpected error: " + e, null);
        }
    }

    String resolveDigest(Service service) throws RegistryException {
        if (service.image().digest() != null) {
            return service.image().digest();
        }
        return registry.digest(service.image()).digest();
    }

    /**
     * Pulls the image at exactly this digest, with the user's credentials for its registry, and tags it locally with the
     * reference's tag.
     */
    void pull(ImageRef ref, String digest, PullProgress progress) throws EngineException {
        String image = ref.withDigest(digest);
        RegistryAuth auth = credentials.lookup(ref.registry())
                .filter(Credentials::hasPassword)
                .map(c -> new RegistryAuth(ref.registry(), c.username(), c.password()))
                .orElse(null);
        engine.pull(image, auth, policy.pullTimeout(), progress);
        engine.tag(image, ref);
    }

    private Deployment record(Service service, Trigger trigger, String newDigest) {
        Instant now = clock.instant();
        long id = deployments.start(service.id(), trigger, service.digest(), newDigest, now, owner);
        Deployment d = new Deployment(id, service.id(), trigger, service.digest(), newDigest, now, null, Outcome.RUNNING, null);
        events.deploymentStarted(service, d);
        return d;
    }

    private DeployResult replace(Service service, Deployment d, String digest) {
        // 1. The image, by digest: exactly what the registry said the tag is.
        try {
            pull(service.image(), digest, PullProgress.NONE);
        } catch (EngineException e) {
            return finish(service, d, Outcome.FAILED, "pull failed: " + e.getMessage(), null);
        }

        // 2. The replacement, created but not started: a spec the engine refuses changes nothing.
        Optional<ContainerInfo> old = currentContainer(service);
        String tempName = service.name() + "-redock-next";
        removeLeftover(tempName, service);
        String next;
        try {
            next = engine.create(old.isPresent() ? tempName : service.name(), service.image().nameWithTag(),
                    service.spec(), redockLabels(service, digest));
        } catch (EngineException e) {
            return finish(service, d, Outcome.FAILED, "cannot create the new container: " + e.getMessage(), null);
        }

        // 3. The old one steps aside: stopped (its stop timeout honoured) and renamed, not removed.
        String asideName = service.name() + "-redock-previous";
        boolean oldWasRunning = old.map(c -> c.state().running()).orElse(false);
        if (old.isPresent()) {
            try {
                removeLeftover(asideName, service);
                if (oldWasRunning) {
                    engine.stop(old.get().id());
                }
                engine.rename(old.get().id(), asideName);
                engine.rename(next, service.name());
            } catch (EngineException e) {
                String reason = "cannot swap the containers: " + e.getMessage();
                return rollBack(service, d, next, old.get(), oldWasRunning, reason);
            }
        }

        // 4. The new one starts and has to prove itself.
        String reason;
        try {
            engine.start(next);
            ReadyResult ready = engine.awaitReady(next, policy.readyTimeout(), policy.minUptime());
            reason = ready.ready() ? null : "new container " + ready.reason() + logTail(next);
        } catch (EngineException e) {
            reason = "new container did not start: " + e.getMessage();
        }
        if (reason != null) {
            if (old.isEmpty()) {
                quietly(() -> engine.remove(next));
                return finish(service, d, Outcome.FAILED, reason, null);
            }
            return rollBack(service, d, next, old.get(), oldWasRunning, reason);
        }

        // 5. Up: the old container goes.
        old.ifPresent(o -> quietly(() -> engine.remove(o.id())));
        return finish(service, d, Outcome.SUCCEEDED, null, digest);
    }

    private DeployResult rollBack(Service service, Deployment d, String next, ContainerInfo old, boolean oldWasRunning,
                                  String reason) {
        LOG.warn("Rolling back {}: {}", service.name(), reason);
        try {
            quietly(() -> engine.stop(next));
            engine.remove(next);
            engine.rename(old.id(), service.name());
            if (oldWasRunning) {
                engine.start(old.id());
                ReadyResult back = engine.awaitReady(old.id(), policy.readyTimeout(), java.time.Duration.ZERO);
                if (!back.ready()) {
                    return finish(service, d, Outcome.FAILED, reason + "; the previous container did not come back: "
                            + back.reason(), null);
                }
            }
        } catch (EngineException e) {
            return finish(service, d, Outcome.FAILED, reason + "; rollback failed: " + e.getMessage(), null);
        }
        String to = service.digest() == null ? "the previous container" : shortDigest(service.digest());
        return finish(service, d, Outcome.ROLLED_BACK, reason + " (rolled back to " + to + ")", null);
    }

    private DeployResult finish(Service service, Deployment d, Outcome outcome, String error, String newDigest) {
        Instant now = clock.instant();
        db.inTransaction(c -> {
            deployments.finish(c, d.id(), outcome, error, now);
            if (newDigest != null) {
                services.setDigest(c, service.id(), newDigest, now);
            }
            return null;
        });
        Deployment done = new Deployment(d.id(), d.serviceId(), d.trigger(), d.oldDigest(), d.newDigest(), d.started(), now,
                outcome, error);
        Service after = newDigest == null ? service : service.withDigest(newDigest, now);
        if (outcome == Outcome.SUCCEEDED) {
            LOG.info("Deployed {} at {}", service.name(), newDigest);
        } else {
            LOG.warn("Deployment of {} {}: {}", service.name(), outcome.label(), error);
        }
        events.deploymentFinished(after, done);
        String message = switch (outcome) {
            case SUCCEEDED -> service.name() + " runs " + shortDigest(newDigest);
            case ROLLED_BACK -> service.name() + " rolled back: " + error;
            default -> service.name() + " failed: " + error;
        };
        return new DeployResult(DeployResult.Kind.DEPLOYED, done, message);
    }

    /** The container that is the service now: its name, carrying its label. */
    Optional<ContainerInfo> currentContainer(Service service) {
        try {
            return engine.inspect(service.name())
                    .filter(c -> service.id().toString().equals(c.labels().get(Labels.SERVICE)));
        } catch (EngineException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** Removes a container left under a temporary name by a deployment that was cut short; only if it is this service's. */
    private void removeLeftover(String name, Service service) {
        try {
            Optional<ContainerInfo> leftover = engine.inspect(name);
            if (leftover.isPresent() && service.id().toString().equals(leftover.get().labels().get(Labels.SERVICE))) {
                engine.remove(leftover.get().id());
            }
        } catch (EngineException e) {
            LOG.warn("Cannot remove the leftover container {}: {}", name, e.getMessage());
        }
    }

    static Map<String, String> redockLabels(Service service, String digest) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(Labels.SERVICE, service.id().toString());
        labels.put(Labels.SERVICE_NAME, service.name());
        if (digest != null) {
            labels.put(Labels.DIGEST, digest);
        }
        return labels;
    }

    private String logTail(String containerId) {
        try {
            List<String> lines = engine.logTail(containerId, LOG_LINES_IN_ERRORS);
            return lines.isEmpty() ? "" : "; its last output: " + String.join(" | ", lines);
        } catch (EngineException | RuntimeException e) {
            return "";
        }
    }

    public static String shortDigest(String digest) {
        if (digest == null) {
            return "-";
        }
        int colon = digest.indexOf(':');
        String hex = colon < 0 ? digest : digest.substring(colon + 1);
        return hex.length() > 12 ? hex.substring(0, 12) : hex;
    }

    private static void quietly(EngineAction action) {
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
