package dev.redock.ui.detail;

import javafx.beans.binding.Bindings;
import javafx.fxml.FXML;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;

import org.kordamp.ikonli.javafx.FontIcon;

import dev.redock.model.CommitInfo;
import dev.redock.model.Service;
import dev.redock.model.ServiceStatus;
import dev.redock.model.ServiceView;
import dev.redock.ui.Format;
import dev.redock.ui.StatusBadge;

/**
 * The head of a service's page: its name and status, where it comes from (the image, or the repository and branch), its
 * digest, the engine it runs on (marked while that engine does not answer), whether it autoredeploys (and why it cannot,
 * when it cannot) and whether it was adopted from a container Redock did not start; for a service built from source the
 * commit it runs; and, while the scheduler cannot read its tag or branch, why.
 */
public final class HeaderController {

    private final DetailModel model;

    @FXML private Label nameLabel;
    @FXML private StatusBadge statusBadge;
    @FXML private Label statusDetail;
    @FXML private Label sourceProblemLabel;
    @FXML private FontIcon sourceIcon;
    @FXML private Label imageLabel;
    @FXML private Label branchLabel;
    @FXML private Label digestLabel;
    @FXML private Label engineLabel;
    @FXML private Label autoredeployLabel;
    @FXML private Label adoptedLabel;
    @FXML private HBox commitBox;
    @FXML private Label commitShaLabel;
    @FXML private Label commitMessageLabel;
    @FXML private Label commitAuthorLabel;

    public HeaderController(DetailModel model) {
        this.model = model;
    }

    @FXML
    private void initialize() {
        model.viewProperty().addListener((obs, old, v) -> show(v));
        branchLabel.setVisible(false);
        branchLabel.managedProperty().bind(branchLabel.visibleProperty());
        commitBox.setVisible(false);
        adoptedLabel.setVisible(false);
        adoptedLabel.managedProperty().bind(adoptedLabel.visibleProperty());
        commitBox.managedProperty().bind(commitBox.visibleProperty());
        model.commitProperty().addListener((obs, old, c) -> showCommit(c));
        sourceProblemLabel.textProperty().bind(Bindings.createStringBinding(() -> {
            String p = model.sourceProblemProperty().get();
            ServiceView v = model.viewProperty().get();
            Service s = v == null ? null : v.service();
            return p == null ? null : (s != null && s.fromGit() ? "Cannot read the branch " + s.git().branch() + ": "
                    : "Cannot check the tag: ") + p;
        }, model.sourceProblemProperty(), model.viewProperty()));
        sourceProblemLabel.visibleProperty().bind(model.sourceProblemProperty().isNotNull());
        sourceProblemLabel.managedProperty().bind(sourceProblemLabel.visibleProperty());
    }

    private void show(ServiceView v) {
        if (v == null) {
            return;
        }
        Service s = v.service();
        nameLabel.setText(s.name());
        statusBadge.show(v.status(), v.detail());
        statusDetail.setText(v.detail() == null ? "" : v.detail());
        boolean git = s.fromGit();
        sourceIcon.setIconLiteral(git ? "mdal-call_split" : "mdal-layers");
        imageLabel.setText(git ? s.git().urlWithoutCredentials() : s.source());
        imageLabel.setTooltip(git ? new Tooltip(s.source()) : null);
        branchLabel.setVisible(git);
        branchLabel.setText(git ? s.git().branch() : "");
        digestLabel.setText(Format.digest(s.digest()));
        digestLabel.setTooltip(new Tooltip(s.digest() == null ? "no digest recorded"
                : git ? "the image built from " + (s.commit() == null ? "the branch" : CommitInfo.shortSha(s.commit()))
                        + ": " + (s.image() == null ? "" : s.image().familiar() + " ") + s.digest()
                : s.digest()));
        boolean unreachable = v.status() == ServiceStatus.UNREACHABLE;
        engineLabel.setText(s.engine() + (unreachable ? " · unreachable" : ""));
        engineLabel.setTooltip(new Tooltip(unreachable ? v.detail() : "Runs on engine \"" + s.engine() + "\""));
        engineLabel.getStyleClass().remove("unreachable");
        if (unreachable) {
            engineLabel.getStyleClass().add("unreachable");
        }
        autoredeployLabel.setText(s.autoredeploy() ? "Autoredeploy on" : "Autoredeploy off");
        autoredeployLabel.getStyleClass().removeAll("on", "off");
        autoredeployLabel.getStyleClass().add(s.autoredeploy() ? "on" : "off");
        autoredeployLabel.setTooltip(s.autoredeployRefused() == null ? null : new Tooltip(s.autoredeployRefused()));
        adoptedLabel.setVisible(s.adopted() != null);
        adoptedLabel.setTooltip(s.adopted() == null ? null : new Tooltip(ConfigurationController.adoptedNote(s)));
    }

    private void showCommit(CommitInfo c) {
        commitBox.setVisible(c != null);
        if (c == null) {
            return;
        }
        commitShaLabel.setText(c.shortSha());
        commitShaLabel.setTooltip(new Tooltip(c.sha()));
        commitMessageLabel.setText(c.message() == null ? "" : c.message());
        commitAuthorLabel.setText(c.author() == null ? "" : "by " + authorName(c.author()));
        if (c.author() != null) {
            commitAuthorLabel.setTooltip(new Tooltip(c.author()));
        }
    }

    /** "Ada Tester" of "Ada Tester <ada@example.test>". */
    static String authorName(String author) {
        int lt = author.indexOf('<');
        return lt > 0 ? author.substring(0, lt).strip() : author;
    }
}
