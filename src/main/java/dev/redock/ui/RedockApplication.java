package dev.redock.ui;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import javafx.application.Application;
import javafx.application.Platform;
import javafx.stage.Stage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.redock.app.CommandHost;
import dev.redock.app.Redock;
import dev.redock.app.StopSignals;

/**
 * The window. It shows at once; the core opens off the FX thread while the toolkit starts, the list shows the services
 * as stored, and the rest fills in as it answers ({@link WindowStart}). One window per data folder: a second launch brings
 * this one forward and ends. With a tray icon, closing the window can keep Redock running in the tray; Quit in its menu
 * ends it.
 */
public final class RedockApplication extends Application {

    private static final Logger LOG = LoggerFactory.getLogger(RedockApplication.class);
    /** How long a second launch waits for the first to say where it listens (it may be starting itself). */
    private static final long HAND_OFF_WAIT_MILLIS = 5_000;

    private static volatile Path dataFolder;
    private static volatile SingleInstance instance;
    private static volatile CommandHost commands;
    private static volatile Thread closer;

    private static volatile WindowStart opening;

    private WindowStart window;

    /**
     * Opens the main window, unless a window already runs on {@code folder}: then asks it to come forward and returns.
     * Returns when the window process ends.
     *
     * @param host runs the commands the CLI of other processes hands to this one while it serves the API
     * @return the process's exit code
     */
    public static int launchWindow(Path folder, Map<String, String> env, CommandHost host) {
        commands = host;
        return launchWindow(folder, env, System.out, System.err);
    }

    static int launchWindow(Path folder, Map<String, String> env, PrintStream out, PrintStream err) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(HAND_OFF_WAIT_MILLIS);
        Optional<SingleInstance> claim;
        while (true) {
            try {
                claim = SingleInstance.claim(folder);
            } catch (IOException e) {
                err.println("redock: cannot use the data folder " + folder + ": " + e.getMessage());
                return 1;
            }
            if (claim.isPresent()) {
                break;
            }
            if (SingleInstance.bringForward(folder)) {
                LOG.info("A window already runs on {}; asked it to come forward", folder);
                out.println("Redock is already open on " + folder + "; brought its window forward");
                return 0;
            }
            if (System.nanoTime() > deadline) {
                String pid = SingleInstance.holder(folder).map(p -> " (pid " + p + ")").orElse("");
                err.println("redock: a Redock window already runs on " + folder + pid + " but does not answer");
                return 1;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 1;
            }
        }
        dataFolder = folder;
        instance = claim.get();
        // The core opens while the toolkit starts: the window's list shows as soon as both are ready.
        opening = WindowStart.begin(folder, env, commands);
        try {
            Application.launch(RedockApplication.class);
            Thread c = closer;
            if (c != null) {
                // Closing waits for deployments under way to reach their end; the deploy policy bounds that.
                c.join(Redock.stopGrace(env).plusSeconds(30).toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            instance.close();
        }
        return 0;
    }

    @Override
    public void start(Stage primary) {
        WindowStart w = opening;
        window = w;
        w.show(primary, WindowState.load(dataFolder), this::quit);
        // SIGTERM or Ctrl-C quits as the tray's Quit does: deployments under way reach their end first.
        StopSignals.onStop(code -> Platform.runLater(this::quit));
        SingleInstance single = instance;
        if (single != null) {
            single.onShow(() -> Platform.runLater(this::bringForward));
        }
    }

    /** Shows the window in front: another launch on this data folder asked for it. */
    private void bringForward() {
        window.bringForward();
        LOG.info("Brought the window forward at another launch's request");
    }

    /** Quit: the tray's menu, or closing the window where it does not hide to the tray. */
    private void quit() {
        Platform.exit(); // calls stop()
    }

    @Override
    public void stop() {
        Runnable closeCore = window == null ? () -> { } : window.close();
        // Closing the core lets deployments under way reach their end (never rolls them back): not on the FX thread.
        Thread c = new Thread(() -> {
            try {
                closeCore.run();
                LOG.info("Redock closed");
            } catch (Exception e) {
                LOG.warn("Closing Redock failed", e);
            }
        }, "redock-close");
        closer = c;
        c.start();
    }
}
