package dev.redock.ui.tray;

import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

import dev.redock.app.AppIcons;
import dev.redock.ui.FxThread;
import dev.redock.ui.Notifier;
import dev.redock.ui.Notifier.Kind;

/**
 * No system tray here (headless, no tray host, or the icon could not be added): notifications show in the window's banner,
 * and there is no icon to keep Redock running from, so closing the window quits. A notification about a service has a link
 * that opens it, as a click on the tray's balloon does.
 */
public final class WindowTray implements Tray {

    private final Notifier notifier;
    private final Consumer<UUID> openService;

    /**
     * @param openService shows a service's page (called on the FX thread)
     */
    public WindowTray(Notifier notifier, Consumer<UUID> openService) {
        this.notifier = notifier;
        this.openService = openService;
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
        Kind kind = switch (n.level()) {
            case INFO -> n.serviceId() == null ? Kind.INFO : Kind.SUCCESS;
            case WARNING -> Kind.WARNING;
            case ERROR -> Kind.ERROR;
        };
        UUID service = n.serviceId();
        FxThread.run(() -> notifier.show(kind, n.oneLine(), service == null ? null : () -> openService.accept(service)));
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
