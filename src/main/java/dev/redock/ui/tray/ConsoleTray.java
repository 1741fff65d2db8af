package dev.redock.ui.tray;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javafx.application.Platform;
import javafx.scene.image.Image;
import javafx.stage.Stage;
import javafx.stage.WindowEvent;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.redock.app.AppIcons;
import dev.redock.model.Deployment;
import dev.redock.model.Service;
import dev.redock.service.Core;
import dev.redock.ui.Console;
import dev.redock.ui.FxThread;
import dev.redock.ui.StatusModel;
import dev.redock.ui.Tasks;
import dev.redock.ui.UiContext;

/**
 * The console window and its tray, together: notifications for every redeploy (through the tray, or in the window's banner
 * where there is no tray), the tray's menu acting on the window, the icons following what the core does, and what closing
 * the window means (hide it to the tray when there is one and the setting says so; else quit).
 */
public final class ConsoleTray implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ConsoleTray.class);

    private final Console console;
    private final Tray tray;
    private final Runnable quit;
    private final Notifications notifications;
    private final AutoCloseable subscription;
    private final Map<AppIcons.State, List<Image>> windowIcons = new EnumMap<>(AppIcons.State.class);
    private boolean toldStillRunning;
    private boolean closed;

    private ConsoleTray(Console console, Tray tray, Runnable quit) {
        this.console = console;
        this.tray = tray;
        this.quit = quit;
        Core core = console.context().core();
        this.notifications = new Notifications(tray, () -> TraySettings.successesMuted(core.settings()),
                state -> FxThread.run(() -> showState(state)));
        this.subscription = notifications.subscribe(core.events());
    }

    /**
     * Joins {@code console} to a tray. Call on the FX thread.
     *
     * @param systemTray       a system tray already installed (its menu's actions should come here through
     *                         {@link #actions()}), or null when there is none: notifications then show in the window
     * @param notificationLog  a file to write each notification to ({@link RecordingTray}), or null
     * @param quit             what "Quit" does (and closing the window where it does not hide to the tray)
     */
    public static ConsoleTray attach(Console console, Tray systemTray, Path notificationLog, Runnable quit) {
        FxThread.check();
        UiContext context = console.context();
        Tray tray = systemTray != null && systemTray.isAvailable() ? systemTray : new WindowTray(context.notifier(),
                id -> context.navigator().showDetail(id));
        if (notificationLog != null) {
            tray = new RecordingTray(tray, notificationLog);
        }
        ConsoleTray ct = new ConsoleTray(console, tray, quit);
        StatusModel status = context.status();
        status.trayAvailableProperty().set(tray.isAvailable());
        Tray t = tray;
        status.pausedProperty().addListener((obs, was, now) -> t.setPaused(now));
        status.darkTrayIconProperty().addListener((obs, was, dark) -> t.setGlyph(TraySettings.glyph(dark)));
        tray.setPaused(status.pausedProperty().get());
        Core core = context.core();
        Tasks tasks = context.tasks();
        tasks.run(() -> TraySettings.load(core.settings()), s -> {
                    status.closeToTrayProperty().set(s.closeToTray());
                    status.darkTrayIconProperty().set(s.darkTrayIcon());
                    t.setGlyph(s.glyph());
                },
                e -> LOG.warn("Cannot read the tray settings: {}; using the defaults", Tasks.message(e)));
        tasks.run(() -> latestDeployments(core), ct.notifications::seed,
                e -> LOG.warn("Cannot read the last deployments: {}", Tasks.message(e)));
        console.stage().setOnCloseRequest(ct::closeRequested);
        LOG.info(tray.isAvailable() ? "Running with a tray icon" : "No system tray: notifications show in the window");
        return ct;
    }

    /** What the tray's menu does, on the FX thread whichever thread calls. */
    public TrayActions actions() {
        return new TrayActions() {
            @Override
            public void openWindow() {
                Platform.runLater(ConsoleTray.this::showWindow);
            }

            @Override
            public void setPaused(boolean paused) {
                Platform.runLater(() -> console.context().status().pausedProperty().set(paused));
            }

            @Override
            public void openService(UUID serviceId) {
                Platform.runLater(() -> {
                    showWindow();
                    console.context().navigator().showDetail(serviceId);
                });
            }

            @Override
            public void quit() {
                Platform.runLater(quit);
            }
        };
    }

    public Tray tray() {
        return tray;
    }

    /** Whether closing the window now hides it to the tray rather than quitting. */
    public boolean closingHides() {
        return tray.isAvailable() && console.context().status().closeToTrayProperty().get();
    }

    /** Shows the window (if hidden), de-iconified, in front, focused. Call on the FX thread. */
    public void showWindow() {
        FxThread.check();
        showWindow(console.stage());
    }

    /** Shows {@code stage}, de-iconified, in front, focused. */
    public static void showWindow(Stage stage) {
        FxThread.check();
        stage.show();
        stage.setIconified(false);
        stage.toFront();
        stage.requestFocus();
    }

    private void closeRequested(WindowEvent e) {
        if (closingHides()) {
            e.consume();
            console.stage().hide();
            if (!toldStillRunning) {
                toldStillRunning = true;
                tray.notify(Notification.info("Redock is still running",
                        "Autoredeploys go on. Open Redock or quit it from the tray icon's menu."));
            }
        } else if (tray.isAvailable()) {
            // With a tray, the app does not end when its last window closes: quit explicitly.
            e.consume();
            quit.run();
        }
        // No tray: the window closes and the app ends, as it always did.
    }

    private void showState(AppIcons.State state) {
        if (closed) {
            return;
        }
        List<Image> icons = windowIcons.computeIfAbsent(state, s -> AppIcons.windowIcons(s).stream()
                .map(url -> new Image(url.toExternalForm()))
                .toList());
        console.stage().getIcons().setAll(icons);
    }

    private static List<RecentDeployment> latestDeployments(Core core) {
        List<RecentDeployment> all = new ArrayList<>();
        for (Service s : core.services().list()) {
            for (Deployment d : core.services().history(s.id(), Notifications.RECENT)) {
                if (d.ended() != null) {
                    all.add(RecentDeployment.of(s, d));
                }
            }
        }
        all.sort(Comparator.comparing(RecentDeployment::ended).reversed());
        return all.size() > Notifications.RECENT ? List.copyOf(all.subList(0, Notifications.RECENT)) : all;
    }

    /** Stops following the core and removes the tray icon. */
    @Override
    public void close() {
        closed = true;
        try {
            subscription.close();
        } catch (Exception e) {
            LOG.debug("Unsubscribing the tray failed", e);
        }
        tray.close();
    }
}
