package dev.redock.ui;

import java.util.Map;

import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.PasswordField;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.input.Clipboard;
import javafx.scene.input.DataFormat;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.StackPane;

/**
 * A secret shown as dots until the user asks to see it, with a Copy button: for the API token and webhook secrets. Read
 * only. With the id {@code x}, its parts are {@code #x-show} (the toggle), {@code #x-copy} and {@code #x-plain} (the field
 * showing the secret in clear).
 */
public final class SecretField extends HBox {

    private final StringProperty text = new SimpleStringProperty(this, "text", "");
    private final PasswordField masked = new PasswordField();
    private final TextField plain = new TextField();
    private final ToggleButton show = new ToggleButton("Show");
    private final Button copy = new Button("Copy");

    public SecretField() {
        getStyleClass().add("secret-field");
        setSpacing(6);
        setAlignment(Pos.CENTER_LEFT);
        for (TextField f : new TextField[] {masked, plain}) {
            f.setEditable(false);
            f.textProperty().bind(text);
            f.setMaxWidth(Double.MAX_VALUE);
        }
        plain.getStyleClass().add("mono");
        plain.visibleProperty().bind(show.selectedProperty());
        masked.visibleProperty().bind(show.selectedProperty().not());
        StackPane fields = new StackPane(masked, plain);
        HBox.setHgrow(fields, Priority.ALWAYS);
        show.textProperty().bind(javafx.beans.binding.Bindings.when(show.selectedProperty()).then("Hide").otherwise("Show"));
        show.disableProperty().bind(text.isEmpty());
        copy.disableProperty().bind(text.isEmpty());
        copy.setOnAction(e -> copy(text.get()));
        getChildren().addAll(fields, show, copy);
        idProperty().addListener((obs, old, id) -> {
            show.setId(id == null ? null : id + "-show");
            copy.setId(id == null ? null : id + "-copy");
            plain.setId(id == null ? null : id + "-plain");
        });
    }

    /** Puts {@code s} on the system clipboard as plain text. */
    public static void copy(String s) {
        FxThread.check();
        Clipboard.getSystemClipboard().setContent(Map.of(DataFormat.PLAIN_TEXT, s));
    }

    public StringProperty textProperty() {
        return text;
    }

    public String getText() {
        return text.get();
    }

    public void setText(String s) {
        text.set(s);
    }

    /** Whether the secret shows in clear. */
    public BooleanProperty shownProperty() {
        return show.selectedProperty();
    }

    public boolean isShown() {
        return show.isSelected();
    }

    public void setShown(boolean shown) {
        show.setSelected(shown);
    }
}
