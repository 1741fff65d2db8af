package dev.redock.ui.tray;

import java.util.List;

import dev.redock.app.AppIcons;

/**
 * Where Redock shows itself while it runs besides its window: an icon with a menu, and notifications. The system tray
 * ({@link AwtTray}) is one implementation; where there is none, {@link WindowTray} shows notifications inside the window
 * and closing the window quits.
 *
 * <p>Every method but {@link #install} may be called from any thread: each implementation hands the work over to its
 * own toolkit's thread.
 */
public interface Tray {

    /**
     * Shows the tray icon and its menu. Blocks until done: call it on a worker thread, never on the FX thread.
     *
     * @return whether an icon is now shown; false where this tray cannot be shown (the app then does without)
     */
    boolean install(TrayActions actions);

    /** Whether an icon is shown that the user can get the window back from: only then may closing the window keep Redock running. */
    boolean isAvailable();

    /** Shows a notification. */
    void notify(Notification notification);

    /** Shows whether a deployment is under way, or the last one failed. */
    void setState(AppIcons.State state);

    /** Shows whether autoredeploys are paused (the menu offers the other). */
    void setPaused(boolean paused);

    /** The last few deployments, newest first, for the menu. */
    void setRecent(List<RecentDeployment> recent);

    /** Draws the icon with this glyph (white for dark panels, dark for light ones); a tray without an icon ignores it. */
    default void setGlyph(AppIcons.Glyph glyph) {
    }

    /** Removes the icon. */
    void close();
}
