package dev.redock.ui.launch;

import javafx.fxml.FXML;

import dev.redock.ui.form.ServiceFormController;

/** Step 2: the service's settings, in the form the Edit form shares. */
public final class ConfigStepController {

    @FXML private ServiceFormController formController;

    public ConfigStepController() {
        // the form's fields are the shared form's; nothing of its own
    }

    void focusFirst() {
        formController.focusFirst();
    }
}
