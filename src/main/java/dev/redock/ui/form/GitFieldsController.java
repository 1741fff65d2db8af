package dev.redock.ui.form;

import java.io.File;

import javafx.beans.binding.Bindings;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import javafx.stage.DirectoryChooser;
import javafx.util.StringConverter;

import org.kordamp.ikonli.javafx.FontIcon;

import dev.redock.model.GitSource;
import dev.redock.service.ServiceInput;

/**
 * The fields of a git source, bound to {@link GitFields}: used by the launch wizard's first step and by the Edit form of
 * a service built from source. "Local clone…" picks a folder; when it is a clone with remotes, a chooser offers them.
 */
public final class GitFieldsController {

    private final GitFields fields;

    @FXML private TextField repositoryField;
    @FXML private Label repositoryError;
    @FXML private VBox remoteBox;
    @FXML private ComboBox<GitFields.Remote> remoteField;
    @FXML private Label urlHint;
    @FXML private TextField branchField;
    @FXML private Label branchError;
    @FXML private TextField dockerfileField;
    @FXML private Label dockerfileError;
    @FXML private TextField contextField;
    @FXML private Label contextError;
    @FXML private TextArea pathsField;
    @FXML private Label pathsError;
    @FXML private HBox checkBox;
    @FXML private FontIcon checkIcon;
    @FXML private ProgressIndicator checkSpinner;
    @FXML private Label checkTitle;
    @FXML private Label checkMessage;
    @FXML private Button checkButton;

    public GitFieldsController(GitFields fields) {
        this.fields = fields;
    }

    @FXML
    private void initialize() {
        repositoryField.textProperty().bindBidirectional(fields.repositoryProperty());
        FieldErrors.bind(repositoryField, repositoryError, fields.repositoryErrorProperty());
        branchField.textProperty().bindBidirectional(fields.branchProperty());
        FieldErrors.bind(branchField, branchError, fields.branchErrorProperty());
        dockerfileField.textProperty().bindBidirectional(fields.dockerfileProperty());
        FieldErrors.bind(dockerfileField, dockerfileError, fields.dockerfileErrorProperty());
        contextField.textProperty().bindBidirectional(fields.contextProperty());
        FieldErrors.bind(contextField, contextError, fields.contextErrorProperty());
        pathsField.textProperty().bindBidirectional(fields.pathsProperty());
        FieldErrors.bind(pathsField, pathsError, fields.pathsErrorProperty());

        remoteField.setItems(fields.remotes());
        remoteField.setConverter(new StringConverter<>() {
            @Override
            public String toString(GitFields.Remote r) {
                return r == null ? "" : r.isFolder() ? "This folder itself" : r.name() + "  ·  " + GitSource.withoutCredentials(r.url());
            }

            @Override
            public GitFields.Remote fromString(String s) {
                return null;
            }
        });
        remoteField.valueProperty().bindBidirectional(fields.remoteProperty());
        remoteBox.visibleProperty().bind(Bindings.isNotEmpty(fields.remotes()));
        remoteBox.managedProperty().bind(remoteBox.visibleProperty());
        urlHint.textProperty().bind(Bindings.createStringBinding(() -> {
            GitFields.Remote r = fields.remoteProperty().get();
            return r == null || r.isFolder() ? "Builds come from this folder's own branches."
                    : "Builds come from " + r.name() + ": " + GitSource.withoutCredentials(r.url());
        }, fields.remoteProperty()));

        checkBox.visibleProperty().bind(fields.checkProperty().isNotEqualTo(GitFields.Check.IDLE));
        checkBox.managedProperty().bind(checkBox.visibleProperty());
        checkTitle.textProperty().bind(fields.checkTitleProperty());
        checkMessage.textProperty().bind(fields.checkMessageProperty());
        checkSpinner.visibleProperty().bind(fields.checkProperty().isEqualTo(GitFields.Check.CHECKING));
        checkSpinner.managedProperty().bind(checkSpinner.visibleProperty());
        checkIcon.visibleProperty().bind(checkSpinner.visibleProperty().not());
        checkIcon.managedProperty().bind(checkIcon.visibleProperty());
        fields.checkProperty().addListener((obs, old, now) -> showCheck(now));
        showCheck(fields.checkProperty().get());
        checkButton.disableProperty().bind(fields.sourceProperty().isNull()
                .or(fields.checkProperty().isEqualTo(GitFields.Check.CHECKING)));
    }

    private void showCheck(GitFields.Check now) {
        checkIcon.setIconLiteral(now == GitFields.Check.FAILED ? "mdal-error_outline" : "mdal-check_circle");
        checkBox.getStyleClass().removeAll("found", "failed", "checking");
        checkBox.getStyleClass().add(switch (now) {
            case FOUND -> "found";
            case FAILED -> "failed";
            default -> "checking";
        });
    }

    /** Puts the cursor in the repository field. */
    public void focusFirst() {
        repositoryField.requestFocus();
    }

    @FXML
    private void chooseLocalClone() {
        DirectoryChooser chooser = new DirectoryChooser();
        chooser.setTitle("Choose a local clone");
        String current = ServiceInput.expandHome(fields.repositoryProperty().get());
        File start = current != null && GitFields.isLocalPath(current) ? new File(current) : new File(System.getProperty("user.home"));
        if (start.isDirectory()) {
            chooser.setInitialDirectory(start);
        }
        File chosen = chooser.showDialog(repositoryField.getScene().getWindow());
        if (chosen != null) {
            fields.repositoryProperty().set(chosen.getAbsolutePath());
        }
    }

    @FXML
    private void check() {
        fields.checkHead();
    }
}
