package dev.redock.app;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.redock.api.ApiServer;
import dev.redock.deploy.ChangeWatcher;
import dev.redock.deploy.DeployPolicy;
import dev.redock.deploy.DeployQueue;
import dev.redock.deploy.Deployer;
import dev.redock.deploy.Failpoints;
import dev.redock.deploy.GitReleases;
import dev.redock.deploy.ImageReleases;
import dev.redock.deploy.ReleaseSource;
import dev.redock.engine.DockerContexts;
import dev.redock.engine.DockerEngine;
import dev.redock.engine.EngineException;
import dev.redock.engine.EngineSettings;
import dev.redock.engine.EngineLocator;
import dev.redock.engine.Engines;
import dev.redock.service.EngineService;
import dev.redock.store.EngineStore;
import dev.redock.git.GitCredentialHelper;
import dev.redock.git.GitRemotes;
import dev.redock.git.GitSsh;
import dev.redock.git.SourceBuilder;
import dev.redock.git.SourceCache;
import dev.redock.model.ContainerSpec;
import dev.redock.model.Durations;
import dev.redock.model.Json;
import dev.redock.model.PollStatus;
import dev.redock.registry.CredentialStore;
import dev.redock.registry.RegistryBackoff;
import dev.redock.registry.RegistryClient;
import dev.redock.schedule.Scheduler;
import dev.redock.service.ApiToken;
import dev.redock.service.Core;
import dev.redock.service.EventHub;
import dev.redock.service.ServiceManager;
import dev.redock.service.Settings;
import dev.redock.service.TriggerService;
import dev.redock.store.CommandTurn;
import dev.redock.store.Database;
import dev.redock.store.DeploymentStore;
import dev.redock.store.ServiceStore;
import dev.redock.store.SettingsStore;
import dev.redock.store.TriggerStore;

/**
 * The whole core, wired by hand in one place: storage, then the engine and the registry, then the deployer and the
 * services, then (on demand) the scheduler. The CLI, the window and the agent each make one and close it when done.
 */
