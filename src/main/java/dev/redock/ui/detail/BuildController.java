package dev.redock.ui.detail;

import javafx.fxml.FXML;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.TextArea;

import dev.redock.ui.LogArea;

/**
 * A service's Build tab (services built from source only): the output of the build under way, or of the last one seen
 * since the page opened, with its status and progress; a note on what starts a build until one runs.
 */
public final class BuildController {

    private final DetailModel model;

    @FXML private Label buildStatus;
    @FXML private ProgressBar buildProgress;
    @FXML private Label buildPlaceholder;
    @FXML private TextArea buildArea;

    public BuildController(DetailModel model) {
        this.model = model;
    }

    @FXML
    private void initialize() {
        LogArea.follow(buildArea, model.build());
        buildStatus.textProperty().bind(model.build().statusProperty());
        buildProgress.progressProperty().bind(model.build().progressProperty());
        buildProgress.visibleProperty().bind(model.build().runningProperty());
        buildPlaceholder.visibleProperty().bind(model.builtProperty().not());
        buildPlaceholder.managedProperty().bind(buildPlaceholder.visibleProperty());
        buildArea.visibleProperty().bind(model.builtProperty());
        buildArea.managedProperty().bind(buildArea.visibleProperty());
    }
}
