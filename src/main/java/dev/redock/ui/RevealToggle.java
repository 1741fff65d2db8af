package dev.redock.ui;

import javafx.scene.control.ToggleButton;
import javafx.scene.control.Tooltip;

import org.kordamp.ikonli.javafx.FontIcon;

/**
 * The eye button that shows values a page keeps masked (a service's environment, which often holds secrets): "Show
 * values" with an open eye, then "Hide values" with a crossed-out one. Off, so masked, until the user presses it.
 */
public final class RevealToggle extends ToggleButton {

    public RevealToggle() {
        getStyleClass().addAll("flat", "reveal-toggle");
        FontIcon eye = new FontIcon("mdmz-visibility");
        setGraphic(eye);
        setText("Show values");
        setTooltip(new Tooltip("Environment values are masked, as they may be secrets"));
        selectedProperty().addListener((obs, was, shown) -> {
            eye.setIconLiteral(shown ? "mdmz-visibility_off" : "mdmz-visibility");
            setText(shown ? "Hide values" : "Show values");
        });
    }
}
