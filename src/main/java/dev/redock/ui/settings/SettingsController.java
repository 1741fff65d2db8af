package dev.redock.ui.settings;

import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TextField;
import javafx.stage.Stage;

import dev.redock.service.Core;
import dev.redock.ui.SecretField;
import dev.redock.ui.StatusModel;
import dev.redock.ui.Tasks;

/**
 * The Settings dialog: its General tab binds to a {@link SettingsModel} (saved with Save); its Engines tab is its own
 * section ({@link EnginesTabController}), whose changes take effect at once.
 */
public final class SettingsController {

    private final SettingsModel model;
    private Stage stage;

    @FXML private CheckBox closeToTrayBox;
    @FXML private Label noTrayNote;
    @FXML private CheckBox muteSuccessesBox;
    @FXML private CheckBox darkTrayIconBox;
    @FXML private TextField apiUrlField;
    @FXML private TextField tokenFileField;
    @FXML private SecretField apiTokenField;
    @FXML private Label apiTokenProblem;
    @FXML private TextField dataFolderField;
    @FXML private TextField intervalField;
    @FXML private Label intervalError;
    @FXML private Label problemLabel;
    @FXML private Button saveButton;
    @FXML private TabPane tabs;
    @FXML private Tab enginesTab;
    @FXML private EnginesTabController enginesController;

    public SettingsController(Core core, Tasks tasks, StatusModel status) {
        this.model = new SettingsModel(core, tasks, status);
    }

    @FXML
    private void initialize() {
        closeToTrayBox.selectedProperty().bindBidirectional(model.closeToTrayProperty());
        closeToTrayBox.disableProperty().bind(model.trayAvailableProperty().not());
        noTrayNote.visibleProperty().bind(model.trayAvailableProperty().not());
        noTrayNote.managedProperty().bind(noTrayNote.visibleProperty());
        muteSuccessesBox.selectedProperty().bindBidirectional(model.muteSuccessesProperty());
        darkTrayIconBox.selectedProperty().bindBidirectional(model.darkTrayIconProperty());
        darkTrayIconBox.disableProperty().bind(model.trayAvailableProperty().not());
        apiUrlField.textProperty().bind(model.apiUrlProperty());
        tokenFileField.textProperty().bind(model.tokenFileProperty());
        apiTokenField.textProperty().bind(model.apiTokenProperty());
        apiTokenProblem.textProperty().bind(model.apiTokenProblemProperty());
        apiTokenProblem.visibleProperty().bind(model.apiTokenProblemProperty().isNotEmpty());
        apiTokenProblem.managedProperty().bind(apiTokenProblem.visibleProperty());
        dataFolderField.textProperty().bind(model.dataFolderProperty());
        problemLabel.textProperty().bind(model.problemProperty());
        problemLabel.visibleProperty().bind(model.problemProperty().isNotEmpty());
        problemLabel.managedProperty().bind(problemLabel.visibleProperty());
        intervalField.textProperty().bindBidirectional(model.intervalProperty());
        intervalError.textProperty().bind(model.intervalErrorProperty());
        intervalError.visibleProperty().bind(model.intervalErrorProperty().isNotEmpty());
        intervalError.managedProperty().bind(intervalError.visibleProperty());
        saveButton.disableProperty().bind(model.loadedProperty().not().or(model.busyProperty())
                .or(model.intervalErrorProperty().isNotEmpty()));
    }

    public SettingsModel model() {
        return model;
    }

    /** Reads the stored settings, and asks every engine now. */
    void load() {
        model.load();
        enginesController.open();
    }

    /** Shows the Engines tab. */
    void showEngines() {
        tabs.getSelectionModel().select(enginesTab);
    }

    /** Called by {@link SettingsDialog} with the dialog's window. */
    void attach(Stage dialog) {
        this.stage = dialog;
    }

    @FXML
    private void save() {
        model.save(this::close);
    }

    @FXML
    private void close() {
        if (stage != null) {
            stage.close();
        }
    }
}
