package dev.redock.ui.services;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;

import javafx.scene.Scene;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The list's first pulses. Says once per process, in the log, how long after launch the service list was first laid out
 * with rows in it (the pulse that lays it out paints it): {@code First list painted with N services after M ms}. How soon
 * the window is useful at start is measured by that line, so its words stay as they are. And lets what follows the first
 * list wait until it is drawn.
 */
final class FirstPaint {

    private static final Logger LOG = LoggerFactory.getLogger(FirstPaint.class);
    private static final AtomicBoolean SAID = new AtomicBoolean();

    private FirstPaint() {
    }

    /** Watches the table's pulses until it shows a row, then logs the line and stops watching. */
    static void watch(TableView<?> table) {
        if (SAID.get()) {
            return;
        }
        table.sceneProperty().addListener((obs, old, scene) -> {
            if (scene != null) {
                watch(table, scene);
            }
        });
        if (table.getScene() != null) {
            watch(table, table.getScene());
        }
    }

    private static void watch(TableView<?> table, Scene scene) {
        Runnable[] listener = new Runnable[1];
        listener[0] = () -> {
            if (SAID.get()) {
                scene.removePostLayoutPulseListener(listener[0]);
                return;
            }
            if (table.getItems().isEmpty() || !showsARow(table)) {
                return;
            }
            scene.removePostLayoutPulseListener(listener[0]);
            if (SAID.compareAndSet(false, true)) {
                LOG.info("First list painted with {} services after {} ms", table.getItems().size(), sinceLaunch().toMillis());
            }
        };
        scene.addPostLayoutPulseListener(listener[0]);
    }

    /**
     * Runs {@code then} once the table has been laid out with what it holds now (the pulse that lays it out draws it);
     * at once when it is not showing, as no pulse may come then.
     */
    static void afterNextLayout(TableView<?> table, Runnable then) {
        Scene scene = table.getScene();
        if (scene == null || scene.getWindow() == null || !scene.getWindow().isShowing()) {
            then.run();
            return;
        }
        Runnable[] listener = new Runnable[1];
        listener[0] = () -> {
            scene.removePostLayoutPulseListener(listener[0]);
            then.run();
        };
        scene.addPostLayoutPulseListener(listener[0]);
        javafx.application.Platform.requestNextPulse();
    }

    private static boolean showsARow(TableView<?> table) {
        return table.lookupAll(".table-row-cell").stream()
                .anyMatch(n -> n instanceof TableRow<?> row && !row.isEmpty() && row.getItem() != null && row.isVisible());
    }

    /** How long ago this process was launched (the JVM's start where the system does not say). */
    static Duration sinceLaunch() {
        Instant launched = ProcessHandle.current().info().startInstant()
                .orElseGet(() -> Instant.ofEpochMilli(ManagementFactory.getRuntimeMXBean().getStartTime()));
        return Duration.between(launched, Instant.now());
    }
}
