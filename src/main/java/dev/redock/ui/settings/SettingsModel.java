package dev.redock.ui.settings;

import javafx.beans.binding.Bindings;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

import dev.redock.model.Durations;
import dev.redock.model.ValidationException;
import dev.redock.service.Core;
import dev.redock.service.Settings;
import dev.redock.ui.FxThread;
import dev.redock.ui.StatusModel;
import dev.redock.ui.Tasks;
import dev.redock.ui.tray.TraySettings;

/**
 * The Settings dialog's state: the tray and notification settings (read and written off the FX thread), and where the HTTP
 * API listens, its token and where the token is kept (shown, not edited here: {@code redock settings api} changes them).
 */
public final class SettingsModel {

    private final Core core;
    private final Tasks tasks;
    private final StatusModel status;
    private final BooleanProperty closeToTray = new SimpleBooleanProperty(this, "closeToTray", true);
    private final BooleanProperty muteSuccesses = new SimpleBooleanProperty(this, "muteSuccesses");
    private final BooleanProperty darkTrayIcon = new SimpleBooleanProperty(this, "darkTrayIcon");
    private final ReadOnlyBooleanWrapper loaded = new ReadOnlyBooleanWrapper(this, "loaded");
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper(this, "busy");
    private final ReadOnlyStringWrapper problem = new ReadOnlyStringWrapper(this, "problem");
    private final ReadOnlyStringWrapper apiUrl = new ReadOnlyStringWrapper(this, "apiUrl", "");
    private final ReadOnlyStringWrapper tokenFile = new ReadOnlyStringWrapper(this, "tokenFile", "");
    private final ReadOnlyStringWrapper apiToken = new ReadOnlyStringWrapper(this, "apiToken", "");
    private final ReadOnlyStringWrapper apiTokenProblem = new ReadOnlyStringWrapper(this, "apiTokenProblem", "");
    private final ReadOnlyStringWrapper dataFolder = new ReadOnlyStringWrapper(this, "dataFolder", "");
    private final StringProperty interval = new SimpleStringProperty(this, "interval", "");
    private final StringBinding intervalError = Bindings.createStringBinding(() -> intervalProblem(interval.get()), interval);

    public SettingsModel(Core core, Tasks tasks, StatusModel status) {
        this.core = core;
        this.tasks = tasks;
        this.status = status;
        dataFolder.set(core.dataFolder().toString());
        tokenFile.set(core.dataFolder().resolve("api-token").toString());
        apiUrl.set(core.servedApiUrl().map(url -> url + "/api/v1/")
                .orElse("not served by this window (another Redock process serves it, or it could not start)"));
    }

    /** Reads the stored settings. */
    public void load() {
        FxThread.check();
        busy.set(true);
        tasks.run(() -> new Stored(TraySettings.load(core.settings()), Durations.format(core.settings().interval())), stored -> {
            busy.set(false);
            closeToTray.set(stored.tray().closeToTray());
            muteSuccesses.set(stored.tray().muteSuccesses());
            darkTrayIcon.set(stored.tray().darkTrayIcon());
            interval.set(stored.interval());
            loaded.set(true);
        }, e -> {
            busy.set(false);
            problem.set("Cannot read the settings: " + Tasks.message(e));
        });
        loadApiToken();
    }

    /** Reads the API token from its file (making it on first use, as the API does), off the FX thread. */
    private void loadApiToken() {
        tasks.run(() -> core.apiToken().value(), t -> {
            apiToken.set(t);
            apiTokenProblem.set("");
        }, e -> apiTokenProblem.set("Cannot read the API token: " + Tasks.message(e)));
    }

    /** Stores the settings; {@code then} runs on the FX thread once they are stored. */
    public void save(Runnable then) {
        FxThread.check();
        TraySettings s = new TraySettings(closeToTray.get(), muteSuccesses.get(), darkTrayIcon.get());
        String every = Durations.format(Durations.parse(interval.get()));
        busy.set(true);
        tasks.run(() -> {
            s.save(core.settings());
            // Every scheduler on the data folder reads it before its next wait.
            core.settings().setInterval(every);
        }, () -> {
            busy.set(false);
            status.closeToTrayProperty().set(s.closeToTray());
            status.darkTrayIconProperty().set(s.darkTrayIcon());
            then.run();
        }, e -> {
            busy.set(false);
            problem.set("Cannot save the settings: " + Tasks.message(e));
        });
    }

    /** What is stored, read in one go off the FX thread. */
    private record Stored(TraySettings tray, String interval) {
    }

    private static String intervalProblem(String text) {
        try {
            Durations.parse(text);
            return "";
        } catch (ValidationException e) {
            return e.getMessage();
        }
    }

    /** The time between polls, as typed (e.g. {@code 60s}, {@code 5m}). */
    public StringProperty intervalProperty() {
        return interval;
    }

    /** Why the interval cannot be saved, or empty. */
    public StringBinding intervalErrorProperty() {
        return intervalError;
    }

    public BooleanProperty closeToTrayProperty() {
        return closeToTray;
    }

    public BooleanProperty muteSuccessesProperty() {
        return muteSuccesses;
    }

    public BooleanProperty darkTrayIconProperty() {
        return darkTrayIcon;
    }

    /** Whether a system tray icon shows here (closing the window can only keep Redock running then). */
    public ReadOnlyBooleanProperty trayAvailableProperty() {
        return status.trayAvailableProperty();
    }

    public ReadOnlyBooleanProperty loadedProperty() {
        return loaded.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty busyProperty() {
        return busy.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty problemProperty() {
        return problem.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty apiUrlProperty() {
        return apiUrl.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty tokenFileProperty() {
        return tokenFile.getReadOnlyProperty();
    }

    /** The API's bearer token, once read; empty until then. */
    public ReadOnlyStringProperty apiTokenProperty() {
        return apiToken.getReadOnlyProperty();
    }

    /** Why the token could not be read, or empty. */
    public ReadOnlyStringProperty apiTokenProblemProperty() {
        return apiTokenProblem.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty dataFolderProperty() {
        return dataFolder.getReadOnlyProperty();
    }
}
