package dev.redock.ui.tray;

import java.util.Objects;
import java.util.UUID;

/**
 * A notice about a deployment, as the tray's balloon or the window's banner shows it.
 *
 * @param level     how loud: a success is {@link Level#INFO}, a rollback {@link Level#WARNING}, a failure {@link Level#ERROR}
 * @param serviceId the service it is about (the tray's click on it opens that service), or null for a notice about Redock
 * @param title     one short line naming the service and what happened ({@code web redeployed})
 * @param text      what changed and why ({@code 3f2a1b4c5d6e → 9c8d7e6f5a4b (succeeded)})
 */
public record Notification(Level level, UUID serviceId, String title, String text) {

    /** How loud a notice is. */
    public enum Level {
        INFO, WARNING, ERROR
    }

    public Notification {
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(title, "title");
        text = text == null ? "" : text;
    }

    /** A notice about Redock itself (no service). */
    public static Notification info(String title, String text) {
        return new Notification(Level.INFO, null, title, text);
    }

    /** The title and the text on one line, as the window's banner shows it. */
    public String oneLine() {
        return text.isEmpty() ? title : title + ": " + text;
    }
}
