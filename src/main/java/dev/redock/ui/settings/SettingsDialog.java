package dev.redock.ui.settings;

import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.stage.Stage;
import javafx.stage.Window;

import dev.redock.ui.FxThread;
import dev.redock.ui.UiContext;
import dev.redock.ui.Views;

/** Opens the Settings dialog (autoredeploy, the tray, notifications, where the HTTP API is; the engines) over the main window. */
public final class SettingsDialog {

    private SettingsDialog() {
    }

    public static Stage open(UiContext context, Window owner) {
        return open(context, owner, false);
    }

    /** Opens Settings on its Engines tab. */
    public static Stage openEngines(UiContext context, Window owner) {
        return open(context, owner, true);
    }

    private static Stage open(UiContext context, Window owner, boolean engines) {
        FxThread.check();
        Views.Loaded<SettingsController> loaded = context.views().load("settings/settings_dialog.fxml");
        Stage stage = context.dialog(owner, "Redock settings", loaded.root());
        stage.getScene().getAccelerators().put(new KeyCodeCombination(KeyCode.ESCAPE), stage::close);
        stage.setMinWidth(560);
        loaded.controller().attach(stage);
        if (engines) {
            loaded.controller().showEngines();
        }
        stage.show();
        loaded.controller().load();
        return stage;
    }
}
