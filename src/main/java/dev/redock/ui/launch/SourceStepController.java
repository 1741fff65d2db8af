package dev.redock.ui.launch;

import javafx.fxml.FXML;
import javafx.scene.Node;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;

import dev.redock.ui.form.GitFieldsController;

/**
 * Step 1: where the service comes from, chosen with a segmented toggle: an image tag (checked against its registry) or a
 * git repository's branch (its head read from the remote). Each source keeps what was typed when the other is chosen.
 */
public final class SourceStepController {

    private final LaunchModel model;
    private final ToggleGroup group = new ToggleGroup();

    @FXML private ToggleButton imageToggle;
    @FXML private ToggleButton gitToggle;
    @FXML private Node imageStep;
    @FXML private Node gitStep;
    @FXML private ImageStepController imageStepController;
    @FXML private GitFieldsController gitFieldsController;

    public SourceStepController(LaunchModel model) {
        this.model = model;
    }

    @FXML
    private void initialize() {
        imageToggle.setToggleGroup(group);
        gitToggle.setToggleGroup(group);
        imageToggle.setUserData(LaunchModel.Source.IMAGE);
        gitToggle.setUserData(LaunchModel.Source.GIT);
        select(model.sourceProperty().get());
        group.selectedToggleProperty().addListener((obs, old, now) -> {
            if (now == null) {
                old.setSelected(true); // one of the two is always chosen
            } else {
                model.sourceProperty().set((LaunchModel.Source) now.getUserData());
            }
        });
        model.sourceProperty().addListener((obs, old, now) -> {
            select(now);
            focusFirst();
        });
        imageStep.visibleProperty().bind(model.sourceProperty().isEqualTo(LaunchModel.Source.IMAGE));
        imageStep.managedProperty().bind(imageStep.visibleProperty());
        gitStep.visibleProperty().bind(model.sourceProperty().isEqualTo(LaunchModel.Source.GIT));
        gitStep.managedProperty().bind(gitStep.visibleProperty());
    }

    private void select(LaunchModel.Source source) {
        (source == LaunchModel.Source.GIT ? gitToggle : imageToggle).setSelected(true);
    }

    void focusFirst() {
        if (model.sourceProperty().get() == LaunchModel.Source.GIT) {
            gitFieldsController.focusFirst();
        } else {
            imageStepController.focusFirst();
        }
    }
}
