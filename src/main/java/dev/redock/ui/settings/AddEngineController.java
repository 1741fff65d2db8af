package dev.redock.ui.settings;

import java.io.File;
import java.nio.file.Path;

import javafx.beans.binding.Bindings;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.TextField;
import javafx.scene.layout.VBox;
import javafx.stage.DirectoryChooser;
import javafx.stage.Stage;

import dev.redock.ui.form.FieldErrors;

/** The Add engine dialog: binds its fields to an {@link AddEngineModel}; Choose… picks the TLS folder. */
public final class AddEngineController {

    private final AddEngineModel model;
    private Stage stage;

    @FXML private TextField nameField;
    @FXML private Label nameError;
    @FXML private ComboBox<String> whereField;
    @FXML private TextField tlsField;
    @FXML private VBox offeredBox;
    @FXML private Label offeredText;
    @FXML private Label addError;
    @FXML private ProgressIndicator addingIndicator;
    @FXML private Button addButton;
    @FXML private Button cancelButton;

    public AddEngineController(AddEngineModel model) {
        this.model = model;
    }

    @FXML
    private void initialize() {
        nameField.textProperty().bindBidirectional(model.nameProperty());
        FieldErrors.bind(nameField, nameError, model.nameErrorProperty());
        whereField.setItems(model.suggestions());
        whereField.getEditor().textProperty().bindBidirectional(model.whereProperty());
        whereField.valueProperty().addListener((obs, old, v) -> {
            if (v != null) {
                model.whereProperty().set(v);
            }
        });
        tlsField.textProperty().bindBidirectional(model.tlsDirProperty());
        offeredText.textProperty().bind(Bindings.createStringBinding(() -> String.join("\n", model.offered()), model.offered()));
        offeredBox.visibleProperty().bind(Bindings.isNotEmpty(model.offered()));
        offeredBox.managedProperty().bind(offeredBox.visibleProperty());
        FieldErrors.bind(new javafx.scene.layout.Region(), addError, model.errorProperty());
        addingIndicator.visibleProperty().bind(model.addingProperty());
        addButton.disableProperty().bind(model.canAddProperty().not());
        cancelButton.disableProperty().bind(model.addingProperty());
    }

    void attach(Stage window) {
        this.stage = window;
        window.setOnShown(e -> nameField.requestFocus());
    }

    @FXML
    private void chooseTls() {
        DirectoryChooser chooser = new DirectoryChooser();
        chooser.setTitle("The folder with ca.pem, cert.pem and key.pem");
        String typed = model.tlsDirProperty().get();
        if (typed != null && !typed.isBlank() && new File(typed).isDirectory()) {
            chooser.setInitialDirectory(new File(typed));
        }
        File dir = chooser.showDialog(stage);
        if (dir != null) {
            model.tlsDirProperty().set(Path.of(dir.getPath()).toString());
        }
    }

    @FXML
    private void add() {
        model.add();
    }

    @FXML
    private void cancel() {
        if (!model.addingProperty().get()) {
            stage.close();
        }
    }
}
