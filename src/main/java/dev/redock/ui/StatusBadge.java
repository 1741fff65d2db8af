package dev.redock.ui;

import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.Region;

import dev.redock.model.ServiceStatus;

/**
 * A coloured dot and a word for a service's status: running, stopped, deploying, failed, missing, or engine unreachable.
 */
public final class StatusBadge extends Label {

    private static final String PREFIX = "status-";

    public StatusBadge() {
        getStyleClass().add("status-badge");
        Region dot = new Region();
        dot.getStyleClass().add("status-dot");
        setGraphic(dot);
    }

    /** Shows a status, with the reason (if any) as a tooltip. */
    public void show(ServiceStatus status, String detail) {
        getStyleClass().removeIf(c -> c.startsWith(PREFIX) && !c.equals("status-badge"));
        if (status == null) {
            setText("");
            setTooltip(null);
            setVisible(false);
            return;
        }
        setVisible(true);
        // By the status's name: a label may have words ("engine unreachable"), a style class may not.
        getStyleClass().add(PREFIX + status.name().toLowerCase(java.util.Locale.ROOT));
        setText(status.label());
        setTooltip(detail == null || detail.isBlank() ? null : new Tooltip(detail));
    }
}
