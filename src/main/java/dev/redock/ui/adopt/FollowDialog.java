package dev.redock.ui.adopt;

import java.util.Optional;

import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.VBox;
import javafx.stage.Window;

import atlantafx.base.controls.ToggleSwitch;

import dev.redock.model.UnfollowedContainer;
import dev.redock.ui.FxThread;
import dev.redock.ui.Theme;

/**
 * The question before following a container or a compose project: what following does (nothing changes on the engine),
 * and whether it should autoredeploy, off unless the user turns it on. A container whose image has no tag cannot
 * autoredeploy: the switch is then off and disabled, and the reason shows beneath it.
 */
final class FollowDialog {

    private FollowDialog() {
    }

    /** @return empty when the user cancelled; else whether to autoredeploy */
    static Optional<Boolean> ask(Window owner, NotFollowedEntry entry) {
        FxThread.check();
        ButtonType follow = new ButtonType("Follow", ButtonBar.ButtonData.OK_DONE);
        ButtonType cancel = new ButtonType("Cancel", ButtonBar.ButtonData.CANCEL_CLOSE);
        Alert alert = new Alert(Alert.AlertType.CONFIRMATION, null, cancel, follow);
        alert.initOwner(owner);
        alert.setTitle("Follow " + entry.describe());
        alert.setHeaderText(entry.isProject()
                ? "Follow the " + entry.members().size() + " containers of compose project " + entry.project() + "?"
                : "Follow " + entry.name() + "?");
        alert.getDialogPane().setId("follow-dialog");
        alert.getDialogPane().getStylesheets().add(FollowDialog.class.getResource(Theme.STYLESHEET).toExternalForm());
        ((Button) alert.getDialogPane().lookupButton(follow)).setId("follow-ok");

        Label what = new Label(text(entry));
        what.setWrapText(true);
        ToggleSwitch autoredeploy = new ToggleSwitch("Autoredeploy on a new push");
        autoredeploy.setId("followAutoredeploy");
        VBox content = new VBox(12, what, autoredeploy);
        String noTag = entry.noTag();
        if (noTag != null) {
            autoredeploy.setDisable(true);
            Label why = new Label(noTag);
            why.setId("followNoTag");
            why.setWrapText(true);
            why.getStyleClass().add("form-hint");
            // A disabled control shows no tooltip of its own: the reason goes on the row around it too.
            Tooltip.install(content, new Tooltip(noTag));
            content.getChildren().add(why);
        }
        content.getStyleClass().add("follow-content");
        content.setPrefWidth(460);
        alert.getDialogPane().setContent(content);
        return alert.showAndWait().filter(follow::equals).map(b -> autoredeploy.isSelected());
    }

    private static String text(NotFollowedEntry entry) {
        String names = entry.isProject()
                ? String.join(", ", entry.members().stream().map(UnfollowedContainer::name).toList()) + " become services, one each. "
                : "";
        return names + "Nothing changes on engine \"" + entry.engine() + "\": "
                + (entry.isProject() ? "the containers run on as they are" : "the container runs on as it is")
                + ", and Redock writes down what "
                + (entry.isProject() ? "they run" : "it runs") + ". Redock labels "
                + (entry.isProject() ? "each container as its own" : "its container")
                + " at the next redeploy, which recreates it with the same configuration.";
    }
}
