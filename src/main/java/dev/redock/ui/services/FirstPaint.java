package dev.redock.ui.services;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;

import javafx.beans.value.ChangeListener;
import javafx.beans.value.ObservableValue;
import javafx.scene.Scene;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.stage.Window;

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
     * at once when it is in no window, as no pulse may come then. In a window about to show (the console fills its
     * list before it shows the window, so that showing it lays the list out once), after the window's first pulse.
     */
    static void afterNextLayout(TableView<?> table, Runnable then) {
        Scene scene = table.getScene();
        if (scene == null || scene.getWindow() == null) {
            then.run();
            return;
        }
        Window window = scene.getWindow();
        if (!window.isShowing()) {
            window.showingProperty().addListener(new ChangeListener<>() {
                @Override
                public void changed(ObservableValue<? extends Boolean> obs, Boolean was, Boolean showing) {
                    if (showing) {
                        window.showingProperty().removeListener(this);
                        afterNextLayout(table, then);
                    }
                }
            });
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
        return sinceLaunchOnLinux().orElseGet(() -> {
            Instant launched = ProcessHandle.current().info().startInstant()
                    .orElseGet(() -> Instant.ofEpochMilli(ManagementFactory.getRuntimeMXBean().getStartTime()));
            return Duration.between(launched, Instant.now());
        });
    }

    /**
     * On Linux, from the process's start and the system's uptime, both counted from the boot in hundredths of a second:
     * Java's {@link ProcessHandle.Info#startInstant()} adds the boot time, which Linux gives in whole seconds, and was up
     * to a second off.
     */
    private static java.util.Optional<Duration> sinceLaunchOnLinux() {
        try {
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/self/stat"));
            // The fields after the command's name, which is in parentheses and may hold anything: the state is the 3rd
            // field of the line, the start time (in clock ticks, 100 a second) the 22nd.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long startTicks = Long.parseLong(fields[22 - 3]);
            String uptime = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/uptime"));
            double upSeconds = Double.parseDouble(uptime.substring(0, uptime.indexOf(' ')));
            return java.util.Optional.of(Duration.ofMillis(Math.round(upSeconds * 1000) - startTicks * 10));
        } catch (java.io.IOException | RuntimeException notLinux) {
            return java.util.Optional.empty();
        }
    }
}
