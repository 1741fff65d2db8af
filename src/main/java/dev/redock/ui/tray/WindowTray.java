package dev.redock.ui.tray;

import java.util.List;

import dev.redock.app.AppIcons;
import dev.redock.ui.FxThread;
import dev.redock.ui.Notifier;

/**
 * No system tray here (headless, no tray host, or the icon could not be added): notifications show in the window's banner,
 * and there is no icon to keep Redock running from, so closing the window quits.
 */
public final class WindowTray implements Tray {

    private final Notifier notifier;

    public WindowTray(Notifier notifier) {
        this.notifier = notifier;
    }

    @Override
    public boolean install(TrayActions actions) {
        return false;
    }

    @Override
    public boolean isAvailable() {
        return false;
    }

    @Override
    public void notify(Notification n) {
        FxThread.run(() -> {
            switch (n.level()) {
                case INFO -> {
                    if (n.serviceId() == null) {
                        notifier.info(n.oneLine());
                    } else {
                        notifier.success(n.oneLine());
                    }
                }
                case WARNING -> notifier.warning(n.oneLine());
                case ERROR -> notifier.error(n.oneLine());
            }
        });
    }

    @Override
    public void setState(AppIcons.State state) {
        // The window's own icon shows the state (ConsoleTray does that for every tray).
    }

    @Override
    public void setPaused(boolean paused) {
        // The status bar's switch shows it.
    }

    @Override
    public void setRecent(List<RecentDeployment> recent) {
        // Each service's page shows its history.
    }

    @Override
    public void close() {
        // Nothing to remove.
    }
}
