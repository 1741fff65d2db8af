package dev.redock.app;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import dev.redock.deploy.DeployPolicy;
import dev.redock.deploy.Deployer;
import dev.redock.deploy.EventHub;
import dev.redock.deploy.ServiceManager;
import dev.redock.engine.DockerEngine;
import dev.redock.engine.EngineSettings;
import dev.redock.registry.CredentialStore;
import dev.redock.registry.RegistryBackoff;
import dev.redock.registry.RegistryClient;
import dev.redock.schedule.Scheduler;
import dev.redock.store.Database;
import dev.redock.store.DeploymentStore;
import dev.redock.store.ServiceStore;
import dev.redock.store.SettingsStore;

/**
 * The whole core, wired by hand in one place: storage, then the engine and the registry, then the deployer and the
 * services, then (on demand) the scheduler. The CLI, the window and the agent each make one and close it when done.
 */
public final class Redock implements AutoCloseable {

    public static final String INTERVAL_SETTING = "poll.interval";
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(60);

    private final Path dataFolder;
    private final Database db;
    private final ServiceStore services;
    private final DeploymentStore deployments;
    private final SettingsStore settings;
    private final DockerEngine engine;
    private final RegistryClient registry;
    private final RegistryBackoff backoff;
    private final EventHub events = new EventHub();
    private final Deployer deployer;
    private final ServiceManager manager;
    private final Clock clock = Clock.systemUTC();
    private Scheduler scheduler;

    /** Opens the core on a data folder, with the engine named by the environment ({@code DOCKER_HOST}). */
    public Redock(Path dataFolder, Map<String, String> env, DeployPolicy policy) {
        this(dataFolder, engineSettings(env), CredentialStore.fromEnvironment(), policy);
    }

    public Redock(Path dataFolder, EngineSettings engineSettings, CredentialStore credentials, DeployPolicy policy) {
        this.dataFolder = dataFolder;
        this.db = Database.open(dataFolder);
        this.services = new ServiceStore(db);
        this.deployments = new DeploymentStore(db);
        this.settings = new SettingsStore(db);
        this.engine = DockerEngine.connect(engineSettings);
        this.registry = new RegistryClient(credentials, Duration.ofSeconds(15));
        this.backoff = new RegistryBackoff();
        this.deployer = new Deployer(db, services, deployments, engine, registry, credentials, events, policy, clock);
        this.manager = new ServiceManager(db, services, deployments, engine, registry, deployer, events, clock);
    }

    private static EngineSettings engineSettings(Map<String, String> env) {
        EngineSettings settings = EngineSettings.defaults();
        String host = env.get("DOCKER_HOST");
        return host == null || host.isBlank() ? settings : settings.withHost(java.net.URI.create(host.strip()));
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

    public SettingsStore settings() {
        return settings;
    }

    public DockerEngine engine() {
        return engine;
    }

    public RegistryClient registry() {
        return registry;
    }

    public EventHub events() {
        return events;
    }

    public Deployer deployer() {
        return deployer;
    }

    /** The poll interval: the stored setting, else the default. */
    public Duration interval() {
        return settings.get(INTERVAL_SETTING).map(Durations::parse).orElse(DEFAULT_INTERVAL);
    }

    /**
     * The scheduler, made on first use and not started. The caller holds the data folder's scheduler lock.
     *
     * @param intervalOverride an interval given on the command line, or null to follow the stored setting
     */
    public synchronized Scheduler scheduler(Duration intervalOverride) {
        if (scheduler == null) {
            scheduler = new Scheduler(services, registry, backoff, deployer, clock,
                    () -> intervalOverride != null ? intervalOverride : interval());
        }
        return scheduler;
    }

    @Override
    public void close() {
        synchronized (this) {
            if (scheduler != null) {
                scheduler.close();
            }
        }
        engine.close();
        db.close();
    }
}
