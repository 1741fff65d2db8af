package dev.redock.ui.settings;

import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.stage.Stage;
import javafx.stage.Window;

import dev.redock.ui.FxThread;
import dev.redock.ui.UiContext;
import dev.redock.ui.Views;

/** Opens the Settings dialog (the tray, notifications, where the HTTP API is) over the main window. */
public final class SettingsDialog {

    private SettingsDialog() {
    }

    public static Stage open(UiContext context, Window owner) {
        FxThread.check();
        Views.Loaded<SettingsController> loaded = context.views().load("settings/settings_dialog.fxml");
        Stage stage = context.dialog(owner, "Redock settings", loaded.root());
        stage.getScene().getAccelerators().put(new KeyCodeCombination(KeyCode.ESCAPE), stage::close);
        stage.setMinWidth(560);
        loaded.controller().attach(stage);
        stage.show();
        loaded.controller().model().load();
        return stage;
    }
}
