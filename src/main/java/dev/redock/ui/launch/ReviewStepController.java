package dev.redock.ui.launch;

import java.util.stream.Collectors;

import javafx.fxml.FXML;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.layout.VBox;

import dev.redock.model.ContainerSpec;
import dev.redock.model.ImageRef;
import dev.redock.ui.form.CommandLine;
import dev.redock.ui.form.FieldErrors;
import dev.redock.ui.form.ServiceForm;

/** Step 3: a summary of what will be launched, then the launch with the pull's progress, or its error. */
public final class ReviewStepController {

    private final LaunchModel model;

    @FXML private Label summaryName;
    @FXML private Label summaryImage;
    @FXML private Label summaryDigest;
    @FXML private Label summaryPorts;
    @FXML private Label summaryEnv;
    @FXML private Label summaryVolumes;
    @FXML private Label summaryCommand;
    @FXML private Label summaryRestart;
    @FXML private Label summaryAutoredeploy;
    @FXML private VBox progressBox;
    @FXML private ProgressBar pullProgress;
    @FXML private Label progressText;
    @FXML private Label launchError;

    public ReviewStepController(LaunchModel model) {
        this.model = model;
    }

    @FXML
    private void initialize() {
        model.stepProperty().addListener((obs, old, now) -> {
            if (now.intValue() == LaunchModel.REVIEW) {
                summarise();
            }
        });
        progressBox.visibleProperty().bind(model.launchingProperty().or(model.launchedProperty().isNotNull()));
        progressBox.managedProperty().bind(progressBox.visibleProperty());
        pullProgress.progressProperty().bind(model.progressProperty());
        progressText.textProperty().bind(model.progressTextProperty());
        FieldErrors.bind(new javafx.scene.layout.Region(), launchError, model.launchErrorProperty());
        launchError.getStyleClass().add("launch-error");
    }

    private void summarise() {
        ServiceForm form = model.form();
        ImageRef ref = model.image().ref();
        ContainerSpec spec = form.validProperty().get() ? form.spec() : ContainerSpec.empty();
        summaryName.setText(form.name());
        summaryImage.setText(ref == null ? "-" : ref.familiar());
        summaryDigest.setText(model.digestProperty().get() == null ? "-" : model.digestProperty().get());
        summaryPorts.setText(orNone(spec.ports().stream().map(Object::toString).collect(Collectors.joining(", "))));
        summaryEnv.setText(orNone(spec.env().keySet().stream().collect(Collectors.joining(", "))));
        summaryVolumes.setText(orNone(spec.volumes().stream().map(Object::toString).collect(Collectors.joining(", "))));
        summaryCommand.setText(spec.command().isEmpty() ? "the image's own" : CommandLine.join(spec.command()));
        summaryRestart.setText(spec.restart().toString()
                + (spec.stopTimeoutSeconds() == null ? "" : " · stop timeout " + spec.stopTimeoutSeconds() + " s"));
        summaryAutoredeploy.setText(form.autoredeployProperty().get()
                ? "on: a new push to the tag redeploys it" : "off: it stays on this digest until you redeploy");
    }

    private static String orNone(String s) {
        return s.isEmpty() ? "none" : s;
    }
}
