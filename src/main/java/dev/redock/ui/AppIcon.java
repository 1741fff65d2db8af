package dev.redock.ui;

import javafx.scene.SnapshotParameters;
import javafx.scene.image.Image;
import javafx.scene.layout.StackPane;
import javafx.scene.paint.Color;
import javafx.scene.shape.Rectangle;

import org.kordamp.ikonli.javafx.FontIcon;

/** The window's icon, drawn from the same glyph as the header's logo, in a few sizes. */
final class AppIcon {

    private static final Color ACCENT = Color.web("#0969da");

    private AppIcon() {
    }

    static Image of(int size) {
        Rectangle tile = new Rectangle(size, size, ACCENT);
        tile.setArcWidth(size * 0.45);
        tile.setArcHeight(size * 0.45);
        FontIcon glyph = new FontIcon("mdal-autorenew");
        glyph.setIconSize((int) Math.round(size * 0.7));
        glyph.setIconColor(Color.WHITE);
        StackPane icon = new StackPane(tile, glyph);
        icon.setStyle("-fx-background-color: transparent;");
        SnapshotParameters params = new SnapshotParameters();
        params.setFill(Color.TRANSPARENT);
        return icon.snapshot(params, null);
    }
}
