package dev.redock.ui.settings;

import java.util.function.Consumer;

import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.stage.Stage;
import javafx.stage.Window;

import dev.redock.model.EngineStatus;
import dev.redock.ui.EnginesModel;
import dev.redock.ui.FxThread;
import dev.redock.ui.UiContext;
import dev.redock.ui.Views;

/** Opens the Add engine dialog over Settings, with a fresh model. */
public final class AddEngineDialog {

    private AddEngineDialog() {
    }

    /** @param added called on the FX thread with the engine once it is in the list */
    public static Stage open(UiContext context, Window owner, EnginesModel engines, Consumer<EngineStatus> added) {
        FxThread.check();
        AddEngineModel model = new AddEngineModel(engines);
        Views.Loaded<AddEngineController> loaded = context.views().load("settings/add_engine.fxml", model);
        Stage stage = context.dialog(owner, "Add engine", loaded.root());
        stage.getScene().getAccelerators().put(new KeyCodeCombination(KeyCode.ESCAPE), () -> {
            if (!model.addingProperty().get()) {
                stage.close();
            }
        });
        stage.setOnCloseRequest(e -> {
            if (model.addingProperty().get()) {
                e.consume();
            }
        });
        stage.setMinWidth(520);
        model.addedProperty().addListener((obs, old, status) -> {
            if (status != null) {
                stage.close();
                added.accept(status);
            }
        });
        loaded.controller().attach(stage);
        stage.show();
        model.loadOffered();
        return stage;
    }
}
