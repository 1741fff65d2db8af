package dev.redock.ui;

import javafx.scene.control.TextArea;

/** Shows a {@link BuildLog} in a read-only, monospaced text area that follows the newest line as it arrives. */
public final class LogArea {

    private static final int LAYOUTS = 3;

    private LogArea() {
    }

    public static void follow(TextArea area, BuildLog log) {
        area.setEditable(false);
        area.setWrapText(false);
        if (!area.getStyleClass().contains("logs")) {
            area.getStyleClass().add("logs");
        }
        show(area, log.textProperty().get());
        log.textProperty().addListener((obs, old, now) -> show(area, now));
        // Shown later (a tab selected, a window resized): its end is only known once it is laid out.
        area.heightProperty().addListener((obs, old, now) -> afterNextLayout(area));
        area.skinProperty().addListener((obs, old, now) -> afterNextLayout(area));
        area.sceneProperty().addListener((obs, old, now) -> afterNextLayout(area));
    }

    private static void show(TextArea area, String text) {
        area.setText(text);
        area.positionCaret(area.getLength());
        scrollToEnd(area);
        afterNextLayout(area);
    }

    /**
     * The new text's height is known only once it is laid out (and a scroll bar that appears lays it out once more):
     * scroll to its end again after each of the next few layouts.
     */
    private static void afterNextLayout(TextArea area) {
        javafx.scene.Scene scene = area.getScene();
        if (scene == null) {
            return;
        }
        int[] left = (int[]) area.getProperties().get(LogArea.class);
        if (left != null) {
            left[0] = LAYOUTS;
            return;
        }
        int[] countdown = {LAYOUTS};
        area.getProperties().put(LogArea.class, countdown);
        Runnable[] each = new Runnable[1];
        each[0] = () -> {
            scrollToEnd(area);
            if (--countdown[0] <= 0 || area.getScene() != scene) {
                scene.removePostLayoutPulseListener(each[0]);
                area.getProperties().remove(LogArea.class);
            }
        };
        scene.addPostLayoutPulseListener(each[0]);
    }

    private static void scrollToEnd(TextArea area) {
        area.setScrollTop(0); // a change even when it already says "the end", so that the skin scrolls again
        area.setScrollTop(Double.MAX_VALUE);
    }
}
