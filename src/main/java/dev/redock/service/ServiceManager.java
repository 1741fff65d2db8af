package dev.redock.service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.redock.deploy.DeployQueue;
import dev.redock.deploy.Deployer;
import dev.redock.deploy.Launcher;
import dev.redock.engine.DockerEngine;
import dev.redock.engine.Engines;
import dev.redock.engine.EngineException;
import dev.redock.engine.VolumeMount;
import dev.redock.git.GitException;
import dev.redock.git.GitRemotes;
import dev.redock.model.BuildProgress;
import dev.redock.model.ContainerInfo;
import dev.redock.model.ContainerSetting;
import dev.redock.model.ContainerSpec;
import dev.redock.model.DeployEvents;
import dev.redock.model.DeployResult;
import dev.redock.model.Deployment;
import dev.redock.model.EnvMask;
import dev.redock.model.GitSource;
import dev.redock.model.ImageRef;
import dev.redock.model.Labels;
import dev.redock.model.Outcome;
import dev.redock.model.PullProgress;
import dev.redock.model.Service;
import dev.redock.model.ServiceStatus;
import dev.redock.model.ServiceView;
import dev.redock.model.TagDigest;
import dev.redock.model.Trigger;
import dev.redock.model.ValidationException;
import dev.redock.registry.RegistryClient;
import dev.redock.registry.RegistryException;
import dev.redock.store.DeploymentStore;
import dev.redock.store.NameTakenException;
import dev.redock.store.ServiceStore;

/**
 * What users do to services (launch, switch autoredeploy, redeploy, start, stop, remove), shared by the CLI, the window
 * and the API so that each of them validates and behaves the same.
 */
public final class ServiceManager {

    private static final Logger LOG = LoggerFactory.getLogger(ServiceManager.class);

    /**
     * How long the list of services waits for each engine's containers before it shows that engine's services as
     * unreachable (an engine that accepts connections and never answers would hold them up for its connection's
     * response timeout, a minute); {@code REDOCK_ENGINE_ANSWER_TIMEOUT} sets another.
     */
    public static final Duration ENGINE_ANSWER_TIMEOUT = Engines.ANSWER_DEADLINE;

    private final ServiceStore services;
    private final DeploymentStore deployments;
    private final Engines engines;
    private final EngineService engineList;
    private final RegistryClient registry;
    private final Deployer deployer;
    private final Launcher launcher;
    private final DeployQueue queue;
    private final GitRemotes gitRemotes;
    private final DeployEvents events;
    private final Clock clock;
    private final Adoptions adoptions;
    private final ContainerLists containerLists;
    private final Duration engineAnswerTimeout;

    /** @param engineAnswerTimeout how long the list of services waits for each engine ({@link #ENGINE_ANSWER_TIMEOUT}) */
    public ServiceManager(ServiceStore services, DeploymentStore deployments, Engines engines, EngineService engineList,
                          RegistryClient registry, Deployer deployer, DeployQueue queue, GitRemotes gitRemotes,
                          DeployEvents events, Clock clock, Duration engineAnswerTimeout) {
        this.services = services;
        this.deployments = deployments;
        this.engines = engines;
        this.engineList = engineList;
        this.registry = registry;
        this.deployer = deployer;
        this.launcher = deployer.launcher();
        this.queue = queue;
        this.gitRemotes = gitRemotes;
        this.events = events;
        this.clock = clock;
        this.adoptions = new Adoptions(services, engines, engineList, events, clock);
        // An engine's answer that came too late for the list that asked: the window asks for the list again to show it.
        this.containerLists = new ContainerLists(engines, engineAnswerTimeout, events::servicesChanged);
        this.engineAnswerTimeout = engineAnswerTimeout;
    }

    /** The containers no service follows, and adopting them. */
    public Adoptions adoptions() {
        return adoptions;
    }

    /** The engine the service runs on. */
    private DockerEngine engineOf(Service s) throws EngineException {
        return engines.of(s.engine());
    }

