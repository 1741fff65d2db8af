package dev.redock.ui.launch;

import java.util.stream.Collectors;

import javafx.application.Platform;
import javafx.beans.binding.BooleanBinding;
import javafx.fxml.FXML;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TextArea;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.VBox;

import dev.redock.model.CommandWords;
import dev.redock.model.CommitInfo;
import dev.redock.model.ContainerSpec;
import dev.redock.model.GitSource;
import dev.redock.model.ImageRef;
import dev.redock.ui.LogArea;
import dev.redock.ui.form.FieldErrors;
import dev.redock.ui.form.ServiceForm;

/**
 * Step 3: a summary of what will be launched, then the launch with the pull's progress (or the build's output, line by
 * line, with its steps as progress), or its error.
 */
public final class ReviewStepController {

    private final LaunchModel model;

    @FXML private ScrollPane scroll;
    @FXML private Label reviewHint;
    @FXML private GridPane imageSummary;
    @FXML private GridPane gitSummary;
    @FXML private Label summaryName;
    @FXML private Label summaryEngine;
    @FXML private Label summaryImage;
    @FXML private Label summaryDigest;
    @FXML private Label summaryRepository;
    @FXML private Label summaryBranch;
    @FXML private Label summaryBuild;
    @FXML private Label summaryPaths;
    @FXML private Label summaryPorts;
    @FXML private Label summaryEnv;
    @FXML private Label summaryVolumes;
    @FXML private Label summaryCommand;
    @FXML private Label summaryRestart;
    @FXML private Label summaryAutoredeploy;
    @FXML private VBox progressBox;
    @FXML private ProgressBar pullProgress;
    @FXML private Label progressText;
    @FXML private TextArea buildLog;
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
        BooleanBinding git = model.sourceProperty().isEqualTo(LaunchModel.Source.GIT);
        imageSummary.visibleProperty().bind(git.not());
        imageSummary.managedProperty().bind(imageSummary.visibleProperty());
        gitSummary.visibleProperty().bind(git);
        gitSummary.managedProperty().bind(gitSummary.visibleProperty());
        reviewHint.textProperty().bind(javafx.beans.binding.Bindings.when(git)
                .then("Redock fetches the branch's head, builds it with its Dockerfile, creates and starts the container, "
                        + "and waits until it runs.")
                .otherwise("Redock pulls the image by its digest, creates and starts the container, and waits until it runs."));

        progressBox.visibleProperty().bind(model.launchingProperty().or(model.launchedProperty().isNotNull())
                .or(git.and(model.buildLog().textProperty().isNotEmpty())));
        progressBox.managedProperty().bind(progressBox.visibleProperty());
        pullProgress.visibleProperty().bind(model.launchingProperty().or(model.launchedProperty().isNotNull()));
        pullProgress.managedProperty().bind(pullProgress.visibleProperty());
        pullProgress.progressProperty().bind(model.progressProperty());
        progressText.textProperty().bind(model.progressTextProperty());
        buildLog.visibleProperty().bind(git);
        buildLog.managedProperty().bind(buildLog.visibleProperty());
        LogArea.follow(buildLog, model.buildLog());
        FieldErrors.bind(new javafx.scene.layout.Region(), launchError, model.launchErrorProperty());
        launchError.getStyleClass().add("launch-error");
        model.launchingProperty().addListener((obs, old, now) -> scrollToEnd());
        model.launchErrorProperty().addListener((obs, old, now) -> scrollToEnd());
    }

    /** Keeps the progress, the build's output and any error in view. */
    private void scrollToEnd() {
        Platform.runLater(() -> {
            scroll.layout();
            scroll.setVvalue(scroll.getVmax());
        });
    }

    private void summarise() {
        ServiceForm form = model.form();
        ContainerSpec spec = form.validProperty().get() ? form.spec() : ContainerSpec.empty();
        summaryName.setText(form.name());
        String engine = form.engineProperty().get();
        summaryEngine.setText(engine == null ? "the one new services go to" : form.engineLabel(engine));
        boolean fromGit = model.sourceProperty().get() == LaunchModel.Source.GIT;
        if (fromGit) {
            GitSource s = model.git().source();
            String head = model.git().headProperty().get();
            summaryRepository.setText(s == null ? "-" : s.url());
            summaryBranch.setText(s == null ? "-" : s.branch() + (head == null ? "" : ", now at " + CommitInfo.shortSha(head)));
            summaryBuild.setText(s == null ? "-" : s.dockerfile() + " in " + (s.context().equals(GitSource.ROOT)
                    ? "the repository's root" : s.context() + "/")
                    + (head == null ? "" : ", into " + GitSource.builtImage(form.name(), CommitInfo.shortSha(head)).familiar()));
            summaryPaths.setText(s == null || s.paths().isEmpty() ? "none: every commit counts" : String.join(", ", s.paths()));
        } else {
            ImageRef ref = model.image().ref();
            summaryImage.setText(ref == null ? "-" : ref.familiar());
            summaryDigest.setText(model.digestProperty().get() == null ? "-" : model.digestProperty().get());
        }
        summaryPorts.setText(orNone(spec.ports().stream().map(Object::toString).collect(Collectors.joining(", "))));
        summaryEnv.setText(orNone(spec.env().keySet().stream().collect(Collectors.joining(", "))));
        summaryVolumes.setText(orNone(spec.volumes().stream().map(Object::toString).collect(Collectors.joining(", "))));
        summaryCommand.setText(spec.command().isEmpty() ? "the image's own" : CommandWords.join(spec.command()));
        summaryRestart.setText(spec.restart().toString()
                + (spec.stopTimeoutSeconds() == null ? "" : " · stop timeout " + spec.stopTimeoutSeconds() + " s"));
        if (fromGit) {
            summaryAutoredeploy.setText(form.autoredeployProperty().get()
                    ? "on: a new commit on the branch is built and redeployed"
                    : "off: it stays on this commit until you redeploy");
        } else {
            summaryAutoredeploy.setText(form.autoredeployProperty().get()
                    ? "on: a new push to the tag redeploys it" : "off: it stays on this digest until you redeploy");
        }
    }

    private static String orNone(String s) {
        return s.isEmpty() ? "none" : s;
    }
}
