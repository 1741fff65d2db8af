package dev.redock.ui;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import javafx.animation.PauseTransition;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.stage.Stage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.redock.app.CommandHost;
import dev.redock.app.Redock;
import dev.redock.app.Startup;
import dev.redock.model.ServiceView;
import dev.redock.ui.tray.AwtTray;
import dev.redock.ui.tray.ConsoleTray;
import dev.redock.ui.tray.RecordingTray;
import dev.redock.ui.tray.Tray;
import dev.redock.ui.tray.TrayActions;
import dev.redock.ui.tray.TraySettings;

/**
 * How the window opens on a data folder, so that its list shows as soon as the database can be read and nothing before
 * it waits on an engine, a registry or the network:
 * <ol>
 *   <li>the core is opened on a thread of its own as soon as the process knows it is the window ({@link #begin}), while
 *       the toolkit starts: the database, and the scheduler lock ({@link Startup#begin});</li>
 *   <li>the stage shows with the list's skeleton ({@link #show}), unless the core opens within a moment: then the
 *       console is the first thing it shows;</li>
 *   <li>once the core is open, the console fills the stage and reads the services as stored;</li>
 *   <li>once that list is read, the rest starts: the engines are asked for their states and the services' containers, the
 *       tray icon is added, and then what stopped processes left unfinished is finished or undone, polling starts, the API
 *       and the watcher ({@link Startup#finish}). The list and the status bar fill in as they answer.</li>
 * </ol>
 * The core's own work runs on threads of its own, never on the window's task runner: closing the window does not interrupt
 * it half way.
 */
public final class WindowStart {

    private static final Logger LOG = LoggerFactory.getLogger(WindowStart.class);
    /** How long the window waits for the core to open before it shows the skeleton instead. */
    private static final javafx.util.Duration SKELETON_DELAY = javafx.util.Duration.millis(300);

    private CompletableFuture<Opened> opening;
    private final CompletableFuture<Void> started = new CompletableFuture<>();
    private final Path dataFolder;
    private final Path notificationLog;
    private Stage stage;
    private WindowState windowState;
    /** The window's look, applied as the stage is given, while the core may still be opening. */
    private Theme theme;
    private Runnable quit;
    private Console console;
    /** The window's frame shown while the core opens, or null when the core opened before it was needed. */
    private Views.Loaded<OpeningController> skeleton;
    private volatile ConsoleTray consoleTray;
    private volatile Tray systemTray;
    private boolean closed;
    /** What opening the core waits for (another process on the data folder), once it says; null until then. */
    private volatile String waitingFor;
    /** Whether {@link #show} has run: the toolkit has started, and the skeleton can be told what opening waits for. */
    private volatile boolean shown;

    private WindowStart(Path dataFolder, Map<String, String> env) {
        this.dataFolder = dataFolder;
        this.notificationLog = RecordingTray.fileFrom(env);
    }

    /**
     * Starts opening the core on the data folder as the environment sets it, on a thread of its own; returns at once.
     *
     * @param commands runs the commands the CLI of other processes hands to this one while it serves the API, or null
     */
    public static WindowStart begin(Path dataFolder, Map<String, String> env, CommandHost commands) {
        WindowStart start = new WindowStart(dataFolder, env);
        start.opening = inBackground("redock-open", () -> {
            Redock redock = Redock.openResident(dataFolder, env, start::waiting);
            Startup startup;
            try {
                startup = Startup.begin(redock, Startup.Options.window().withCommands(commands));
            } catch (IOException | RuntimeException e) {
                redock.close();
                throw e;
            }
            // The first list, read here while the window shows its skeleton: the console shows it as it opens.
            List<ServiceView> stored = null;
            try {
                stored = startup.core().services().storedViews();
            } catch (RuntimeException e) {
                LOG.debug("The services could not be read as the window opened; the list reads them again", e);
            }
            return new Opened(startup, stored);
        });
        return start;
    }

    /** Opening the core waits for another process on the data folder: the skeleton says so, shown or when it shows. */
    private void waiting(String line) {
        waitingFor = line.substring(0, 1).toUpperCase(java.util.Locale.ROOT) + line.substring(1);
        if (shown) {
            Platform.runLater(this::sayWaiting);
        }
    }

    private void sayWaiting() {
        if (skeleton != null && waitingFor != null && !opening.isDone()) {
            skeleton.controller().waiting(waitingFor);
        }
    }

