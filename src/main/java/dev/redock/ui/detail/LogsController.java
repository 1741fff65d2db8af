package dev.redock.ui.detail;

import java.util.Objects;

import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.fxml.FXML;
import javafx.scene.control.TextArea;

import dev.redock.model.ServiceView;

/**
 * A service's Logs tab: its container's recent output. Read when the tab comes into view, again when the service gets
 * another container while it shows, and on Refresh; never while nobody looks.
 */
public final class LogsController {

    private final DetailModel model;
    private final BooleanProperty shown = new SimpleBooleanProperty(this, "shown");

    @FXML private TextArea logsArea;

    public LogsController(DetailModel model) {
        this.model = model;
    }

    @FXML
    private void initialize() {
        logsArea.textProperty().bind(model.logsProperty());
        shown.addListener((obs, was, now) -> {
            if (now) {
                model.refreshLogs();
            }
        });
        model.viewProperty().addListener((obs, old, v) -> {
            if (shown.get() && !Objects.equals(containerId(old), containerId(v))) {
                model.refreshLogs();
            }
        });
    }

    private static String containerId(ServiceView v) {
        return v == null ? null : v.containerId();
    }

    /** Whether the logs are in view (the page binds it to its Logs tab being selected). */
    public BooleanProperty shownProperty() {
        return shown;
    }

    /** Reads the logs again if they are in view (F5). */
    void refreshIfShown() {
        if (shown.get()) {
            model.refreshLogs();
        }
    }

    @FXML
    private void refreshLogs() {
        model.refreshLogs();
    }
}
