package dev.redock.ui;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import javafx.application.Platform;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

import dev.redock.model.BuildProgress;

/**
 * A build's output as the window shows it: the last {@link #MAX_LINES} lines, the builder's step as a fraction, and a line
 * of status. The core reports a build on its I/O threads ({@link BuildProgress}); those calls are gathered and handed to
 * the FX thread at most once per frame, and every property here changes on the FX thread only.
 */
public final class BuildLog implements BuildProgress {

    public static final int MAX_LINES = 400;

    private final Deque<String> lines = new ArrayDeque<>();
    private final ReadOnlyStringWrapper text = new ReadOnlyStringWrapper(this, "text", "");
    private final DoubleProperty progress = new SimpleDoubleProperty(this, "progress", -1);
    private final StringProperty status = new SimpleStringProperty(this, "status");
    private final BooleanProperty running = new SimpleBooleanProperty(this, "running");

    private final AtomicBoolean posted = new AtomicBoolean();
    private final List<String> pendingLines = new ArrayList<>();
    private int pendingStep;
    private int pendingTotal;

    /** Forgets the previous build and shows a new one as under way. FX thread. */
    public void start(String title) {
        FxThread.check();
        synchronized (this) {
            pendingLines.clear();
            pendingStep = 0;
            pendingTotal = 0;
        }
        lines.clear();
        text.set("");
        progress.set(-1);
        status.set(title);
        running.set(true);
    }

    /** The build ended; {@code outcome} is what the status line says now. FX thread. */
    public void finish(String outcome) {
        FxThread.check();
        flush();
        running.set(false);
        if (progress.get() < 0) {
            progress.set(0);
        }
        status.set(outcome);
    }

    /** Replaces what is shown with these lines (a failed build's tail, which the core keeps). FX thread. */
    public void replace(List<String> tail) {
        FxThread.check();
        synchronized (this) {
            pendingLines.clear();
        }
        lines.clear();
        add(tail);
        text.set(String.join("\n", lines));
    }

    /** Lines and the step the builder reached, already on the FX thread (the core's events, gathered by {@link CoreEvents}). */
    public void append(List<String> more, int step, int total) {
        FxThread.check();
        showStep(step, total);
        add(more);
        text.set(String.join("\n", lines));
    }

    @Override
    public void line(String line) {
        synchronized (this) {
            pendingLines.add(line);
        }
        post();
    }

    @Override
    public void step(int step, int total) {
        synchronized (this) {
            pendingStep = step;
            pendingTotal = total;
        }
        post();
    }

    private void post() {
        if (!posted.getAndSet(true)) {
            Platform.runLater(() -> {
                posted.set(false);
                flush();
            });
        }
    }

    private void flush() {
        List<String> more;
        int step;
        int total;
        synchronized (this) {
            more = new ArrayList<>(pendingLines);
            pendingLines.clear();
            step = pendingStep;
            total = pendingTotal;
        }
        showStep(step, total);
        if (!more.isEmpty()) {
            add(more);
            text.set(String.join("\n", lines));
        }
    }

    private void add(List<String> more) {
        for (String l : more) {
            lines.addLast(l == null ? "" : l.stripTrailing());
            if (lines.size() > MAX_LINES) {
                lines.removeFirst();
            }
        }
    }

    private void showStep(int step, int total) {
        if (total > 0 && step > 0) {
            progress.set(Math.min(1.0, (double) step / total));
            if (running.get()) {
                status.set("Building: step " + step + " of " + total);
            }
        }
    }

    /** The lines shown, oldest first. FX thread. */
    public List<String> lines() {
        return List.copyOf(lines);
    }

    /** The lines shown, joined. */
    public ReadOnlyStringProperty textProperty() {
        return text.getReadOnlyProperty();
    }

    /** The step reached as a fraction of all steps, or -1 while unknown. */
    public DoubleProperty progressProperty() {
        return progress;
    }

    public StringProperty statusProperty() {
        return status;
    }

    public BooleanProperty runningProperty() {
        return running;
    }
}
