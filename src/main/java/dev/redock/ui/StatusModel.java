package dev.redock.ui;

import java.time.Instant;

import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.util.Duration;

import dev.redock.model.PollStatus;
import dev.redock.service.Core;

/**
 * The status bar's state: whether the engines answer (each asked off the FX thread every few seconds, first once the window
 * shows its list: {@link UiContext}), and what the scheduler does (its next poll, paused, or run by another process, and how
 * much of a registry's hourly budget of checks it used), and whether a tray icon keeps Redock running when the window
 * closes. Pausing here pauses every autoredeploy.
 */
public final class StatusModel implements AutoCloseable {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(StatusModel.class);

    static final Duration PING_EVERY = Duration.seconds(10);

    /** This process's polling, or null when another process polls the data folder. */
    private final PollStatus scheduler;
    private final EnginesModel engines;
    private final ReadOnlyBooleanWrapper engineUp = new ReadOnlyBooleanWrapper(this, "engineUp");
    private final ReadOnlyStringWrapper engineText = new ReadOnlyStringWrapper(this, "engineText", "Engine: connecting…");
    private final ReadOnlyStringWrapper engineDetails = new ReadOnlyStringWrapper(this, "engineDetails");
    private final ReadOnlyStringWrapper schedulerText = new ReadOnlyStringWrapper(this, "schedulerText", "");
    private final BooleanProperty paused = new SimpleBooleanProperty(this, "paused");
    private final BooleanProperty trayAvailable = new SimpleBooleanProperty(this, "trayAvailable");
    private final BooleanProperty closeToTray = new SimpleBooleanProperty(this, "closeToTray", true);
    private final BooleanProperty darkTrayIcon = new SimpleBooleanProperty(this, "darkTrayIcon");
    private final Timeline ticker;
    private boolean restoring;
    private int ticks;

    public StatusModel(Core core, Tasks tasks, EnginesModel engines) {
        this.scheduler = core.polling().orElse(null);
        this.engines = engines;
        engines.snapshotProperty().addListener((obs, old, now) -> showEngines());
        engines.problemProperty().addListener((obs, old, now) -> showEngines());
        paused.set(scheduler != null && scheduler.isPaused());
        paused.addListener((obs, was, now) -> {
            updateScheduler();
            if (!restoring) {
                // Stored for every process on the data folder; this window's scheduler follows at once.
                tasks.run(() -> core.settings().pauseAutoredeploy(now), () -> { },
                        e -> LOG.warn("Cannot pause or resume autoredeploys: {}", Tasks.message(e)));
            }
        });
        tasks.run(core.settings()::autoredeployPaused, stored -> {
            restoring = true;
            paused.set(stored);
            restoring = false;
        }, e -> LOG.warn("Cannot read whether autoredeploys are paused: {}", Tasks.message(e)));
        ticker = new Timeline(new KeyFrame(Duration.seconds(1), e -> tick()));
        ticker.setCycleCount(Timeline.INDEFINITE);
        ticker.play();
        updateScheduler();
    }

    private void tick() {
        updateScheduler();
        if (++ticks % (int) PING_EVERY.toSeconds() == 0) {
            ping();
        }
    }

    /** Asks every engine whether it answers, off the FX thread; the status bar follows their answers. */
    public void ping() {
        FxThread.check();
        engines.check();
    }

    private void showEngines() {
        if (engines.problemProperty().get() != null) {
            engineUp.set(false);
            engineText.set(engines.problemProperty().get());
            engineDetails.set(null);
            return;
        }
        EnginesModel.Summary summary = EnginesModel.summary(engines.snapshot().engines());
        engineUp.set(summary.allUp());
        engineText.set(summary.text());
        engineDetails.set(summary.details().isEmpty() ? null : summary.details());
    }

    private void updateScheduler() {
        if (scheduler == null) {
            schedulerText.set("Autoredeploy is scheduled by another Redock process on this data folder");
        } else if (paused.get()) {
            schedulerText.set("Autoredeploys paused");
        } else {
            Instant next = scheduler.nextPoll();
            StringBuilder text = new StringBuilder(next == null ? "Scheduler starting…"
                    : "Next poll " + Format.in(next, Instant.now()));
            // The registries with a budget of checks per hour (Docker Hub), as much of it as polling used.
            scheduler.budgets().forEach(b -> text.append(" · ").append(b.describe()));
            schedulerText.set(text.toString());
        }
    }

    public ReadOnlyBooleanProperty engineUpProperty() {
        return engineUp.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty engineTextProperty() {
        return engineText.getReadOnlyProperty();
    }

    /** Each engine's state, one line each (the status bar's tooltip), or null before any is known. */
    public ReadOnlyStringProperty engineDetailsProperty() {
        return engineDetails.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty schedulerTextProperty() {
        return schedulerText.getReadOnlyProperty();
    }

    public BooleanProperty pausedProperty() {
        return paused;
    }

    /** Whether a system tray icon shows (set by the tray once it is installed). */
    public BooleanProperty trayAvailableProperty() {
        return trayAvailable;
    }

    /** Whether closing the window keeps Redock running in the tray (the stored setting, as last read or saved). */
    public BooleanProperty closeToTrayProperty() {
        return closeToTray;
    }

    /** Whether the tray icon is drawn dark, for a light panel (a setting). */
    public BooleanProperty darkTrayIconProperty() {
        return darkTrayIcon;
    }

    public boolean hasScheduler() {
        return scheduler != null;
    }

    @Override
    public void close() {
        ticker.stop();
    }
}
