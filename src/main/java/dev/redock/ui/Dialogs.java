package dev.redock.ui;

import java.util.Optional;

import javafx.scene.control.Alert;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.stage.Window;

/** Small modal questions. A nested event loop keeps the window drawing while one is open; nothing waits on the core. */
public final class Dialogs {

    private Dialogs() {
    }

    /**
     * Asks to confirm an action; true when the user chose {@code action}. The default button is the safe one (Cancel), so
     * Enter never confirms a removal by accident.
     */
    public static boolean confirm(Window owner, String title, String header, String text, String action, boolean dangerous) {
        return confirm(owner, title, header, text, action, dangerous, null).isPresent();
    }

    /**
     * Asks to confirm a removal, with the choice to remove the service's volumes too (off by default: its data stays).
     *
     * @return empty when the user cancelled; else whether the volumes go too
     */
    public static Optional<Boolean> confirmRemoval(Window owner, String name) {
        return confirm(owner, "Remove service", "Remove " + name + "?",
                "Its container is removed from the engine, and the service and its deployment history from Redock. "
                        + "The image stays, and so do its volumes unless you tick the box.", "Remove", true,
                "Also remove its volumes (the data in them is lost)");
    }

    /**
     * Asks to confirm an action, with an optional check box below the text.
     *
     * @param option the check box's text, or null for none
     * @return empty when the user did not choose {@code action}; else whether the check box was ticked
     */
    public static Optional<Boolean> confirm(Window owner, String title, String header, String text, String action,
                                            boolean dangerous, String option) {
        FxThread.check();
        ButtonType ok = new ButtonType(action, ButtonBar.ButtonData.OK_DONE);
        ButtonType cancel = new ButtonType("Cancel", ButtonBar.ButtonData.CANCEL_CLOSE);
        Alert alert = new Alert(dangerous ? Alert.AlertType.WARNING : Alert.AlertType.CONFIRMATION, text, cancel, ok);
        alert.initOwner(owner);
        alert.setTitle(title);
        alert.setHeaderText(header);
        alert.getDialogPane().setId("confirm-dialog");
        alert.getDialogPane().getStylesheets().add(Dialogs.class.getResource(Theme.STYLESHEET).toExternalForm());
        var okButton = (javafx.scene.control.Button) alert.getDialogPane().lookupButton(ok);
        okButton.setId("confirm-ok");
        okButton.setDefaultButton(!dangerous);
        if (dangerous) {
            okButton.getStyleClass().add("danger");
            ((javafx.scene.control.Button) alert.getDialogPane().lookupButton(cancel)).setDefaultButton(true);
        }
        javafx.scene.control.CheckBox box = null;
        if (option != null) {
            box = new javafx.scene.control.CheckBox(option);
            box.setId("confirm-option");
            javafx.scene.control.Label label = new javafx.scene.control.Label(text);
            label.setWrapText(true);
            javafx.scene.layout.VBox content = new javafx.scene.layout.VBox(12, label, box);
            content.setPrefWidth(420);
            alert.getDialogPane().setContent(content);
        }
        javafx.scene.control.CheckBox ticked = box;
        return alert.showAndWait().filter(ok::equals).map(b -> ticked != null && ticked.isSelected());
    }
}
