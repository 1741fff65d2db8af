package dev.redock.ui.detail;

import java.util.UUID;

import javafx.stage.Stage;
import javafx.stage.Window;

import dev.redock.ui.UiContext;
import dev.redock.ui.form.FormDialog;

/** Opens a service's Edit form in a modal window, with a fresh model that reads the service. */
public final class EditServiceDialog {

    private EditServiceDialog() {
    }

    public static Stage open(UiContext context, Window owner, UUID serviceId) {
        EditModel model = new EditModel(serviceId, context.core(), context.tasks());
        Stage stage = FormDialog.open(context, owner, "Edit service", "detail/edit_service.fxml", 620, 560,
                model, model.form(), model.git());
        model.load();
        return stage;
    }
}
