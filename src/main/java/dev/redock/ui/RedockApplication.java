package dev.redock.ui;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import javafx.application.Application;
import javafx.application.Platform;
import javafx.geometry.Pos;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.redock.app.Redock;
import dev.redock.app.CommandHost;
import dev.redock.app.Startup;
import dev.redock.app.StopSignals;
import dev.redock.ui.tray.AwtTray;
import dev.redock.ui.tray.ConsoleTray;
import dev.redock.ui.tray.RecordingTray;
import dev.redock.ui.tray.Tray;
import dev.redock.ui.tray.TrayActions;
import dev.redock.ui.tray.TraySettings;

/**
 * The window. It shows at once; the core is opened off the FX thread (the database, the engine, the scheduler, the tray
 * icon) and the console fills the window when it is ready. One window per data folder: a second launch brings this one
 * forward and ends. With a tray icon, closing the window can keep Redock running in the tray; Quit in its menu ends it.
 */
public final class RedockApplication extends Application {

    private static final Logger LOG = LoggerFactory.getLogger(RedockApplication.class);
    /** How long a second launch waits for the first to say where it listens (it may be starting itself). */
    private static final long HAND_OFF_WAIT_MILLIS = 5_000;

    private static volatile Path dataFolder;
    private static volatile Map<String, String> environment;
    private static volatile SingleInstance instance;
    private static volatile CommandHost commands;
    private static volatile Thread closer;

    private Stage stage;
    private Startup started;
    private Console console;
    private Tasks opener;
    private volatile ConsoleTray consoleTray;
    private volatile Tray systemTray;
    private boolean stopping;

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
        environment = env;
        instance = claim.get();
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
        this.stage = primary;
        WindowState windowState = WindowState.load(dataFolder);
        new Theme(windowState.theme());
        ProgressIndicator spinner = new ProgressIndicator();
        Label opening = new Label("Opening Redock…");
        VBox splash = new VBox(14, spinner, opening);
        splash.setAlignment(Pos.CENTER);
        stage.setTitle("Redock");
        stage.setScene(new Scene(splash));
        windowState.applyTo(stage);
        stage.show();
        // SIGTERM or Ctrl-C quits as the tray's Quit does: deployments under way reach their end first.
        StopSignals.onStop(code -> Platform.runLater(this::quit));
        SingleInstance single = instance;
        if (single != null) {
            single.onShow(() -> Platform.runLater(this::bringForward));
        }

        Path notificationLog = RecordingTray.fileFrom(environment);
        TrayActions trayActions = new ForwardingActions();
        opener = new Tasks();
        opener.run(() -> {
            Startup started = Startup.open(dataFolder, environment, Startup.Options.window().withCommands(commands));
            // The tray icon, off the FX thread (AWT starts its own toolkit); none where there is no tray host.
            Tray tray = null;
            if (AwtTray.isSupported()) {
                AwtTray awt = new AwtTray(TraySettings.load(started.core().settings()).glyph());
                if (awt.install(trayActions)) {
                    tray = awt;
                }
            }
            return new Opened(started, tray);
        }, opened -> {
            started = opened.started();
            systemTray = opened.tray();
            if (stopping) {
                return;
            }
            if (opened.tray() != null) {
                // The window may hide to the tray: the app ends on Quit, not when its last window closes.
                Platform.setImplicitExit(false);
            }
            console = Console.open(stage, started.core(), windowState);
            consoleTray = ConsoleTray.attach(console, opened.tray(), notificationLog, this::quit);
        }, error -> {
            LOG.error("Cannot open Redock's data in {}", dataFolder, error);
            spinner.setVisible(false);
            opening.setText("Cannot open Redock's data in " + dataFolder + ":\n" + Tasks.message(error));
            opening.setWrapText(true);
        });
    }

    /** Shows the window in front: another launch on this data folder asked for it. */
    private void bringForward() {
        ConsoleTray.showWindow(stage);
        LOG.info("Brought the window forward at another launch's request");
    }

    /** Quit: the tray's menu, or closing the window where it does not hide to the tray. */
    private void quit() {
        Platform.exit(); // calls stop()
    }

    @Override
    public void stop() {
        stopping = true;
        if (consoleTray != null) {
            consoleTray.close();
        } else if (systemTray != null) {
            systemTray.close();
        }
        if (console != null) {
            console.close();
        }
        if (opener != null) {
            opener.close();
        }
        Startup s = started;
        // Closing the core lets deployments under way reach their end (never rolls them back): not on the FX thread.
        Thread c = new Thread(() -> {
            try {
                if (s != null) {
                    java.util.List<String> deploying = s.redock().deploying();
                    if (!deploying.isEmpty()) {
                        LOG.info("Finishing the deployment of {} before closing (at most {} s)", deploying,
                                s.redock().stopGrace().toSeconds());
                    }
                    s.close();
                }
                LOG.info("Redock closed");
            } catch (Exception e) {
                LOG.warn("Closing Redock failed", e);
            }
        }, "redock-close");
        closer = c;
        c.start();
    }

    /** The tray's menu before the console is ready does what it can; after, what {@link ConsoleTray} does. */
    private final class ForwardingActions implements TrayActions {

        @Override
        public void openWindow() {
            ConsoleTray ct = consoleTray;
            if (ct != null) {
                ct.actions().openWindow();
            } else {
                Platform.runLater(RedockApplication.this::bringForward);
            }
        }

        @Override
        public void setPaused(boolean paused) {
            ConsoleTray ct = consoleTray;
            if (ct != null) {
                ct.actions().setPaused(paused);
            }
        }

        @Override
        public void openService(UUID serviceId) {
            ConsoleTray ct = consoleTray;
            if (ct != null) {
                ct.actions().openService(serviceId);
            }
        }

        @Override
        public void quit() {
            Platform.runLater(RedockApplication.this::quit);
        }
    }

    private record Opened(Startup started, Tray tray) {
    }
}
