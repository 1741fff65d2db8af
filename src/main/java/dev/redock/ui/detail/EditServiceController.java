package dev.redock.ui.detail;

import javafx.beans.binding.Bindings;
import javafx.beans.value.ObservableBooleanValue;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.stage.Stage;

import dev.redock.service.ServiceManager;
import dev.redock.ui.Dialogs;
import dev.redock.ui.Notifier;
import dev.redock.ui.form.FieldErrors;
import dev.redock.ui.form.FormDialog;
import dev.redock.ui.form.ServiceFormController;
import dev.redock.ui.services.ServicesModel;

/**
 * The Edit form: the image and tag (or, for a service built from source, its repository, branch, Dockerfile, context and
 * path filters), then the same fields as the wizard's second step. Save persists them and, when the
 * container's configuration changed, offers to redeploy now; Cancel (or Escape) discards.
 */
public final class EditServiceController implements FormDialog.Form {

    private final EditModel model;
    private final ServicesModel services;
    private final Notifier notifier;
    private Stage stage;

    @FXML private Label titleLabel;
    @FXML private javafx.scene.layout.GridPane imageGrid;
    @FXML private TextField imageField;
    @FXML private Label imageError;
    @FXML private TextField tagField;
    @FXML private Label tagError;
    @FXML private ServiceFormController formController;
    @FXML private javafx.scene.Node gitFields;
    @FXML private dev.redock.ui.form.GitFieldsController gitFieldsController;
    @FXML private Label saveError;
    @FXML private Button saveButton;
    @FXML private Button cancelButton;

    public EditServiceController(EditModel model, ServicesModel services, Notifier notifier) {
        this.model = model;
        this.services = services;
        this.notifier = notifier;
    }

    @FXML
    private void initialize() {
        titleLabel.textProperty().bind(Bindings.createStringBinding(
                () -> model.originalProperty().get() == null ? "Edit service" : "Edit " + model.originalProperty().get().name(),
                model.originalProperty()));
        imageField.textProperty().bindBidirectional(model.image().imageProperty());
        FieldErrors.bind(imageField, imageError, model.image().imageErrorProperty());
        tagField.textProperty().bindBidirectional(model.image().tagProperty());
        FieldErrors.bind(tagField, tagError, model.image().tagErrorProperty());
        FieldErrors.bind(new javafx.scene.layout.Region(), saveError, model.errorProperty());
        saveButton.disableProperty().bind(model.canSaveProperty().not());
        cancelButton.disableProperty().bind(model.savingProperty());
        gitFields.setVisible(false);
        gitFields.setManaged(false);
        model.originalProperty().addListener((obs, old, s) -> {
            boolean git = s != null && s.fromGit();
            imageGrid.setVisible(!git);
            imageGrid.setManaged(!git);
            gitFields.setVisible(git);
            gitFields.setManaged(git);
        });
        model.savedProperty().addListener((obs, old, result) -> {
            if (result != null) {
                saved(result);
            }
        });
    }

    private void saved(ServiceManager.EditResult result) {
        var s = result.service();
        stage.close();
        notifier.success("Saved " + s.name() + " (autoredeploy " + (s.autoredeploy() ? "on" : "off") + ")");
        if (result.containerChanged() && Dialogs.confirm(stage.getOwner(), "Redeploy " + s.name(),
                "Redeploy " + s.name() + " now?",
                "Its container's configuration changed. The running container follows only after a redeploy.",
                "Redeploy now", false)) {
            services.redeploy(s.id(), s.name());
        }
    }

    @Override
    public ObservableBooleanValue busyProperty() {
        return model.savingProperty();
    }

    @Override
    public void attach(Stage window) {
        this.stage = window;
        model.originalProperty().addListener((obs, old, s) -> {
            if (s != null && s.fromGit()) {
                gitFieldsController.focusFirst();
            } else {
                imageField.requestFocus();
            }
        });
    }

    @FXML
    private void save() {
        model.save();
    }

    @FXML
    private void cancel() {
        if (!model.savingProperty().get()) {
            stage.close();
        }
    }
}
