package dev.redock.ui.launch;

import javafx.stage.Stage;
import javafx.stage.Window;

import dev.redock.ui.UiContext;
import dev.redock.ui.form.FormDialog;

/** Opens the launch-service wizard in its own modal window over the main one, with a fresh model for its steps. */
public final class LaunchWizard {

    private LaunchWizard() {
    }

    public static Stage open(UiContext context, Window owner) {
        LaunchModel model = new LaunchModel(context.core(), context.tasks(), context.services(), context.engines());
        return FormDialog.open(context, owner, "Launch service", "launch/launch_wizard.fxml", 640, 600,
                model, model.form(), model.git());
    }
}
