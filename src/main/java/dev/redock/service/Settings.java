package dev.redock.service;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import dev.redock.model.DeployEvents;
import dev.redock.model.Durations;
import dev.redock.model.ValidationException;
import dev.redock.store.SettingsStore;

/**
 * Redock's settings, stored in the data folder for every process on it: the poll interval, the pause of every
 * autoredeploy, where the API listens, and the window's own preferences by name. Each setting has one key and one
 * default here, whoever reads or writes it (the CLI's {@code settings}, the window's Settings, the agent).
 */
public final class Settings {

    public static final String INTERVAL = "poll.interval";
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(60);
    public static final String PAUSED = "autoredeploy.paused";
    public static final String API_PORT = "api.port";
    public static final String API_ADDRESS = "api.address";
    public static final int DEFAULT_API_PORT = 7321;
    public static final String DEFAULT_API_ADDRESS = "127.0.0.1";

    private final SettingsStore store;
    private final DeployEvents events;
    private final List<Consumer<Boolean>> pauseListeners = new CopyOnWriteArrayList<>();

    public Settings(SettingsStore store, DeployEvents events) {
        this.store = store;
        this.events = events;
    }

    /** A setting by its key (the window's own preferences are kept here too). */
    public Optional<String> get(String key) {
        return store.get(key);
    }

    public void put(String key, String value) {
        store.put(key, value);
    }

    /** The poll interval: the stored setting, else the default. */
    public Duration interval() {
        return get(INTERVAL).map(Durations::parse).orElse(DEFAULT_INTERVAL);
    }

    /** Stores the poll interval, as given in words ({@code 30s}, {@code 5m}); a scheduler follows at its next cycle. */
    public Duration setInterval(String text) {
        Duration every = Durations.parse(text);
        put(INTERVAL, Durations.format(every));
        return every;
    }

    /** Whether every autoredeploy is paused (polls, announcements and push webhooks), as stored for all processes. */
    public boolean autoredeployPaused() {
        return get(PAUSED).map(Boolean::parseBoolean).orElse(false);
    }

    /** Pauses or resumes every autoredeploy, for every process on the data folder; this process's scheduler at once. */
    public void pauseAutoredeploy(boolean paused) {
        put(PAUSED, Boolean.toString(paused));
        pauseListeners.forEach(l -> l.accept(paused));
        events.servicesChanged();
    }

    /** Hears this process's pauses and resumes as they are made (the scheduler). */
    public void onPause(Consumer<Boolean> listener) {
        pauseListeners.add(listener);
    }

    /** The address the API listens on. */
    public String apiAddress() {
        return get(API_ADDRESS).orElse(DEFAULT_API_ADDRESS);
    }

    /** The port the API listens on. */
    public int apiPort() {
        return get(API_PORT).map(Integer::parseInt).orElse(DEFAULT_API_PORT);
    }

    /** Stores the API's port, checked; the API moves at its next start. */
    public void setApiPort(int port) {
        if (port < 1 || port > 65535) {
            throw new ValidationException("port", "port " + port + " is out of range (1-65535)");
        }
        put(API_PORT, String.valueOf(port));
    }

    /** Stores the API's address; the API moves at its next start. */
    public void setApiAddress(String address) {
        put(API_ADDRESS, address);
    }

    /**
     * The API's base URL as the settings say the serving process listens ({@code http://127.0.0.1:7321}); an API on
     * every address is reached on loopback.
     */
    public String configuredApiUrl() {
        String address = apiAddress();
        String host = address.equals("0.0.0.0") ? "127.0.0.1" : address.equals("::") ? "[::1]"
                : address.contains(":") && !address.startsWith("[") ? "[" + address + "]" : address;
        return "http://" + host + ":" + apiPort();
    }
}
