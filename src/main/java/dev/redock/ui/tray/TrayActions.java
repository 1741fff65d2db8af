package dev.redock.ui.tray;

import java.util.UUID;

/**
 * What the tray's menu asks of the app. Called on the tray toolkit's thread: implementations hand over to the FX thread.
 */
public interface TrayActions {

    /** "Open Redock": shows the window, brought forward. */
    void openWindow();

    /** "Pause autoredeploy" / "Resume autoredeploy". */
    void setPaused(boolean paused);

    /** A recent deployment was chosen: shows the window on that service's page. */
    void openService(java.util.UUID serviceId);

    /** "Quit": closes the window, the core and the tray, and ends the app. */
    void quit();

    /** Does nothing: for a tray installed before the window is ready. */
    TrayActions NONE = new TrayActions() {
        @Override
        public void openWindow() {
        }

        @Override
        public void setPaused(boolean paused) {
        }

        @Override
        public void openService(UUID serviceId) {
        }

        @Override
        public void quit() {
        }
    };
}
