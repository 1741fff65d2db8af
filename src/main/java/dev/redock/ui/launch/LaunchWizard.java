package dev.redock.ui.launch;

import javafx.stage.Stage;
import javafx.stage.Window;

import dev.redock.ui.UiContext;
import dev.redock.ui.Views;

/** Opens the launch-service wizard in its own modal window over the main one, with a fresh model for its steps. */
public final class LaunchWizard {

    private LaunchWizard() {
    }

    public static Stage open(UiContext context, Window owner) {
        LaunchModel model = new LaunchModel(context.core(), context.tasks(), context.services());
        Views.Loaded<LaunchWizardController> loaded = context.views().load("launch/launch_wizard.fxml", model, model.form(),
                model.git());
        Stage stage = context.dialog(owner, "Launch service", loaded.root());
        stage.setMinWidth(640);
        stage.setMinHeight(600);
        loaded.controller().attach(stage);
        stage.show();
        return stage;
    }
}
