package dev.redock.ui;

import javafx.application.Application;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.scene.Scene;

import atlantafx.base.theme.PrimerDark;
import atlantafx.base.theme.PrimerLight;

/**
 * The look: AtlantaFX's Primer theme, light or dark, under Redock's own stylesheet, which uses only the theme's colour
 * variables ({@code -color-*}) so that it follows the variant.
 */
public final class Theme {

    public enum Variant {
        LIGHT, DARK
    }

    public static final String STYLESHEET = Views.ROOT + "redock.css";

    private final ObjectProperty<Variant> variant = new SimpleObjectProperty<>(this, "variant", Variant.LIGHT);

    public Theme(Variant initial) {
        variant.set(initial);
        variant.addListener((obs, old, now) -> apply());
        apply();
    }

    public ObjectProperty<Variant> variantProperty() {
        return variant;
    }

    public Variant variant() {
        return variant.get();
    }

    public void toggle() {
        variant.set(variant.get() == Variant.LIGHT ? Variant.DARK : Variant.LIGHT);
    }

    private void apply() {
        FxThread.check();
        // The theme's binary form: the same rules as its 170 KB of CSS, which the window would otherwise parse at each start.
        Application.setUserAgentStylesheet(variant.get() == Variant.DARK
                ? new PrimerDark().getUserAgentStylesheetBSS()
                : new PrimerLight().getUserAgentStylesheetBSS());
    }

    /** Gives a scene Redock's stylesheet (on top of the theme, which applies to every scene). */
    public void style(Scene scene) {
        String css = Theme.class.getResource(STYLESHEET).toExternalForm();
        if (!scene.getStylesheets().contains(css)) {
            scene.getStylesheets().add(css);
        }
        scene.getRoot().pseudoClassStateChanged(javafx.css.PseudoClass.getPseudoClass("dark"), variant.get() == Variant.DARK);
        variant.addListener((obs, old, now) ->
                scene.getRoot().pseudoClassStateChanged(javafx.css.PseudoClass.getPseudoClass("dark"), now == Variant.DARK));
    }
}
