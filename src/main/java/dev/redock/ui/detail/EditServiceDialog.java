package dev.redock.ui.detail;

import java.util.UUID;

import javafx.stage.Stage;
import javafx.stage.Window;

import dev.redock.ui.UiContext;
import dev.redock.ui.Views;

/** Opens a service's Edit form in a modal window. */
public final class EditServiceDialog {

    private EditServiceDialog() {
    }

    public static Stage open(UiContext context, Window owner, UUID serviceId) {
        EditModel model = new EditModel(serviceId, context.core(), context.tasks());
        Views.Loaded<EditServiceController> loaded = context.views().load("detail/edit_service.fxml", model, model.form(),
                model.git());
        Stage stage = context.dialog(owner, "Edit service", loaded.root());
        stage.setMinWidth(620);
        stage.setMinHeight(560);
        loaded.controller().attach(stage);
        stage.show();
        model.load();
        return stage;
    }
}