    /** Finds a service by name or uuid, or says clearly that there is none. */
    public Service get(String nameOrId) {
        return services.resolve(nameOrId)
                .orElseThrow(() -> new UnknownServiceException(nameOrId));
    }

    public List<Service> list() {
        return services.all();
    }

    public List<Deployment> history(UUID id, int limit) {
        return deployments.history(id, limit);
    }

    /**
     * Launches a service that follows an image: checks everything first, pulls the tag's image by digest, creates and
     * starts the container, and waits until it runs. Only then is the service written, with its launch in its history; on
     * any failure the container is removed again and nothing is written.
     */
    public Service launch(LaunchRequest request, PullProgress progress) throws EngineException, RegistryException {
        if (request.git() != null) {
            throw new IllegalArgumentException("a service built from source is launched with launch(request, pull, build)");
        }
        try {
            return launch(request, progress, null);
        } catch (GitException e) {
            throw new IllegalStateException("the launch of an image went to git", e);
        }
    }

    /**
     * Launches a service from either source. For a git source: reads the branch's head, fetches that commit, builds it
     * (tagged {@code redock/<name>:<short sha>}), creates and starts the container and waits until it runs; only then is
     * the service written, with its launch and the commit in its history. On any failure nothing is written and no
     * container is left.
     *
     * @param pull  hears an image's pull; may be null
     * @param build hears the fetch and the build, line by line; may be null
     */
    public Service launch(LaunchRequest request, PullProgress pull, BuildProgress build)
            throws EngineException, RegistryException, GitException {
        String engine = request.engine() == null ? engineList.forNew() : engineList.require(request.engine()).name();
        request = request.onEngine(engine);
        String name = freeName(request);
        Instant asked = clock.instant();
        Service draft = new Service(UUID.randomUUID(), name, request.image(), request.spec(), request.autoredeploy(), null,
                asked, asked, request.git(), null, request.engine(), null, request.minUptime());
        Service launched = launcher.launch(draft, pull, build);
        events.servicesChanged();
        return launched;
    }

    /** The commit at the head of the source's branch, read from the remote without fetching (the wizard's check). */
    public String headOf(GitSource source) throws GitException {
        return gitRemotes.head(source.url(), source.branch());
    }

    /** The remotes configured in a local clone, by name, with their URLs (the wizard's chooser). */
    public Map<String, String> remotesOf(java.nio.file.Path localClone) {
        return GitRemotes.remotesOf(localClone);
    }

    private String freeName(LaunchRequest request) throws EngineException {
        String name = Service.validName(request.nameOrSuggested());
        if (services.findByName(name).isPresent()) {
            throw new NameTakenException(name);
        }
        Optional<ContainerInfo> clash = engines.of(request.engine()).inspect(name);
        if (clash.isPresent()) {
            throw new ValidationException("name", "a container named \"" + name + "\" already exists on engine \""
                    + request.engine() + "\"");
        }
        return name;
    }

    public Service setAutoredeploy(String nameOrId, boolean on) {
        Service s = get(nameOrId);
        if (on) {
            requireFollowable(s);
        }
        Instant now = clock.instant();
        if (!services.setAutoredeploy(s.id(), on, now)) {
            throw new UnknownServiceException(nameOrId);
        }
        events.servicesChanged();
        return s.withAutoredeploy(on, now);
    }

    /**
     * Saves a service's editable settings (the Edit form, {@code PATCH} in the API). The image, the container spec,
     * autoredeploy and the minimum uptime may change; the name may not. An environment value given as
     * {@link EnvMask#MASK} keeps the stored one. Returns the saved service and whether the container's configuration changed, in which case the running
     * container only follows after a redeploy (the caller offers one).
     */
    public EditResult edit(UUID id, ImageRef image, ContainerSpec given, boolean autoredeploy, Duration minUptime) {
        Service before = services.find(id).orElseThrow(() -> new UnknownServiceException(id.toString()));
        ContainerSpec spec = keepingMaskedEnv(given, before);
        if (before.git() != null && !before.image().equals(image)) {
            throw new ValidationException("image", before.name() + " is built from git: its image is the one built from its"
                    + " repository");
        }
        Service after = before.edited(image, spec, autoredeploy, before.git(), minUptime, clock.instant());
        if (autoredeploy && !before.autoredeploy()) {
            requireFollowable(after);
        }
        if (!services.update(after)) {
            throw new UnknownServiceException(id.toString());
        }
        boolean containerChanged = !before.spec().equals(spec) || !before.image().equals(image);
        events.servicesChanged();
        return new EditResult(after, containerChanged);
    }

