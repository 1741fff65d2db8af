package dev.redock.ui.launch;

import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.TextField;
import javafx.scene.layout.HBox;

import org.kordamp.ikonli.javafx.FontIcon;

import dev.redock.ui.form.FieldErrors;

/** Step 1: the image and its tag, checked against the registry as they are typed (and on demand). */
public final class ImageStepController {

    private final LaunchModel model;

    @FXML private TextField imageField;
    @FXML private Label imageError;
    @FXML private TextField tagField;
    @FXML private Label tagError;
    @FXML private HBox checkBox;
    @FXML private FontIcon checkIcon;
    @FXML private ProgressIndicator checkSpinner;
    @FXML private Label checkTitle;
    @FXML private Label checkMessage;
    @FXML private Button checkButton;

    public ImageStepController(LaunchModel model) {
        this.model = model;
    }

    @FXML
    private void initialize() {
        imageField.textProperty().bindBidirectional(model.image().imageProperty());
        FieldErrors.bind(imageField, imageError, model.image().imageErrorProperty());
        tagField.textProperty().bindBidirectional(model.image().tagProperty());
        FieldErrors.bind(tagField, tagError, model.image().tagErrorProperty());

        checkBox.visibleProperty().bind(model.checkProperty().isNotEqualTo(LaunchModel.Check.IDLE));
        checkBox.managedProperty().bind(checkBox.visibleProperty());
        checkTitle.textProperty().bind(model.checkTitleProperty());
        checkMessage.textProperty().bind(model.checkMessageProperty());
        checkSpinner.visibleProperty().bind(model.checkProperty().isEqualTo(LaunchModel.Check.CHECKING));
        checkSpinner.managedProperty().bind(checkSpinner.visibleProperty());
        checkIcon.visibleProperty().bind(checkSpinner.visibleProperty().not());
        checkIcon.managedProperty().bind(checkIcon.visibleProperty());
        model.checkProperty().addListener((obs, old, now) -> {
            checkIcon.setIconLiteral(now == LaunchModel.Check.FAILED ? "mdal-error_outline" : "mdal-check_circle");
            checkBox.getStyleClass().removeAll("found", "failed", "checking");
            checkBox.getStyleClass().add(switch (now) {
                case FOUND -> "found";
                case FAILED -> "failed";
                default -> "checking";
            });
        });
        checkButton.disableProperty().bind(model.image().refProperty().isNull()
                .or(model.checkProperty().isEqualTo(LaunchModel.Check.CHECKING)));
    }

    void focusFirst() {
        imageField.requestFocus();
    }

    @FXML
    private void check() {
        model.checkRegistry();
    }
}