    /**
     * Shows {@code stage} with the list's skeleton (unless the core opens within {@link #SKELETON_DELAY}), and fills it
     * with the console once the core is open. Call on the FX thread.
     *
     * @param quit what Quit does (the tray's menu, and closing the window where it does not hide to the tray)
     */
    public void show(Stage stage, WindowState windowState, Runnable quit) {
        FxThread.check();
        this.stage = stage;
        this.windowState = windowState;
        this.quit = quit;
        shown = true;
        // The theme needs no core: applied now, its stylesheet is read while the core opens rather than after.
        this.theme = new Theme(windowState.theme());
        if (opening.isDone() && !opening.isCompletedExceptionally()) {
            // Open already: the console, with its list, is the first thing the window shows.
            opened(opening.join());
            return;
        }
        // The core often opens a moment after the toolkit has started: the skeleton, built and shown only to be replaced
        // at once, would then delay the list. It shows if the core is not open within a short while.
        PauseTransition skeletonDelay = new PauseTransition(SKELETON_DELAY);
        skeletonDelay.setOnFinished(e -> {
            if (!closed && console == null && skeleton == null) {
                showSkeleton();
            }
        });
        skeletonDelay.play();
        opening.whenComplete((open, error) -> Platform.runLater(() -> {
            skeletonDelay.stop();
            if (error != null) {
                Throwable why = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                LOG.error("Cannot open Redock's data in {}", dataFolder, why);
                if (skeleton == null) {
                    showSkeleton();
                }
                skeleton.controller().cannotOpen("Cannot open Redock's data in " + dataFolder + ": " + Tasks.message(why));
                started.completeExceptionally(why);
            } else {
                opened(open);
            }
        }));
    }

    /** Shows the main window's frame and the list's skeleton while the core opens. */
    private void showSkeleton() {
        skeleton = new Views(List::of).load("opening.fxml");
        Scene scene = new Scene(skeleton.root());
        theme.style(scene);
        stage.setTitle("Redock");
        stage.setScene(scene);
        windowState.applyTo(stage);
        stage.show();
        sayWaiting();
    }

    /** The core is open: the console fills the window; once its list is read, the rest starts. */
    private void opened(Opened open) {
        if (closed) {
            return;
        }
        console = Console.open(stage, open.startup().core(), windowState, theme, open.stored());
        console.context().services().afterFirstRead(() -> startTheRest(open.startup()));
    }

    /**
     * The tray icon first (off the FX thread: AWT starts its own toolkit; none where there is no tray host), so that the
     * deployments polling starts are notified; then the rest of the start, on a thread of its own.
     */
    private void startTheRest(Startup startup) {
        inBackground("redock-tray", this::installTray).whenComplete((tray, error) -> Platform.runLater(() -> {
            systemTray = tray;
            if (closed) {
                if (tray != null) {
                    tray.close();
                }
                return;
            }
            if (tray != null) {
                // The window may hide to the tray: the app ends on Quit, not when its last window closes.
                Platform.setImplicitExit(false);
            }
            consoleTray = ConsoleTray.attach(console, tray, notificationLog, quit);
            inBackground("redock-start", () -> {
                startup.finish();
                return null;
            }).whenComplete((done, failed) -> {
                if (failed != null) {
                    LOG.error("Redock did not finish starting", failed);
                    started.completeExceptionally(failed);
                } else {
                    started.complete(null);
                }
            });
        }));
    }

    private Tray installTray() {
        if (!AwtTray.isSupported()) {
            return null;
        }
        try {
            AwtTray awt = new AwtTray(TraySettings.load(opening.join().startup().core().settings()).glyph());
            return awt.install(new ForwardingActions()) ? awt : null;
        } catch (RuntimeException e) {
            LOG.warn("No tray icon: {}", e.getMessage());
            return null;
        }
    }

    /** Ends once the start has (reconciled, polling, the API and the watcher), or failed; the tests wait on it. */
    CompletableFuture<Void> started() {
        return started;
    }

    /** The console, once the core is open (null before). */
    Console console() {
        return console;
    }

    /** Shows the window in front; nothing before it has a scene (it shows in a moment). Call on the FX thread. */
    public void bringForward() {
        if (stage == null || stage.getScene() == null) {
            return;
        }
        ConsoleTray.showWindow(stage);
    }

    /**
     * Closes the window's side (the tray, the console) on the FX thread, and returns what closes the core: call it off the
     * FX thread, as it lets deployments under way reach their end first. A core still opening is closed once it is open.
     */
    public Runnable close() {
        FxThread.check();
        closed = true;
        if (consoleTray != null) {
            consoleTray.close();
        } else if (systemTray != null) {
            systemTray.close();
        }
        if (console != null) {
            console.close();
        }
        return () -> {
            Startup s;
            try {
                s = opening.join().startup();
            } catch (CompletionException | java.util.concurrent.CancellationException e) {
                return; // it never opened
            }
            List<String> deploying = s.redock().deploying();
            if (!deploying.isEmpty()) {
                LOG.info("Finishing the deployment of {} before closing (at most {} s)", deploying,
                        s.redock().stopGrace().toSeconds());
            }
            s.close();
        };
    }

    /** Runs {@code work} on a new thread of this name: the core's work, which nothing interrupts. */
    private static <T> CompletableFuture<T> inBackground(String name, Callable<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                result.complete(work.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return result;
    }

    /** The tray's menu before the console is ready does what it can; after, what {@link ConsoleTray} does. */
    private final class ForwardingActions implements TrayActions {

        @Override
        public void openWindow() {
            ConsoleTray ct = consoleTray;
            if (ct != null) {
                ct.actions().openWindow();
            } else {
                Platform.runLater(WindowStart.this::bringForward);
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
            Platform.runLater(quit);
        }
    }

    /** The core, started as far as {@link Startup#begin}, and the services as stored (null when they could not be read). */
    private record Opened(Startup startup, List<ServiceView> stored) {
    }
}
