package dev.redock.service;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Supplier;

import dev.redock.model.PollStatus;

/**
 * The service layer as a whole: all that the window, the CLI and the API are given. Everything they do to services,
 * triggers and settings goes through these parts, which alone reach the engine, the registries, git and the stores.
 */
public final class Core {

    private final Path dataFolder;
    private final ServiceManager services;
    private final EngineService engines;
    private final TriggerService triggers;
    private final Settings settings;
    private final EventHub events;
    private final Supplier<Optional<PollStatus>> polling;
    private final Supplier<Optional<String>> servedApiUrl;

    /**
     * @param polling      this process's polling, when it polls
     * @param servedApiUrl the base URL of the API this process serves, when it serves one
     */
    public Core(Path dataFolder, ServiceManager services, EngineService engines, TriggerService triggers, Settings settings,
                EventHub events, Supplier<Optional<PollStatus>> polling, Supplier<Optional<String>> servedApiUrl) {
        this.dataFolder = dataFolder;
        this.services = services;
        this.engines = engines;
        this.triggers = triggers;
        this.settings = settings;
        this.events = events;
        this.polling = polling;
        this.servedApiUrl = servedApiUrl;
    }

    public Path dataFolder() {
        return dataFolder;
    }

    public ServiceManager services() {
        return services;
    }

    /** The user's engines: the list, their states, which one new services go to. */
    public EngineService engines() {
        return engines;
    }

    public TriggerService triggers() {
        return triggers;
    }

    public Settings settings() {
        return settings;
    }

    /** What the core tells its observers: deployments started and finished, build output, services changed. */
    public EventHub events() {
        return events;
    }

    /** This process's polling, or empty when another process polls the data folder. */
    public Optional<PollStatus> polling() {
        return polling.get();
    }

    /** The base URL of the API this process serves, or empty when it serves none. */
    public Optional<String> servedApiUrl() {
        return servedApiUrl.get();
    }

    /**
     * The API's base URL ({@code http://127.0.0.1:7321}): this process's own when it serves the API, else where the
     * settings say the serving process listens. May read the database: not on the FX thread.
     */
    public String apiUrl() {
        return servedApiUrl.get().orElseGet(settings::configuredApiUrl);
    }

    /** The API's token, made on first use; it lives in the data folder, readable by its owner only. */
    public ApiToken apiToken() throws IOException {
        return ApiToken.loadOrCreate(dataFolder);
    }
}
