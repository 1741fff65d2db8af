package dev.redock.ui.form;

import javafx.fxml.FXML;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;

import atlantafx.base.controls.ToggleSwitch;

import dev.redock.model.EnvMask;
import dev.redock.ui.RevealToggle;

/**
 * The fields of a service's settings, bound to a {@link ServiceForm}; used by the wizard (where the engine is chosen) and
 * by the Edit form (where it is shown, fixed).
 */
public final class ServiceFormController {

    private final ServiceForm form;

    @FXML private TextField nameField;
    @FXML private Label nameError;
    @FXML private Label nameHint;
    @FXML private ComboBox<String> engineField;
    @FXML private TextField engineName;
    @FXML private Label engineHint;
    @FXML private Label autoredeployHint;
    @FXML private TextArea portsField;
    @FXML private Label portsError;
    @FXML private TextArea envField;
    @FXML private Label envError;
    @FXML private Label envHint;
    @FXML private RevealToggle envReveal;
    @FXML private TextArea volumesField;
    @FXML private Label volumesError;
    @FXML private TextField commandField;
    @FXML private Label commandError;
    @FXML private ComboBox<String> restartField;
    @FXML private Label restartError;
    @FXML private TextField stopTimeoutField;
    @FXML private Label stopTimeoutError;
    @FXML private TextField minUptimeField;
    @FXML private Label minUptimeError;
    @FXML private TextArea labelsField;
    @FXML private Label labelsError;
    @FXML private TextArea networksField;
    @FXML private Label networksError;
    @FXML private ToggleSwitch autoredeploySwitch;

    public ServiceFormController(ServiceForm form) {
        this.form = form;
    }

    @FXML
    private void initialize() {
        nameField.textProperty().bindBidirectional(form.nameProperty());
        nameField.editableProperty().bind(form.nameEditableProperty());
        nameField.focusTraversableProperty().bind(form.nameEditableProperty());
        nameHint.textProperty().bind(javafx.beans.binding.Bindings.when(form.nameEditableProperty())
                .then(javafx.beans.binding.Bindings.when(form.fromGitProperty())
                        .then("Also the container's name. Suggested from the repository.")
                        .otherwise("Also the container's name. Suggested from the image."))
                .otherwise("A service keeps its name."));
        engineField.setItems(form.engineChoices());
        engineField.valueProperty().bindBidirectional(form.engineProperty());
        engineField.setCellFactory(list -> new ListCell<>() {
            @Override
            protected void updateItem(String name, boolean empty) {
                super.updateItem(name, empty);
                textProperty().unbind();
                if (empty || name == null) {
                    setText(null);
                } else {
                    // Follows the engine's state while the list shows it.
                    textProperty().bind(javafx.beans.binding.Bindings.createStringBinding(() -> form.engineLabel(name),
                            form.engineStates()));
                }
            }
        });
        engineField.setButtonCell(engineField.getCellFactory().call(null));
        engineField.visibleProperty().bind(form.engineEditableProperty());
        engineField.managedProperty().bind(engineField.visibleProperty());
        engineName.textProperty().bind(form.engineProperty());
        engineName.visibleProperty().bind(form.engineEditableProperty().not());
        engineName.managedProperty().bind(engineName.visibleProperty());
        engineHint.textProperty().bind(form.engineHintProperty());
        autoredeployHint.textProperty().bind(javafx.beans.binding.Bindings.when(form.fromGitProperty())
                .then("When on, a new commit on the branch is fetched, built and rolled out by itself. Off by default.")
                .otherwise("When on, a new push to the tag pulls the image and recreates the container by itself. Off by default."));
        FieldErrors.bind(nameField, nameError, form.nameErrorProperty());
        portsField.textProperty().bindBidirectional(form.portsProperty());
        FieldErrors.bind(portsField, portsError, form.portsErrorProperty());
        envField.textProperty().bindBidirectional(form.envProperty());
        FieldErrors.bind(envField, envError, form.envErrorProperty());
        envReveal.selectedProperty().bindBidirectional(form.envShownProperty());
        envReveal.visibleProperty().bind(form.envMaskableProperty());
        envReveal.managedProperty().bind(envReveal.visibleProperty());
        envHint.textProperty().bind(javafx.beans.binding.Bindings.when(form.envMaskableProperty())
                .then("One per line: KEY=value. A value left as " + EnvMask.MASK + " keeps the one stored.")
                .otherwise("One per line: KEY=value"));
        volumesField.textProperty().bindBidirectional(form.volumesProperty());
        FieldErrors.bind(volumesField, volumesError, form.volumesErrorProperty());
        commandField.textProperty().bindBidirectional(form.commandProperty());
        FieldErrors.bind(commandField, commandError, form.commandErrorProperty());
        restartField.getItems().setAll("no", "always", "unless-stopped", "on-failure", "on-failure:3");
        restartField.getEditor().textProperty().bindBidirectional(form.restartProperty());
        restartField.valueProperty().addListener((obs, old, v) -> {
            if (v != null) {
                form.restartProperty().set(v);
            }
        });
        FieldErrors.bind(restartField, restartError, form.restartErrorProperty());
        stopTimeoutField.textProperty().bindBidirectional(form.stopTimeoutProperty());
        FieldErrors.bind(stopTimeoutField, stopTimeoutError, form.stopTimeoutErrorProperty());
        minUptimeField.textProperty().bindBidirectional(form.minUptimeProperty());
        FieldErrors.bind(minUptimeField, minUptimeError, form.minUptimeErrorProperty());
        labelsField.textProperty().bindBidirectional(form.labelsProperty());
        FieldErrors.bind(labelsField, labelsError, form.labelsErrorProperty());
        networksField.textProperty().bindBidirectional(form.networksProperty());
        FieldErrors.bind(networksField, networksError, form.networksErrorProperty());
        autoredeploySwitch.selectedProperty().bindBidirectional(form.autoredeployProperty());
    }

    /** Puts the cursor in the first field that can be typed in. */
    public void focusFirst() {
        (nameField.isEditable() ? nameField : portsField).requestFocus();
    }
}
