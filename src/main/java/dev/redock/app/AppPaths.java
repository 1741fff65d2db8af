package dev.redock.app;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where Redock keeps its data: {@code REDOCK_HOME} if set, else {@code $XDG_DATA_HOME/redock}, else
 * {@code ~/.local/share/redock}.
 */
public final class AppPaths {

    private AppPaths() {
    }

    public static Path dataFolder(Map<String, String> env) {
        String home = env.get("REDOCK_HOME");
        if (home != null && !home.isBlank()) {
            return Path.of(home).toAbsolutePath().normalize();
        }
        String xdg = env.get("XDG_DATA_HOME");
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
            return Path.of(xdg, "redock");
        }
        String userHome = env.getOrDefault("HOME", System.getProperty("user.home"));
        return Path.of(userHome, ".local", "share", "redock");
    }

    public static Path logFolder(Path dataFolder) {
        return dataFolder.resolve("logs");
    }
}
