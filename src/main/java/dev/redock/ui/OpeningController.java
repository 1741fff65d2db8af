package dev.redock.ui;

import javafx.fxml.FXML;
import javafx.scene.control.Label;

/** The window while Redock opens its data folder ({@code opening.fxml}): says what it waits for, or why it cannot open. */
public final class OpeningController {

    @FXML private Label subtitle;

    /** Opening waits for another Redock process on the data folder: says which, where the list would be. */
    void waiting(String line) {
        FxThread.check();
        subtitle.setText(line);
    }

    /** The data folder cannot be opened: says why, where the list would be. */
    void cannotOpen(String why) {
        FxThread.check();
        subtitle.setText(why);
        subtitle.getStyleClass().add("field-error");
    }
}