    /**
     * Saves a service built from source: its git source, container spec, autoredeploy and minimum uptime (an environment
     * value given masked keeps the stored one). A changed source or spec only takes effect at the next redeploy (the caller offers
     * one), which builds the new source's head.
     */
    public EditResult edit(UUID id, GitSource git, ContainerSpec given, boolean autoredeploy, Duration minUptime) {
        Service before = services.find(id).orElseThrow(() -> new UnknownServiceException(id.toString()));
        ContainerSpec spec = keepingMaskedEnv(given, before);
        if (before.git() == null) {
            throw new ValidationException("git", before.name() + " follows an image, not a git repository");
        }
        Service after = before.edited(before.image(), spec, autoredeploy, git, minUptime, clock.instant());
        if (!services.update(after)) {
            throw new UnknownServiceException(id.toString());
        }
        boolean containerChanged = !before.spec().equals(spec) || !before.git().equals(git);
        events.servicesChanged();
        return new EditResult(after, containerChanged);
    }

    /** Saves a checked change of a stored service (see {@link ServiceInput#toChange}). */
    public EditResult edit(UUID id, ServiceChange change) {
        return change.git() != null
                ? edit(id, change.git(), change.spec(), change.autoredeploy(), change.minUptime())
                : edit(id, change.image(), change.spec(), change.autoredeploy(), change.minUptime());
    }

    /** Refuses autoredeploy for a service with no tag to follow, saying why. */
    private static void requireFollowable(Service s) {
        String refused = s.autoredeployRefused();
        if (refused != null) {
            throw new ValidationException("autoredeploy", refused);
        }
    }

    /** The spec given, its masked environment values replaced by those the service has. */
    private static ContainerSpec keepingMaskedEnv(ContainerSpec given, Service before) {
        return given.withEnv(EnvMask.unmasked(given.env(), before.spec().env()));
    }

    /** A saved edit: the service as stored, and whether its container must be redeployed to follow. */
    public record EditResult(Service service, boolean containerChanged) {
    }

    /**
     * Redeploys now, whatever the digest: a user asked for it. The deployment runs on the deployment queue; a caller that
     * stops waiting (an interrupted thread, a window closing) leaves it running to its end.
     */
    public DeployResult redeploy(String nameOrId) {
        Service s = get(nameOrId);
        try {
            return queue.run(s.id(), Trigger.MANUAL);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new DeployResult(DeployResult.Kind.QUEUED, null, "the redeploy of " + s.name() + " goes on in the background");
        }
    }

