package dev.redock.ui.tray;

import java.awt.AWTException;
import java.awt.Dimension;
import java.awt.EventQueue;
import java.awt.GraphicsEnvironment;
import java.awt.Image;
import java.awt.Menu;
import java.awt.MenuItem;
import java.awt.PopupMenu;
import java.awt.SystemTray;
import java.awt.Toolkit;
import java.awt.TrayIcon;
import java.time.Clock;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.redock.app.AppIcons;

/**
 * The system tray through AWT: an icon (the tray glyph in its state's variant) with a popup menu, and notifications as the
 * icon's messages; a click on a message about a service opens that service. All AWT work happens on the AWT event thread; menu choices go to {@link TrayActions}, which hand over
 * to the FX thread.
 *
 * <p>Menu: Open Redock · Pause/Resume autoredeploy · the last deployments (each opens its service) · Quit.
 */
public final class AwtTray implements Tray {

    private static final Logger LOG = LoggerFactory.getLogger(AwtTray.class);
    private static final long INSTALL_TIMEOUT_SECONDS = 10;

    private volatile boolean installed;
    // The fields below are touched on the AWT event thread only.
    private AppIcons.Glyph glyph;
    private TrayIcon icon;
    private TrayActions actions = TrayActions.NONE;
    private MenuItem pause;
    private Menu recentMenu;
    private boolean paused;
    private AppIcons.State state = AppIcons.State.IDLE;
    private final BalloonClicks balloons = new BalloonClicks(Clock.systemUTC());

    /** @param glyph the tray glyph's colour: white for dark panels (most), dark for light ones */
    public AwtTray(AppIcons.Glyph glyph) {
        this.glyph = glyph;
    }

    /** Whether this machine has a system tray AWT can use (false when headless, with no display, or no tray host). */
    public static boolean isSupported() {
        try {
            return !GraphicsEnvironment.isHeadless() && SystemTray.isSupported();
        } catch (Throwable e) { // no display, no AWT libraries: no tray
            LOG.info("No system tray: {}", e.toString());
            return false;
        }
    }

    @Override
    public boolean install(TrayActions trayActions) {
        if (EventQueue.isDispatchThread()) {
            throw new IllegalStateException("install the tray off the AWT event thread");
        }
        if (!isSupported()) {
            return false;
        }
        FutureTask<Boolean> task = new FutureTask<>(() -> add(trayActions));
        EventQueue.invokeLater(task);
        try {
            installed = task.get(INSTALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            installed = false;
        } catch (Exception e) {
            LOG.warn("The tray icon could not be added: {}", e.toString());
            installed = false;
        }
        return installed;
    }

    private boolean add(TrayActions trayActions) {
        actions = trayActions;
        PopupMenu menu = new PopupMenu();
        MenuItem open = new MenuItem("Open Redock");
        open.addActionListener(e -> actions.openWindow());
        pause = new MenuItem(pauseLabel());
        pause.addActionListener(e -> actions.setPaused(!paused));
        recentMenu = new Menu("Recent deployments");
        fillRecent(List.of());
        MenuItem quit = new MenuItem("Quit Redock");
        quit.addActionListener(e -> actions.quit());
        menu.add(open);
        menu.add(pause);
        menu.addSeparator();
        menu.add(recentMenu);
        menu.addSeparator();
        menu.add(quit);

        icon = new TrayIcon(image(), "Redock", menu);
        icon.setImageAutoSize(true);
        icon.addActionListener(e -> balloons.clicked().ifPresentOrElse(actions::openService, actions::openWindow));
        try {
            SystemTray.getSystemTray().add(icon);
            LOG.info("Tray icon added ({}x{})", size().width, size().height);
            return true;
        } catch (AWTException | IllegalStateException e) {
            LOG.warn("The tray icon could not be added: {}", e.getMessage());
            icon = null;
            return false;
        }
    }

    @Override
    public boolean isAvailable() {
        return installed;
    }

    @Override
    public void notify(Notification n) {
        later(() -> {
            if (icon != null) {
                balloons.shown(n);
                icon.displayMessage(n.title(), n.text(), switch (n.level()) {
                    case INFO -> TrayIcon.MessageType.INFO;
                    case WARNING -> TrayIcon.MessageType.WARNING;
                    case ERROR -> TrayIcon.MessageType.ERROR;
                });
            }
        });
    }

    @Override
    public void setState(AppIcons.State newState) {
        later(() -> {
            if (icon != null && newState != state) {
                state = newState;
                icon.setImage(image());
                icon.setToolTip(switch (newState) {
                    case IDLE -> "Redock";
                    case DEPLOYING -> "Redock: deploying…";
                    case FAILURE -> "Redock: the last deployment did not succeed";
                });
            } else {
                state = newState;
            }
        });
    }

    @Override
    public void setGlyph(AppIcons.Glyph newGlyph) {
        later(() -> {
            if (newGlyph != glyph) {
                glyph = newGlyph;
                if (icon != null) {
                    icon.setImage(image());
                }
            }
        });
    }

    @Override
    public void setPaused(boolean nowPaused) {
        later(() -> {
            paused = nowPaused;
            if (pause != null) {
                pause.setLabel(pauseLabel());
            }
        });
    }

    @Override
    public void setRecent(List<RecentDeployment> recent) {
        List<RecentDeployment> copy = List.copyOf(recent);
        later(() -> {
            if (recentMenu != null) {
                fillRecent(copy);
            }
        });
    }

    private void fillRecent(List<RecentDeployment> recent) {
        recentMenu.removeAll();
        if (recent.isEmpty()) {
            MenuItem none = new MenuItem("No deployments yet");
            none.setEnabled(false);
            recentMenu.add(none);
            return;
        }
        ZoneId zone = ZoneId.systemDefault();
        for (RecentDeployment r : recent) {
            MenuItem item = new MenuItem(r.label(zone));
            item.addActionListener(e -> actions.openService(r.serviceId()));
            recentMenu.add(item);
        }
    }

    @Override
    public void close() {
        installed = false;
        later(() -> {
            if (icon != null) {
                SystemTray.getSystemTray().remove(icon);
                icon = null;
                LOG.info("Tray icon removed");
            }
        });
    }

    private String pauseLabel() {
        return paused ? "Resume autoredeploy" : "Pause autoredeploy";
    }

    private Image image() {
        return Toolkit.getDefaultToolkit().getImage(AppIcons.trayIcon(size().height, glyph, state));
    }

    private static Dimension size() {
        Dimension d = SystemTray.getSystemTray().getTrayIconSize();
        return d == null || d.height <= 0 ? new Dimension(24, 24) : d;
    }

    private static void later(Runnable r) {
        if (EventQueue.isDispatchThread()) {
            r.run();
        } else {
            EventQueue.invokeLater(r);
        }
    }
}
