package dev.redock.ui.settings;

import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;

import dev.redock.app.Redock;
import dev.redock.ui.FxThread;
import dev.redock.ui.StatusModel;
import dev.redock.ui.Tasks;
import dev.redock.ui.tray.TraySettings;

/**
 * The Settings dialog's state: the tray and notification settings (read and written off the FX thread), and where the HTTP
 * API listens and its token is kept (shown, not edited here: {@code redock settings api} changes them).
 */
public final class SettingsModel {

    private final Redock redock;
    private final Tasks tasks;
    private final StatusModel status;
    private final BooleanProperty closeToTray = new SimpleBooleanProperty(this, "closeToTray", true);
    private final BooleanProperty muteSuccesses = new SimpleBooleanProperty(this, "muteSuccesses");
    private final ReadOnlyBooleanWrapper loaded = new ReadOnlyBooleanWrapper(this, "loaded");
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper(this, "busy");
    private final ReadOnlyStringWrapper problem = new ReadOnlyStringWrapper(this, "problem");
    private final ReadOnlyStringWrapper apiUrl = new ReadOnlyStringWrapper(this, "apiUrl", "");
    private final ReadOnlyStringWrapper tokenFile = new ReadOnlyStringWrapper(this, "tokenFile", "");
    private final ReadOnlyStringWrapper dataFolder = new ReadOnlyStringWrapper(this, "dataFolder", "");

    public SettingsModel(Redock redock, Tasks tasks, StatusModel status) {
        this.redock = redock;
        this.tasks = tasks;
        this.status = status;
        dataFolder.set(redock.dataFolder().toString());
        tokenFile.set(redock.dataFolder().resolve("api-token").toString());
        apiUrl.set(redock.api().map(api -> api.baseUrl() + "/api/v1/")
                .orElse("not served by this window (another Redock process serves it, or it could not start)"));
    }

    /** Reads the stored settings. */
    public void load() {
        FxThread.check();
        busy.set(true);
        tasks.run(() -> TraySettings.load(redock.settings()), s -> {
            busy.set(false);
            closeToTray.set(s.closeToTray());
            muteSuccesses.set(s.muteSuccesses());
            loaded.set(true);
        }, e -> {
            busy.set(false);
            problem.set("Cannot read the settings: " + Tasks.message(e));
        });
    }

    /** Stores the settings; {@code then} runs on the FX thread once they are stored. */
    public void save(Runnable then) {
        FxThread.check();
        TraySettings s = new TraySettings(closeToTray.get(), muteSuccesses.get());
        busy.set(true);
        tasks.run(() -> s.save(redock.settings()), () -> {
            busy.set(false);
            status.closeToTrayProperty().set(s.closeToTray());
            then.run();
        }, e -> {
            busy.set(false);
            problem.set("Cannot save the settings: " + Tasks.message(e));
        });
    }

    public BooleanProperty closeToTrayProperty() {
        return closeToTray;
    }

    public BooleanProperty muteSuccessesProperty() {
        return muteSuccesses;
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

    public ReadOnlyStringProperty dataFolderProperty() {
        return dataFolder.getReadOnlyProperty();
    }
}
