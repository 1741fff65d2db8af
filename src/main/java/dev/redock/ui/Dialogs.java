package dev.redock.ui;

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
        return alert.showAndWait().filter(ok::equals).isPresent();
    }
}
