package dev.redock.ui;

import java.nio.file.Path;
import java.util.Map;

import javafx.application.Application;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.stage.Stage;

import dev.redock.app.Redock;
import dev.redock.deploy.DeployPolicy;
import dev.redock.schedule.SchedulerLock;
import dev.redock.ui.services.ServiceListView;

/**
 * The window. The core is opened off the FX thread; the window shows at once and fills in when it is ready.
 */
public final class RedockApplication extends Application {

    private static volatile Path dataFolder;
    private static volatile Map<String, String> environment;

    private Redock redock;
    private SchedulerLock schedulerLock;
    private ServiceListView list;

    /** Starts the JavaFX toolkit and opens the main window; returns when the window is closed. */
    public static void launchWindow(Path folder, Map<String, String> env) {
        dataFolder = folder;
        environment = env;
        Application.launch(RedockApplication.class);
    }

    @Override
    public void start(Stage stage) {
        list = new ServiceListView();
        stage.setTitle("Redock");
        stage.setScene(new Scene(list.root(), 960, 540));
        stage.show();
        Background.run(() -> {
            Redock r = new Redock(dataFolder, environment, DeployPolicy.defaults());
            SchedulerLock lock = null;
            try {
                lock = SchedulerLock.acquire(dataFolder);
                r.services().reconcile();
                r.scheduler(null).start();
            } catch (SchedulerLock.AlreadyRunningException e) {
                // Another process schedules this data folder; the window still lists and manages services.
            }
            return new Opened(r, lock);
        }, opened -> {
            redock = opened.redock();
            schedulerLock = opened.lock();
            list.attach(redock);
        }, error -> list.showError("Cannot open Redock's data: " + error.getMessage()));
    }

    @Override
    public void stop() throws Exception {
        if (list != null) {
            list.detach();
        }
        if (redock != null) {
            redock.close();
        }
        if (schedulerLock != null) {
            schedulerLock.close();
        }
        Platform.exit();
    }

    private record Opened(Redock redock, SchedulerLock lock) {
    }
}