    /**
     * Breaks the deployment lock of a service whose deployment is stuck (its holder stopped on another host, say), then
     * finishes or undoes the deployment it left. Refuses while a live holder renews the lock.
     *
     * @return what was done, for the user
     */
    public String unlock(String nameOrId) throws InterruptedException {
        Service s = get(nameOrId);
        String done;
        try {
            done = deployer.lock().breakStuck(s.id());
        } catch (IllegalStateException live) {
            throw new ValidationException("service", s.name() + "'s deployment lock is " + live.getMessage());
        }
        // What the stuck deployment left is finished or undone on the deployment queue, as every deployment is.
        try {
            queue.recover(s.id()).get().ifPresent(r -> LOG.info("Unlocked {}: {}", s.name(), r.message()));
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
        events.servicesChanged();
        return s.name() + ": " + done;
    }

    public void start(String nameOrId) throws EngineException {
        Service s = get(nameOrId);
        ContainerInfo c = container(s).orElseThrow(() -> new EngineException(s.name() + " has no container (missing): redeploy it to make one"));
        engineOf(s).start(c.id());
        events.servicesChanged();
    }

    public void stop(String nameOrId) throws EngineException {
        Service s = get(nameOrId);
        ContainerInfo c = container(s).orElseThrow(() -> new EngineException(s.name() + " has no container (missing)"));
        engineOf(s).stop(c.id());
        events.servicesChanged();
    }

    /**
     * Removes the service's container and the service with its history. Its volumes (named ones and the anonymous ones an
     * image's {@code VOLUME}s made) are kept unless asked for: the result names them either way, so that no volume is left
     * behind without the user knowing.
     *
     * @param volumes whether to remove the volumes too (those another container still uses stay)
     */
    public RemoveResult remove(String nameOrId, boolean volumes) throws EngineException {
        Service s = get(nameOrId);
        if (!deployer.lock().acquire(s.id())) {
            throw new ValidationException("service", "a deployment of " + s.name() + " is under way: remove it once it ends"
                    + " (redock service unlock " + s.name() + " if its process stopped)");
        }
        try {
            services.markRemoving(s.id(), volumes);
            return removeLocked(s, volumes);
        } finally {
            deployer.lock().release(s.id());
        }
    }

    /**
     * Stops following the service: it and its history go, its container stays exactly as it is (running or not, with
     * whatever labels it has), and shows among the containers no service follows.
     */
    public Service forget(String nameOrId) {
        Service s = get(nameOrId);
        if (!deployer.lock().acquire(s.id())) {
            throw new ValidationException("service", "a deployment of " + s.name() + " is under way: forget it once it ends"
                    + " (redock service unlock " + s.name() + " if its process stopped)");
        }
        try {
            services.delete(s.id());
        } finally {
            deployer.lock().release(s.id());
        }
        LOG.info("Forgot {}; its container stays as it is", s.name());
        events.servicesChanged();
        return s;
    }

    /** Removes the service, journalled as removing, with its lock held. */
    private RemoveResult removeLocked(Service s, boolean volumes) throws EngineException {
        DockerEngine engine = engineOf(s);
        java.util.Set<VolumeMount> mounts = new java.util.LinkedHashSet<>();
        for (ContainerInfo c : containersOf(s)) {
            mounts.addAll(engine.volumeMounts(c.id()));
            engine.remove(c.id());
        }
        services.delete(s.id());
        if (s.fromGit()) {
            // The images built for it go too (an image something else still uses stays).
            for (String image : engine.imagesByLabel(Labels.SERVICE, s.id().toString())) {
                try {
                    engine.removeImage(image);
                } catch (EngineException e) {
                    LOG.debug("Kept the image {} built for {}: {}", image, s.name(), e.getMessage());
                }
            }
        }
        List<String> kept = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        for (VolumeMount m : mounts) {
            if (!volumes) {
                kept.add(m.describe());
                continue;
            }
            try {
                engine.removeVolume(m.name());
                removed.add(m.describe());
            } catch (EngineException e) {
                kept.add(m.describe() + ": " + e.getMessage());
            }
        }
        LOG.info("Removed {}; volumes removed: {}; kept: {}", s.name(), removed, kept);
        events.servicesChanged();
        return new RemoveResult(s, removed, kept);
    }

    /** Removes the service and its container, keeping its volumes. */
    public RemoveResult remove(String nameOrId) throws EngineException {
        return remove(nameOrId, false);
    }

    /**
     * A removed service.
     *
     * @param removedVolumes the volumes removed with it, as they read for a user
     * @param keptVolumes    those kept (by choice, or because another container uses them)
     */
    public record RemoveResult(Service service, List<String> removedVolumes, List<String> keptVolumes) {
    }

    /** The volumes the service's container mounts, as they read for a user (for the question before removing it). */
    public List<String> volumesOf(String nameOrId) throws EngineException {
        Service s = get(nameOrId);
        DockerEngine engine = engineOf(s);
        List<String> result = new ArrayList<>();
        for (ContainerInfo c : containersOf(s)) {
            engine.volumeMounts(c.id()).forEach(m -> result.add(m.describe()));
        }
        return result.stream().distinct().toList();
    }

    /** The digest a tag points at now, asked of its registry (the launch wizard's check before anything is pulled). */
    public TagDigest checkImage(ImageRef ref) throws RegistryException {
        return registry.digest(ref);
    }

    /**
     * Every container that is the service's: those carrying its label (its own, and any a deployment under way made beside
     * it), and the container it was adopted from while that is still its own.
     */
    public List<ContainerInfo> containersOf(Service s) throws EngineException {
        return containersOf(s, engineOf(s));
    }

    private static List<ContainerInfo> containersOf(Service s, DockerEngine engine) throws EngineException {
        List<ContainerInfo> result = new ArrayList<>(engine.listByLabel(Labels.SERVICE, s.id().toString()));
        if (s.adopted() != null && result.stream().noneMatch(c -> c.id().equals(s.adopted()))) {
            engine.inspect(s.adopted()).ifPresent(result::add);
        }
        return result;
    }

    /**
     * The settings of the service's container that the Edit form does not edit (user, entrypoint, limits, capabilities,
     * each network's aliases and addresses...), as the engine reports them; a redeploy keeps them as they are. Empty when
     * the service has no container.
     */
    public List<ContainerSetting> otherSettings(Service s) throws EngineException {
        Optional<ContainerInfo> c = container(s);
        return c.isEmpty() ? List.of() : engineOf(s).otherSettings(c.get().id());
    }

    /** The last lines of the output of one of the service's containers. */
    public List<String> logTail(Service s, String containerId, int lines) throws EngineException {
        return engineOf(s).logTail(containerId, lines);
    }

    /** The container that is the service: named after it, and its own (see {@link Service#owns}). */
    public Optional<ContainerInfo> container(Service s) throws EngineException {
        return engineOf(s).inspect(s.name()).filter(s::owns);
    }

    /**
     * Every service with its status as its engine sees it: one list of containers per engine (as {@code docker ps -a}
     * gives it), the engines asked side by side, and an inspect only of a service's container that is not running (for
     * what the list does not say: its exit code). The services of an engine that fails, or that has not answered within
     * the deadline ({@link #ENGINE_ANSWER_TIMEOUT} unless set otherwise), show it as unreachable, with the reason; the
     * others are not held up by it. An engine still asked by an earlier list is not asked again (see {@link ContainerLists}).
     */
    public List<ServiceView> views() {
        List<Service> all = services.all();
        Map<String, List<Service>> byEngine = new java.util.LinkedHashMap<>();
        all.forEach(s -> byEngine.computeIfAbsent(s.engine(), e -> new ArrayList<>()).add(s));
        Map<String, CompletableFuture<List<ContainerInfo>>> asked = containerLists.of(byEngine);
        Map<UUID, Deployment> latest = deployments.latestOfEach();
        List<ServiceView> result = new ArrayList<>();
        for (Service s : all) {
            Deployment last = latest.get(s.id());
            List<ContainerInfo> containers;
            try {
                containers = asked.get(s.engine()).join();
            } catch (java.util.concurrent.CompletionException e) {
                result.add(unreachable(s, e.getCause(), last));
                continue;
            }
            result.add(view(s, containers, last));
        }
        return result;
    }

    /**
     * Every service with its latest deployment, from the database alone: what the window shows before any engine has
     * answered. A service whose latest deployment is under way is deploying; what the others' containers do is not known
     * yet ({@link ServiceStatus#CHECKING}).
     */
    public List<ServiceView> storedViews() {
        Map<UUID, Deployment> latest = deployments.latestOfEach();
        List<ServiceView> result = new ArrayList<>();
        for (Service s : services.all()) {
            Deployment last = latest.get(s.id());
            boolean deploying = last != null && last.outcome() == Outcome.RUNNING;
            result.add(new ServiceView(s, deploying ? ServiceStatus.DEPLOYING : ServiceStatus.CHECKING, null, null, last));
        }
        return result;
    }

    /**
     * The service with its status as its engine sees it (its page, {@code service inspect}, the API's service), waiting
     * for its engine no longer than the list does: past the deadline it is unreachable, with the reason. Its engine is
     * asked anew each time, not through the list's questions: a page asks after its own actions, and wants an answer
     * given after them.
     */
    public ServiceView view(Service s) {
        Deployment last = deployments.latest(s.id()).orElse(null);
        CompletableFuture<List<ContainerInfo>> answer =
                engines.askEach(List.of(s.engine()), engine -> containersOf(s, engine)).get(s.engine());
        try {
            return view(s, answer.get(engineAnswerTimeout.toNanos(), TimeUnit.NANOSECONDS), last);
        } catch (TimeoutException e) {
            return unreachable(s, engines.didNotAnswer(s.engine(), engineAnswerTimeout), last);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof EngineException failed) {
                return unreachable(s, failed, last);
            }
            throw new IllegalStateException("reading the state of " + s.name() + " failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return unreachable(s, engines.notWaitedFor(s.engine(), e), last);
        }
    }

    /** A service whose engine did not answer: why, in the engine's words. */
    private static ServiceView unreachable(Service s, Throwable why, Deployment last) {
        return new ServiceView(s, ServiceStatus.UNREACHABLE, "engine \"" + s.engine() + "\" unreachable: " + why.getMessage(),
                null, last);
    }

    private static ServiceView view(Service s, List<ContainerInfo> containers, Deployment last) {
        Optional<ContainerInfo> mine = containers.stream()
                .filter(c -> s.owns(c) && s.name().equals(c.name()))
                .findFirst();
        if (last != null && last.outcome() == Outcome.RUNNING) {
            return new ServiceView(s, ServiceStatus.DEPLOYING, null, mine.map(ContainerInfo::id).orElse(null), last);
        }
        if (mine.isEmpty()) {
            return new ServiceView(s, ServiceStatus.MISSING, "no container: removed outside Redock", null, last);
        }
        ContainerInfo c = mine.get();
        if (c.state().running()) {
            return new ServiceView(s, ServiceStatus.RUNNING, null, c.id(), last);
        }
        if (c.state().restarting()) {
            return new ServiceView(s, ServiceStatus.FAILED, "restarting after exit code " + c.state().exitCode(), c.id(), last);
        }
        int exit = c.state().exitCode();
        if (exit != 0 && exit != 143 && exit != 137) {
            return new ServiceView(s, ServiceStatus.FAILED, "exited with code " + exit, c.id(), last);
        }
        return new ServiceView(s, ServiceStatus.STOPPED, null, c.id(), last);
    }

    /**
     * Makes the engine and the database agree when a Redock process starts: deployments, launches and removals left
     * unfinished by a process that stopped (or an engine that went away) are finished or undone from their journals. With
     * nothing left unfinished it costs three small queries and no call to the engine.
     *
     * @return what was done, a line per deployment, for the user
     */
    public List<String> reconcile() {
        List<String> done = new ArrayList<>(deployer.recoverUnfinished());
        done.addAll(launcher.undoCutShort());
        done.addAll(finishRemovalsCutShort());
        if (!done.isEmpty()) {
            events.servicesChanged();
        }
        return done;
    }

    /** Finishes removals whose process stopped half way, as they were asked for (with or without the volumes). */
    private List<String> finishRemovalsCutShort() {
        List<String> done = new ArrayList<>();
        for (var removal : services.removing().entrySet()) {
            Optional<Service> s = services.find(removal.getKey());
            if (s.isEmpty() || !deployer.lock().acquire(s.get().id())) {
                continue;
            }
            try {
                removeLocked(s.get(), removal.getValue());
                done.add(s.get().name() + ": a removal cut short by a stopped process was finished");
            } catch (EngineException e) {
                LOG.warn("Cannot finish removing {} yet: {}", s.get().name(), e.getMessage());
            } finally {
                deployer.lock().release(s.get().id());
            }
        }
        return done;
    }

    /** No service has that name or uuid. */
    public static final class UnknownServiceException extends ValidationException {
        public UnknownServiceException(String nameOrId) {
            super("service", "no service named or with the id \"" + nameOrId + "\"");
        }
    }

}
