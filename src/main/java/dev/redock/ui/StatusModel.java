package dev.redock.ui;

import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.util.Duration;

import dev.redock.model.EngineStatus;
import dev.redock.model.PollStatus;
import dev.redock.service.Core;

/**
 * The status bar's state: whether the engine answers (pinged off the FX thread every few seconds), and what the scheduler
 * does (its next poll, paused, or run by another process), and whether a tray icon keeps Redock running when the window
 * closes. Pausing here pauses every autoredeploy.
 */
public final class StatusModel implements AutoCloseable {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(StatusModel.class);

    static final Duration PING_EVERY = Duration.seconds(10);

    private final Core core;
    /** This process's polling, or null when another process polls the data folder. */
    private final PollStatus scheduler;
    private final Tasks tasks;
    private final ReadOnlyBooleanWrapper engineUp = new ReadOnlyBooleanWrapper(this, "engineUp");
    private final ReadOnlyStringWrapper engineText = new ReadOnlyStringWrapper(this, "engineText", "Engine: connecting…");
    private final ReadOnlyStringWrapper engineLimitations = new ReadOnlyStringWrapper(this, "engineLimitations", "");
    private final ReadOnlyStringWrapper schedulerText = new ReadOnlyStringWrapper(this, "schedulerText", "");
    private final BooleanProperty paused = new SimpleBooleanProperty(this, "paused");
    private final BooleanProperty trayAvailable = new SimpleBooleanProperty(this, "trayAvailable");
    private final BooleanProperty closeToTray = new SimpleBooleanProperty(this, "closeToTray", true);
    private final BooleanProperty darkTrayIcon = new SimpleBooleanProperty(this, "darkTrayIcon");
    private final Timeline ticker;
    private boolean pinging;
    private boolean restoring;
    private int ticks;

    public StatusModel(Core core, Tasks tasks) {
        this.core = core;
        this.scheduler = core.polling().orElse(null);
        this.tasks = tasks;
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
        ping();
        updateScheduler();
    }

    private void tick() {
        updateScheduler();
        if (++ticks % (int) PING_EVERY.toSeconds() == 0) {
            ping();
        }
    }

    /** Asks the engine whether it answers, off the FX thread. */
    public void ping() {
        FxThread.check();
        if (pinging) {
            return;
        }
        pinging = true;
        tasks.run(() -> core.engines().check(), engines -> {
            pinging = false;
            List<EngineStatus> down = engines.stream().filter(e -> !e.reachable()).toList();
            engineUp.set(down.isEmpty());
            List<String> lacks = engines.stream().flatMap(e -> e.limitations().stream()
                    .map(l -> engines.size() == 1 ? l : e.name() + ": " + l)).toList();
            engineLimitations.set(String.join("\n\n", lacks));
            String limitations = lacks.isEmpty() ? ""
                    : " · " + lacks.size() + (lacks.size() == 1 ? " limitation" : " limitations") + " (hover to read)";
            if (engines.size() == 1) {
                EngineStatus only = engines.get(0);
                engineText.set(only.reachable() ? "Engine connected · " + only.version() + " · " + only.address() + limitations
                        : "Engine unreachable: " + only.problem());
            } else if (down.isEmpty()) {
                engineText.set("Engines connected · " + engines.size() + " of " + engines.size() + limitations);
            } else {
                engineText.set("Engines connected · " + (engines.size() - down.size()) + " of " + engines.size() + " · "
                        + down.stream().map(e -> e.name() + " unreachable: " + e.problem()).collect(Collectors.joining("; "))
                        + limitations);
            }
        }, e -> {
            pinging = false;
            engineUp.set(false);
            engineText.set("Engines unreachable: " + Tasks.message(e));
            engineLimitations.set("");
        });
    }

    private void updateScheduler() {
        if (scheduler == null) {
            schedulerText.set("Autoredeploy is scheduled by another Redock process on this data folder");
        } else if (paused.get()) {
            schedulerText.set("Autoredeploys paused");
        } else {
            Instant next = scheduler.nextPoll();
            schedulerText.set(next == null ? "Scheduler starting…" : "Next poll " + Format.in(next, Instant.now()));
        }
    }

    public ReadOnlyBooleanProperty engineUpProperty() {
        return engineUp.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty engineTextProperty() {
        return engineText.getReadOnlyProperty();
    }

    /** What Redock cannot do, or does otherwise, on the engine (Podman's limitations), one paragraph each; empty on Docker. */
    public ReadOnlyStringProperty engineLimitationsProperty() {
        return engineLimitations.getReadOnlyProperty();
    }

    /** What a ping learnt of the engine. */
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