public final class Redock implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Redock.class);

    /** How long a registry may take over each request as a whole: connecting, the headers and the body. */
    public static final Duration REGISTRY_TIMEOUT = Duration.ofSeconds(15);
    /** How long a git remote may take to connect and to answer each read (an {@code ls-remote} as a whole: twice that). */
    public static final Duration GIT_TIMEOUT = Duration.ofSeconds(30);

    private final Path dataFolder;
    /** The environment the core was opened with (it chose the engine, credentials and policy); null if given those. */
    private final Map<String, String> env;
    private final Database db;
    private final ServiceStore services;
    private final DeploymentStore deployments;
    private final Settings settings;
    private final Core core;
    private final Engines engines;
    private final EngineService engineList;
    private final RegistryClient registry;
    private final RegistryBackoff backoff;
    private final EventHub events = new EventHub();
    private final GitSsh gitSsh;
    private final GitRemotes gitRemotes;
    private final RegistryBackoff gitBackoff = new RegistryBackoff();
    private final Deployer deployer;
    private final ServiceManager manager;
    private final TriggerStore triggerStore;
    private final DeployQueue queue;
    private final TriggerService triggers;
    private ApiServer api;
    private ChangeWatcher watcher;
    private final Clock clock = Clock.systemUTC();
    private Scheduler scheduler;
    private boolean closed;
    /** The data folder's turn (shared) that a core opened for one command holds until it is closed; null otherwise. */
    private CommandTurn turn;
    /** For a window or an agent, the mark that it runs on the data folder ({@link CommandTurn#markResident}); null otherwise. */
    private CommandTurn.Resident resident;

    /**
     * Opens the core on a data folder, with the engine the docker CLI would use in this environment ({@code DOCKER_HOST},
     * {@code DOCKER_CONTEXT}, the context {@code docker context use} chose, or the default socket; see
     * {@link DockerContexts}). When that choice cannot be used (a context that does not exist), the core still opens, and
     * every call to the engine says why.
     */
    public Redock(Path dataFolder, Map<String, String> env, DeployPolicy policy) {
        this(Database.open(dataFolder), dataFolder, env, policy);
    }

    private Redock(Database db, Path dataFolder, Map<String, String> env, DeployPolicy policy) {
        this(db, dataFolder, Map.copyOf(env), EngineLocator.fromEnvironment(env), CredentialStore.fromEnvironment(), policy,
                Failpoints.fromEnvironment(env));
    }

    /** Opens the core on a data folder, its engine and deploy policy as the environment sets them. */
    public static Redock open(Path dataFolder, Map<String, String> env) {
        return new Redock(dataFolder, env, DeployPolicy.fromEnvironment(env));
    }

    /**
     * Opens the core as {@link #open} does, for a process that keeps running on the data folder (the window, the agent):
     * first it waits for the CLI commands working on the folder in processes of their own to finish ({@link CommandTurn},
     * a bounded wait), so that it opens the database itself rather than through a short-lived command's server, which
     * would go away with the command. Once open, it serves the database to the commands that come after it, and waits for
     * them when it closes ({@link Database#close}).
     */
    public static Redock openResident(Path dataFolder, Map<String, String> env) {
        return openResident(dataFolder, env, line -> { });
    }

    /** Opens the core as {@link #openResident(Path, Map)} does; {@code say} also gets the line that says it waits. */
    public static Redock openResident(Path dataFolder, Map<String, String> env, Consumer<String> say) {
        prepareSpecReader();
        try (CommandTurn turn = CommandTurn.toOpen(dataFolder, line -> {
            LOG.info("{}", line);
            say.accept(line);
        })) {
            Redock redock = open(dataFolder, env);
            redock.resident = CommandTurn.markResident(dataFolder);
            return redock;
        }
    }

    /**
     * Reading services parses each one's container spec: Jackson's reader for it is made on a thread of its own while the
     * database opens, rather than after it, by the first read.
     */
    private static void prepareSpecReader() {
        Thread json = new Thread(() -> Json.prepare(ContainerSpec.class), "redock-json");
        json.setDaemon(true);
        json.start();
    }

    /**
     * Opens the core as {@link #open} does, for a process that runs one CLI command and exits. It holds the data folder's
     * turn, shared with the other commands, until it is closed ({@link CommandTurn}: a window or an agent does not open the
     * database through this command's server meanwhile); {@code say} gets a line when opening waits for a window or an
     * agent that is opening the database, or when closing waits for other commands that use this one's database server.
     * Closing it leaves compacting the database file to the next long-running process ({@link Database#openForOneCommand}).
     */
    public static Redock openForOneCommand(Path dataFolder, Map<String, String> env, Consumer<String> say) {
        prepareSpecReader();
        CommandTurn turn = CommandTurn.forCommand(dataFolder, say);
        try {
            Redock redock = new Redock(Database.openForOneCommand(dataFolder, say), dataFolder, env,
                    DeployPolicy.fromEnvironment(env));
            redock.turn = turn;
            return redock;
        } catch (RuntimeException e) {
            turn.close();
            throw e;
        }
    }

    /**
     * The environment this core was opened with, which chose its engine, its registry credentials and its
     * deploy policy; empty when it was given those instead (the tests).
     */
    public java.util.Optional<Map<String, String>> environment() {
        return java.util.Optional.ofNullable(env);
    }

    /** How long stopping may wait for deployments under way, as the environment's deploy policy says. */
    public static Duration stopGrace(Map<String, String> env) {
        return DeployPolicy.fromEnvironment(env).stopGrace();
    }

    /** The services whose deployment is under way in this process, by name (what stopping waits for). */
    public List<String> deploying() {
        return deployer.deploying();
    }

    /** How long closing waits at most for deployments under way (the deploy policy's stop grace). */
    public Duration stopGrace() {
        return deployer.policy().stopGrace();
    }

    public Redock(Path dataFolder, EngineSettings engineSettings, CredentialStore credentials, DeployPolicy policy) {
        this(dataFolder, engineSettings, credentials, policy, Failpoints.NONE);
    }

    /** @param failpoints where the fault tests stop a deployment ({@link Failpoints#NONE} outside them) */
    public Redock(Path dataFolder, EngineSettings engineSettings, CredentialStore credentials, DeployPolicy policy,
                  Failpoints failpoints) {
        this(Database.open(dataFolder), dataFolder, null, EngineLocator.given(engineSettings, System.getenv()), credentials,
                policy, failpoints);
    }

    /**
     * @param db      the database of the data folder, opened
     * @param env     the environment that chose the rest, or null when they were given
     * @param locator finds the engines of the user's list, the default one first
     */
    private Redock(Database db, Path dataFolder, Map<String, String> env, EngineLocator locator,
                   CredentialStore credentials, DeployPolicy policy, Failpoints failpoints) {
        this.dataFolder = dataFolder;
        this.env = env;
        this.db = db;
        this.services = new ServiceStore(db);
        this.deployments = new DeploymentStore(db);
        this.settings = new Settings(new SettingsStore(db), events);
        // The engines: the default one (the docker CLI's) as given, the others found as the user's list says.
        Duration engineAnswerTimeout = Durations.fromEnvironment(env, "REDOCK_ENGINE_ANSWER_TIMEOUT",
                ServiceManager.ENGINE_ANSWER_TIMEOUT);
        this.engines = new Engines(new EngineStore(db)::all, locator, clock, engineAnswerTimeout);
        this.engineList = new EngineService(new EngineStore(db), engines, settings, events, clock);
        this.registry = new RegistryClient(credentials, REGISTRY_TIMEOUT);
        this.backoff = new RegistryBackoff();
        // Git: credentials from the user's git credential helpers (https), SSH agent and ~/.ssh (ssh); Redock stores none.
        GitCredentialHelper gitCredentials = new GitCredentialHelper();
        this.gitSsh = GitSsh.forHome(Path.of(System.getProperty("user.home")));
        this.gitRemotes = new GitRemotes(gitCredentials, GIT_TIMEOUT, gitSsh);
        Path gitCache = dataFolder.resolve("git-cache");
        SourceCache sourceCache = new SourceCache(gitCache, gitCredentials, GIT_TIMEOUT, gitSsh);
        SourceBuilder sourceBuilder = new SourceBuilder(sourceCache, engines, gitCache.resolve("tmp"));
        // Where versions come from: an image tag's digest, pulled by digest; a git branch's head, fetched and built.
        List<ReleaseSource> sources = List.of(
                new ImageReleases(engines, registry, credentials, policy),
                new GitReleases(gitRemotes, sourceBuilder, policy));
        this.deployer = new Deployer(db, services, deployments, engines, sources, events, policy, clock, failpoints);
        this.queue = new DeployQueue(deployer);
        this.manager = new ServiceManager(services, deployments, engines, engineList, registry, deployer, queue, gitRemotes,
                events, clock, engineAnswerTimeout);
        this.triggerStore = new TriggerStore(db);
        this.triggers = new TriggerService(services, triggerStore, queue, clock, settings::autoredeployPaused);
        this.core = new Core(dataFolder, manager, engineList, triggers, settings, events, this::polling,
                () -> api().map(ApiServer::baseUrl));
    }

    /** The engine the docker CLI would use in this environment, signing in to {@code ssh://} hosts as {@code HOME}'s user. */
    static DockerEngine engineFor(Map<String, String> env) {
        Engines.Located chosen = EngineLocator.fromEnvironment(env).current();
        return chosen.unchosen() != null ? DockerEngine.unchosen(chosen.settings(), chosen.unchosen())
                : DockerEngine.connect(chosen.settings());
    }

    public Path dataFolder() {
        return dataFolder;
    }

    public ServiceManager services() {
        return manager;
    }

    public Database database() {
        return db;
    }

    public ServiceStore serviceStore() {
        return services;
    }

    public DeploymentStore deploymentStore() {
        return deployments;
    }

    public Settings settings() {
        return settings;
    }

    /** The service layer: all that the window, the CLI and the API are given. */
    public Core core() {
        return core;
    }

    /** The default engine (the docker CLI's own), which the tests drive. */
    public DockerEngine engine() {
        try {
            return engines.of(dev.redock.model.Service.DEFAULT_ENGINE);
        } catch (EngineException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** Every engine in the user's list, connected on first use. */
    public Engines engines() {
        return engines;
    }

    public RegistryClient registry() {
        return registry;
    }

    /** Reads git remotes (branch heads, a local clone's remotes), and counts its requests. */
    public GitRemotes gitRemotes() {
        return gitRemotes;
    }

    public EventHub events() {
        return events;
    }

    public Deployer deployer() {
        return deployer;
    }

    public TriggerService triggers() {
        return triggers;
    }

    /**
     * Starts the local HTTP API (once), on the stored address and port unless given here.
     *
     * @param portOverride a port to use instead of the setting (0: any free port), or null
     */
    public synchronized ApiServer startApi(Integer portOverride) throws java.io.IOException {
        if (api == null) {
            java.net.InetAddress address = java.net.InetAddress.getByName(settings.apiAddress());
            int port = portOverride != null ? portOverride : settings.apiPort();
            api = ApiServer.start(address, port, manager, engineList, triggers, ApiToken.loadOrCreate(dataFolder));
        }
        return api;
    }

    /** Whether every autoredeploy is paused (polls, announcements and push webhooks), as stored for all processes. */
    public boolean autoredeployPaused() {
        return settings.autoredeployPaused();
    }

    /** Pauses or resumes every autoredeploy, for every process on the data folder (a scheduler follows at its next cycle). */
    public void pauseAutoredeploy(boolean paused) {
        settings.pauseAutoredeploy(paused);
    }

    /** This process's polling, once its scheduler is made. */
    private synchronized java.util.Optional<PollStatus> polling() {
        return java.util.Optional.ofNullable(scheduler);
    }

    /** The API, when this process serves it. */
    public synchronized java.util.Optional<ApiServer> api() {
        return java.util.Optional.ofNullable(api);
    }

    /** Starts telling this process's subscribers about changes other processes make (for an open window). */
    public synchronized void watchOtherProcesses() {
        if (watcher == null) {
            watcher = new ChangeWatcher(db, deployments, services, events, deployer.owner()::equals).start();
        }
    }

    /** The poll interval: the stored setting, else the default. */
    public Duration interval() {
        return settings.interval();
    }

    /**
     * The scheduler, made on first use and not started. The caller holds the data folder's scheduler lock.
     *
     * @param intervalOverride an interval given on the command line, or null to follow the stored setting
     */
    public synchronized Scheduler scheduler(Duration intervalOverride) {
        if (scheduler == null) {
            scheduler = new Scheduler(services, registry, backoff, gitRemotes, gitBackoff, deployer, queue, engines,
                    engine -> manager.reconcile(), clock, () -> intervalOverride != null ? intervalOverride : interval());
            scheduler.followPause(settings::autoredeployPaused);
            settings.onPause(scheduler::setPaused);
        }
        return scheduler;
    }

    /**
     * Closes the core: the API, the watcher and the scheduler first (no new work), then the deployment queue, which lets
     * deployments under way reach their end (at most the policy's stop grace) and never interrupts them. Safe to call
     * twice, from two threads (a stop signal and the command that was running).
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            if (api != null) {
                api.close();
            }
            if (watcher != null) {
                watcher.close();
            }
            if (scheduler != null) {
                scheduler.close();
            }
        }
        queue.close();
        deployer.close();
        gitSsh.close();
        engines.close();
        try {
            db.close();
        } finally {
            if (turn != null) {
                turn.close();
            }
            if (resident != null) {
                resident.close();
            }
        }
    }
}
