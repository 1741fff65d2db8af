package dev.redock.deploy;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.redock.engine.BuildFailedException;
import dev.redock.engine.BuildProgress;
import dev.redock.engine.ContainerInfo;
import dev.redock.engine.DockerEngine;
import dev.redock.engine.EngineException;
import dev.redock.engine.PullProgress;
import dev.redock.engine.RegistryAuth;
import dev.redock.model.ImageRef;
import dev.redock.registry.CredentialStore;
import dev.redock.registry.Credentials;
import dev.redock.engine.ReadyResult;
import dev.redock.git.GitException;
import dev.redock.git.GitRemotes;
import dev.redock.git.SourceBuilder;
import dev.redock.model.CommitInfo;
import dev.redock.model.Deployment;
import dev.redock.model.GitSource;
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
 * Redeploys a service: pulls the new image by digest (or, for a service built from source, fetches the branch's new
 * commit and builds it), replaces the container with one made from the same spec, waits until it runs (and is healthy),
 * and rolls back to the old container if it does not. Both kinds of source go through the same replace-and-roll-back
 * routine; only the step that produces the image differs.
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
    private final GitRemotes gitRemotes;
    private final SourceBuilder sourceBuilder;
    private final DeployEvents events;
    private final DeployPolicy policy;
    private final Clock clock;
    private final String owner = Owner.next();

    /**
     * @param gitRemotes    reads the heads of branches that services are built from
     * @param sourceBuilder fetches and builds their commits
     */
    public Deployer(Database db, ServiceStore services, DeploymentStore deployments, DockerEngine engine,
                    RegistryClient registry, CredentialStore credentials, GitRemotes gitRemotes, SourceBuilder sourceBuilder,
                    DeployEvents events, DeployPolicy policy, Clock clock) {
        this.db = db;
        this.services = services;
        this.deployments = deployments;
        this.engine = engine;
        this.registry = registry;
        this.credentials = credentials;
        this.gitRemotes = gitRemotes;
        this.sourceBuilder = sourceBuilder;
        this.events = events;
        this.policy = policy;
        this.clock = clock;
    }

    /** Who this deployer is in the deployment lock and in history's records ({@code pid@host#n}). */
    public String owner() {
        return owner;
    }

    public DeployPolicy policy() {
        return policy;
    }

    /**
     * Redeploys the service now, or queues one follow-up when a deployment of it is under way anywhere.
     *
     * @param knownDigest the digest the tag was just seen at (by a poll), or null to ask the registry; for a service
     *                    built from source, the commit the branch was just seen at, or null to ask the remote
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
    private DeployResult deployOnce(UUID serviceId, Trigger trigger, String knownVersion) {
        Optional<Service> found = services.find(serviceId);
        if (found.isEmpty()) {
            return new DeployResult(DeployResult.Kind.UNCHANGED, null, "the service no longer exists");
        }
        Service service = found.get();
        return service.fromGit() ? deployCommit(service, trigger, knownVersion) : deployImage(service, trigger, knownVersion);
    }

    /** An image service: the tag's digest, pulled by digest. */
    private DeployResult deployImage(Service service, Trigger trigger, String knownDigest) {
        UUID serviceId = service.id();
        String digest = knownDigest;
        if (digest == null) {
            try {
                digest = resolveDigest(service);
            } catch (RegistryException e) {
                if (trigger == Trigger.REGISTRY_POLL) {
                    return new DeployResult(DeployResult.Kind.UNCHANGED, null, e.getMessage());
                }
                Deployment d = record(service, trigger, null, null);
                return notTried(service, d, "cannot read the tag's digest: " + e.getMessage());
            }
        }
        if (trigger == Trigger.REGISTRY_POLL && digest.equals(service.digest())) {
            return new DeployResult(DeployResult.Kind.UNCHANGED, null, "already runs " + digest);
        }
        boolean poll = trigger == Trigger.REGISTRY_POLL;
        if (poll) {
            // A digest that did not come up is not tried again by polling: the next push, or a user, decides.
            Optional<Deployment> last = deployments.latest(serviceId);
            if (last.isPresent() && digest.equals(last.get().newDigest()) && blocksPolling(last.get())) {
                return new DeployResult(DeployResult.Kind.UNCHANGED, null,
                        shortDigest(digest) + " " + last.get().outcome().label() + " before; waiting for a new push");
            }
            // A poll has the image before it records anything: a registry that fails half way through is asked again
            // at the next poll, instead of the history filling with failed pulls while it is down.
            try {
                pull(service.image(), digest, PullProgress.NONE);
            } catch (EngineException e) {
                return postponed(service, "pull failed: " + e.getMessage());
            }
        }

        Deployment d = record(service, trigger, digest, null);
        LOG.info("Deploying {} ({}): {} -> {}", service.name(), trigger.label(), service.digest(), digest);
        try {
            if (!poll) {
                // The image, by digest: exactly what the registry said the tag is.
                try {
                    pull(service.image(), digest, PullProgress.NONE);
                } catch (EngineException e) {
                    return notTried(service, d, "pull failed: " + e.getMessage());
                }
            }
            return replace(service, d, new Release(service.image(), digest, null));
        } catch (RuntimeException e) {
            LOG.error("Deployment of {} failed unexpectedly", service.name(), e);
            return finish(service, d, Outcome.FAILED, "unexpected error: " + e, null);
        }
    }

    /**
     * A service built from source: the branch's head, fetched and built. A poll deploys only a commit the service does
     * not run yet, that has not failed before, and that changes a path the source's filters name.
     */
    private DeployResult deployCommit(Service service, Trigger trigger, String knownHead) {
        GitSource source = service.git();
        boolean poll = trigger == Trigger.GIT_POLL;
        String head = knownHead;
        if (head == null) {
            try {
                head = gitRemotes.head(source.url(), source.branch());
            } catch (GitException e) {
                if (poll) {
                    return new DeployResult(DeployResult.Kind.UNCHANGED, null, e.getMessage());
                }
                Deployment d = record(service, trigger, null, null);
                return notTried(service, d, "cannot read the branch's head: " + e.getMessage());
            }
        }
        String shortHead = CommitInfo.shortSha(head);
        if (poll && head.equals(service.commit())) {
            return new DeployResult(DeployResult.Kind.UNCHANGED, null, "already runs " + shortHead);
        }
        if (poll) {
            // A commit that did not come up is not tried again by polling: the next commit, or a user, decides.
            Optional<Deployment> last = deployments.latest(service.id());
            if (last.isPresent() && last.get().commit() != null && head.equals(last.get().commit().sha())
                    && blocksPolling(last.get())) {
                return new DeployResult(DeployResult.Kind.UNCHANGED, null,
                        shortHead + " " + last.get().outcome().label() + " before; waiting for a new commit");
            }
        }

        CommitInfo commit;
        try {
            commit = sourceBuilder.fetch(source, head, BuildProgress.NONE);
        } catch (GitException e) {
            if (poll && e.affectsRemote()) {
                return postponed(service, "fetch failed: " + e.getMessage());
            }
            Deployment d = record(service, trigger, null, new CommitInfo(head, null, null));
            return notTried(service, d, "fetch failed: " + e.getMessage());
        }
        if (poll && !source.paths().isEmpty() && service.commit() != null) {
            Optional<Set<String>> changed;
            try {
                changed = sourceBuilder.changedPaths(source, service.commit(), head);
            } catch (GitException e) {
                LOG.warn("Cannot tell which paths {} changes; taking it as changing all: {}", shortHead, e.getMessage());
                changed = Optional.empty();
            }
            if (changed.isPresent() && !source.touches(changed.get())) {
                LOG.info("{}: {} changes nothing under the path filters {}", service.name(), shortHead, source.paths());
                return new DeployResult(DeployResult.Kind.UNCHANGED, null,
                        shortHead + " changes nothing under the path filters " + String.join(", ", source.paths()));
            }
        }

        Deployment d = record(service, trigger, null, commit);
        LOG.info("Deploying {} ({}): {} -> {} ({})", service.name(), trigger.label(), CommitInfo.shortSha(service.commit()),
                shortHead, commit.message());
        try {
            SourceBuilder.Built built;
            try {
                built = sourceBuilder.build(service.name(), service.id(), source, commit, policy.buildTimeout(),
                        buildEvents(service, d));
            } catch (GitException | EngineException e) {
                return finish(service, d, Outcome.FAILED, buildError(e), null);
            }
            return replace(service, d, new Release(built.image(), built.imageId(), commit));
        } catch (RuntimeException e) {
            LOG.error("Deployment of {} failed unexpectedly", service.name(), e);
            return finish(service, d, Outcome.FAILED, "unexpected error: " + e, null);
        }
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

    /** What history says of a build that made no image: the reason, then the build output's last lines. */
    public static String buildError(Exception e) {
        StringBuilder error = new StringBuilder("build failed: ").append(e.getMessage());
        if (e instanceof BuildFailedException failed && !failed.logTail().isEmpty()) {
            error.append("\n--- last lines of the build output ---\n").append(String.join("\n", failed.logTail()));
        }
        return error.toString();
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

    /**
     * What a deployment puts live.
     *
     * @param image  the image reference the new container is made from
     * @param digest the tag's digest, or the built image's id
     * @param commit the commit it was built from, or null for an image
     */
    record Release(ImageRef image, String digest, CommitInfo commit) {
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

    private Deployment record(Service service, Trigger trigger, String newDigest, CommitInfo commit) {
        Instant now = clock.instant();
        long id = deployments.start(service.id(), trigger, service.digest(), newDigest, commit, now, owner);
        Deployment d = new Deployment(id, service.id(), trigger, service.digest(), newDigest, now, null, Outcome.RUNNING, null,
                commit);
        events.deploymentStarted(service, d);
        return d;
    }

    /** Puts the release live in place of the service's container, or leaves the old one running. */
    private DeployResult replace(Service service, Deployment d, Release release) {
        // 1. The image is on the engine: pulled by digest, or built.
        // 2. The replacement, created but not started: a spec the engine refuses changes nothing.
        Optional<ContainerInfo> old = currentContainer(service);
        String tempName = service.name() + "-redock-next";
        removeLeftover(tempName, service);
        String next;
        try {
            next = engine.create(old.isPresent() ? tempName : service.name(), release.image().nameWithTag(),
                    service.spec(), redockLabels(service, release.digest(), release.commit()));
        } catch (EngineException e) {
            return finish(service, d, Outcome.FAILED, "cannot create the new container: " + e.getMessage(), release, false);
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
                return rollBack(service, d, next, old.get(), oldWasRunning, reason, release);
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
                return finish(service, d, Outcome.FAILED, reason, release, false);
            }
            return rollBack(service, d, next, old.get(), oldWasRunning, reason, release);
        }

        // 5. Up: the old container goes.
        old.ifPresent(o -> quietly(() -> engine.remove(o.id())));
        if (release.commit() != null && !release.image().equals(service.image())) {
            // The image the previous commit was built into is no longer needed (kept if something else uses it).
            quietly(() -> engine.removeImage(service.image().nameWithTag()));
        }
        return finish(service, d, Outcome.SUCCEEDED, null, release, true);
    }

    private DeployResult rollBack(Service service, Deployment d, String next, ContainerInfo old, boolean oldWasRunning,
                                  String reason, Release release) {
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
                            + back.reason(), release, false);
                }
            }
        } catch (EngineException e) {
            return finish(service, d, Outcome.FAILED, reason + "; rollback failed: " + e.getMessage(), release, false);
        }
        String to;
        if (service.fromGit()) {
            to = service.commit() == null ? "the previous container" : CommitInfo.shortSha(service.commit());
        } else {
            to = service.digest() == null ? "the previous container" : shortDigest(service.digest());
        }
        return finish(service, d, Outcome.ROLLED_BACK, reason + " (rolled back to " + to + ")", release, false);
    }

    private DeployResult finish(Service service, Deployment d, Outcome outcome, String error, Release release) {
        return finish(service, d, outcome, error, release, outcome == Outcome.SUCCEEDED);
    }

    /** Records a deployment that failed before it had its version (reading, pulling or fetching it): polls may try it again. */
    private DeployResult notTried(Service service, Deployment d, String error) {
        return finish(service, d, Outcome.FAILED, error, null, false, false);
    }

    private DeployResult finish(Service service, Deployment d, Outcome outcome, String error, Release release, boolean live) {
        return finish(service, d, outcome, error, release, live, true);
    }

    /**
     * Records how a deployment ended.
     *
     * @param release what it tried to put live, or null when it got no image; its digest goes into the history
     * @param live    whether the release went live, so that the service now runs it
     * @param tried   whether the deployment had its version and put it to the test
     */
    private DeployResult finish(Service service, Deployment d, Outcome outcome, String error, Release release, boolean live,
                                boolean tried) {
        Instant now = clock.instant();
        String newDigest = release == null ? d.newDigest() : release.digest();
        db.inTransaction(c -> {
            deployments.finish(c, d.id(), outcome, error, newDigest, tried, now);
            if (live && release.commit() != null) {
                services.setBuild(c, service.id(), release.image(), release.digest(), release.commit().sha(), now);
            } else if (live) {
                services.setDigest(c, service.id(), release.digest(), now);
            }
            return null;
        });
        if (!live && release != null && release.commit() != null && !release.image().equals(service.image())) {
            // An image built for a commit that did not go live is not kept (unless something else uses it).
            quietly(() -> engine.removeImage(release.image().nameWithTag()));
        }
        Deployment done = new Deployment(d.id(), d.serviceId(), d.trigger(), d.oldDigest(), newDigest, d.started(), now,
                outcome, error, d.commit(), tried);
        Service after = service;
        if (live) {
            after = release.commit() != null
                    ? service.withBuild(release.image(), release.digest(), release.commit().sha(), now)
                    : service.withDigest(release.digest(), now);
        }
        String what = release != null && release.commit() != null
                ? release.commit().shortSha() + " (" + shortDigest(release.digest()) + ")"
                : shortDigest(newDigest);
        if (outcome == Outcome.SUCCEEDED) {
            LOG.info("Deployed {} at {}", service.name(), what);
        } else {
            LOG.warn("Deployment of {} {}: {}", service.name(), outcome.label(), error);
        }
        events.deploymentFinished(after, done);
        String message = switch (outcome) {
            case SUCCEEDED -> service.name() + " runs " + what;
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
        return redockLabels(service, digest, null);
    }

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
