package dev.redock.ui;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Properties;

import javafx.geometry.Rectangle2D;
import javafx.stage.Screen;
import javafx.stage.Stage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the window remembers between runs, in a small file in the data folder ({@code window.properties}): its size and
 * position, whether it was maximised, and the theme. Read once at start and written when the window closes.
 */
public final class WindowState {

    private static final Logger LOG = LoggerFactory.getLogger(WindowState.class);
    public static final String FILE = "window.properties";
    static final double DEFAULT_WIDTH = 1180;
    static final double DEFAULT_HEIGHT = 720;

    private final Path file;
    private final Properties props = new Properties();

    private WindowState(Path file) {
        this.file = file;
    }

    /** Reads the file in {@code dataFolder}, or starts empty when there is none or it cannot be read. */
    public static WindowState load(Path dataFolder) {
        WindowState s = new WindowState(dataFolder.resolve(FILE));
        if (Files.isRegularFile(s.file)) {
            try (InputStream in = Files.newInputStream(s.file)) {
                s.props.load(in);
            } catch (IOException | IllegalArgumentException e) {
                LOG.warn("Cannot read {}: {}; using defaults", s.file, e.getMessage());
            }
        }
        return s;
    }

    public Theme.Variant theme() {
        return "dark".equals(props.getProperty("theme")) ? Theme.Variant.DARK : Theme.Variant.LIGHT;
    }

    public void setTheme(Theme.Variant v) {
        props.setProperty("theme", v == Theme.Variant.DARK ? "dark" : "light");
    }

    /** Puts the stage where it was, as large as it was, if that is still on a screen; else centres it at a default size. */
    public void applyTo(Stage stage) {
        double w = number("width", DEFAULT_WIDTH);
        double h = number("height", DEFAULT_HEIGHT);
        double x = number("x", Double.NaN);
        double y = number("y", Double.NaN);
        stage.setWidth(Math.max(w, 720));
        stage.setHeight(Math.max(h, 480));
        if (!Double.isNaN(x) && !Double.isNaN(y) && onSomeScreen(x, y, w, h)) {
            stage.setX(x);
            stage.setY(y);
        } else {
            stage.centerOnScreen();
        }
        stage.setMaximized(Boolean.parseBoolean(props.getProperty("maximized", "false")));
    }

    /** Takes the stage's geometry (its size before maximising, if it is maximised). */
    public void takeFrom(Stage stage) {
        props.setProperty("maximized", Boolean.toString(stage.isMaximized()));
        if (!stage.isMaximized() && !stage.isIconified()) {
            props.setProperty("x", Double.toString(stage.getX()));
            props.setProperty("y", Double.toString(stage.getY()));
            props.setProperty("width", Double.toString(stage.getWidth()));
            props.setProperty("height", Double.toString(stage.getHeight()));
        }
    }

    /** Writes the file (atomically); a failure is logged, never shown. */
    public void save() {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(FILE + ".tmp");
            try (OutputStream out = Files.newOutputStream(tmp)) {
                props.store(out, "Redock window");
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.warn("Cannot save the window's state to {}: {}", file, e.getMessage());
        }
    }

    public Path file() {
        return file;
    }

    private double number(String key, double fallback) {
        try {
            String v = props.getProperty(key);
            return v == null ? fallback : Double.parseDouble(v);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static boolean onSomeScreen(double x, double y, double w, double h) {
        return !Screen.getScreensForRectangle(new Rectangle2D(x, y, Math.max(w, 1), Math.max(h, 1))).isEmpty();
    }
}
