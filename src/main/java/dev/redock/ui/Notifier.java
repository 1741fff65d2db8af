package dev.redock.ui;

import javafx.animation.PauseTransition;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.util.Duration;

/**
 * The window's banner: one message at a time; an error or a warning stays until dismissed, an info or a success fades after
 * a few seconds. Where there is no system tray, deployment notifications show here too.
 */
public final class Notifier {

    public enum Kind {
        INFO, SUCCESS, WARNING, ERROR
    }

    /**
     * One message.
     *
     * @param open what the banner's "Show" link does (e.g. open the service the message is about), or null for no link
     */
    public record Note(Kind kind, String text, Runnable open) {

        public Note(Kind kind, String text) {
            this(kind, text, null);
        }
    }

    private final ObjectProperty<Note> note = new SimpleObjectProperty<>(this, "note");
    private final PauseTransition fade = new PauseTransition(Duration.seconds(6));

    public Notifier() {
        fade.setOnFinished(e -> {
            if (note.get() != null && note.get().kind() != Kind.ERROR && note.get().kind() != Kind.WARNING) {
                note.set(null);
            }
        });
    }

    public ObjectProperty<Note> noteProperty() {
        return note;
    }

    public void info(String text) {
        show(new Note(Kind.INFO, text));
    }

    public void success(String text) {
        show(new Note(Kind.SUCCESS, text));
    }

    public void warning(String text) {
        show(new Note(Kind.WARNING, text));
    }

    public void error(String text) {
        show(new Note(Kind.ERROR, text));
    }

    /** A message with a "Show" link that runs {@code open} (null for none). */
    public void show(Kind kind, String text, Runnable open) {
        show(new Note(kind, text, open));
    }

    public void dismiss() {
        FxThread.check();
        note.set(null);
    }

    private void show(Note n) {
        FxThread.check();
        note.set(n);
        fade.playFromStart();
    }
}
