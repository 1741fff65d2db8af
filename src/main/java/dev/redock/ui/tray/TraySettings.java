package dev.redock.ui.tray;

import dev.redock.app.AppIcons;
import dev.redock.service.Settings;

/**
 * The window's tray and notification settings, stored with the data folder's other settings (so every window on it
 * agrees). Reads and writes touch the database: call them off the FX thread.
 *
 * @param closeToTray   closing the window keeps Redock running in the tray (where there is one); default on
 * @param muteSuccesses no notification for a redeploy that succeeded (rollbacks and failures still notify); default off
 * @param darkTrayIcon  the tray icon drawn dark, for a light panel; default off (white, for the dark panels most desktops
 *                      have)
 */
public record TraySettings(boolean closeToTray, boolean muteSuccesses, boolean darkTrayIcon) {

    public static final String CLOSE_TO_TRAY = "ui.tray.closeToTray";
    public static final String MUTE_SUCCESSES = "ui.notify.muteSuccesses";
    public static final String DARK_TRAY_ICON = "ui.tray.darkIcon";
    public static final TraySettings DEFAULTS = new TraySettings(true, false, false);

    /** The stored settings, each falling back to its default. */
    public static TraySettings load(Settings store) {
        return new TraySettings(flag(store, CLOSE_TO_TRAY, DEFAULTS.closeToTray),
                flag(store, MUTE_SUCCESSES, DEFAULTS.muteSuccesses),
                flag(store, DARK_TRAY_ICON, DEFAULTS.darkTrayIcon));
    }

    /** Stores every setting. */
    public void save(Settings store) {
        store.put(CLOSE_TO_TRAY, Boolean.toString(closeToTray));
        store.put(MUTE_SUCCESSES, Boolean.toString(muteSuccesses));
        store.put(DARK_TRAY_ICON, Boolean.toString(darkTrayIcon));
    }

    /** The tray icon's glyph these settings ask for. */
    public AppIcons.Glyph glyph() {
        return glyph(darkTrayIcon);
    }

    /** The tray icon's glyph: dark for a light panel, else white. */
    public static AppIcons.Glyph glyph(boolean dark) {
        return dark ? AppIcons.Glyph.DARK : AppIcons.Glyph.WHITE;
    }

    /** Whether successes are muted, as stored now. */
    public static boolean successesMuted(Settings store) {
        return flag(store, MUTE_SUCCESSES, DEFAULTS.muteSuccesses);
    }

    private static boolean flag(Settings store, String key, boolean fallback) {
        return store.get(key).map(v -> v.strip().equalsIgnoreCase("true")
                || (!v.strip().equalsIgnoreCase("false") && fallback)).orElse(fallback);
    }
}
