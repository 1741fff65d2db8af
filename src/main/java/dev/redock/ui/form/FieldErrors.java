package dev.redock.ui.form;

import javafx.beans.value.ObservableStringValue;
import javafx.css.PseudoClass;
import javafx.scene.Node;
import javafx.scene.control.Label;

/** Shows a field's error beside it, as it is typed: the message in a label under the field, the field marked red. */
public final class FieldErrors {

    private static final PseudoClass DANGER = PseudoClass.getPseudoClass("danger");

    private FieldErrors() {
    }

    public static void bind(Node field, Label label, ObservableStringValue error) {
        label.getStyleClass().add("field-error");
        label.setWrapText(true);
        label.managedProperty().bind(label.visibleProperty());
        label.textProperty().bind(error);
        label.visibleProperty().bind(javafx.beans.binding.Bindings.isNotNull(error));
        field.pseudoClassStateChanged(DANGER, error.get() != null);
        error.addListener((obs, old, now) -> field.pseudoClassStateChanged(DANGER, now != null));
    }
}
