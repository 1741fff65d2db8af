package dev.redock.ui;

import java.nio.file.Path;
import java.util.Map;

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
import dev.redock.deploy.DeployPolicy;
import dev.redock.schedule.Scheduler;
import dev.redock.schedule.SchedulerLock;

/**
 * The window. It shows at once; the core is opened off the FX thread (the database, the engine, the scheduler) and the
 * console fills the window when it is ready.
 */
public final class RedockApplication extends Application {

    private static final Logger LOG = LoggerFactory.getLogger(RedockApplication.class);

    private static volatile Path dataFolder;
    private static volatile Map<String, String> environment;

    private Redock redock;
    private SchedulerLock schedulerLock;
    private Console console;
    private Tasks opener;

    /** Starts the JavaFX toolkit and opens the main window; returns when the window is closed. */
    public static void launchWindow(Path folder, Map<String, String> env) {
        dataFolder = folder;
        environment = env;
        Application.launch(RedockApplication.class);
    }

    @Override
    public void start(Stage stage) {
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

        opener = new Tasks();
        opener.run(() -> {
            Redock r = new Redock(dataFolder, environment, DeployPolicy.fromEnvironment(environment));
            SchedulerLock lock = null;
            Scheduler scheduler = null;
            try {
                lock = SchedulerLock.acquire(dataFolder);
                r.services().reconcile();
                scheduler = r.scheduler(null);
                scheduler.start();
                try {
                    r.startApi(null);
                } catch (java.io.IOException e) {
                    LOG.warn("The HTTP API could not start: {}; the window works without it", e.getMessage());
                }
            } catch (SchedulerLock.AlreadyRunningException e) {
                LOG.info("Not scheduling here: {}", e.getMessage());
            }
            // Changes made by the CLI, the agent or the API in other processes show up within a second.
            r.watchOtherProcesses();
            return new Opened(r, lock, scheduler);
        }, opened -> {
            redock = opened.redock();
            schedulerLock = opened.lock();
            console = Console.open(stage, redock, opened.scheduler(), windowState);
        }, error -> {
            LOG.error("Cannot open Redock's data in {}", dataFolder, error);
            spinner.setVisible(false);
            opening.setText("Cannot open Redock's data in " + dataFolder + ":\n" + Tasks.message(error));
            opening.setWrapText(true);
        });
    }

    @Override
    public void stop() {
        if (console != null) {
            console.close();
        }
        if (opener != null) {
            opener.close();
        }
        Redock r = redock;
        SchedulerLock lock = schedulerLock;
        // Closing the core waits for deployments under way: not on the FX thread.
        Thread closer = new Thread(() -> {
            try {
                if (r != null) {
                    r.close();
                }
                if (lock != null) {
                    lock.close();
                }
            } catch (Exception e) {
                LOG.warn("Closing Redock failed", e);
            }
        }, "redock-close");
        closer.start();
        Platform.exit();
    }

    private record Opened(Redock redock, SchedulerLock lock, Scheduler scheduler) {
    }
}
