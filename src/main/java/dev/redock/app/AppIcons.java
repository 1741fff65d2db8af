package dev.redock.app;

import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Redock's icons on the class path, under {@code /dev/redock/icons/}: the PNGs that {@code packaging/render-icons.sh}
 * renders from {@code icons/*.svg}. Plain resource URLs, so this class needs no toolkit: JavaFX takes them as
 * {@code new Image(url.toExternalForm())}, AWT as {@code Toolkit.getDefaultToolkit().getImage(url)}.
 *
 * <ul>
 *   <li>the app icon: {@code redock-<size>.png}, {@code redock-deploying-<size>.png}, {@code redock-failure-<size>.png}
 *       for sizes 16, 24, 32, 48, 64, 128, 256 (and 512 for the plain one);</li>
 *   <li>the tray glyph: {@code redock-tray-<white|dark>[-deploying|-failure]-<size>.png} for sizes 16, 22, 24, 32, 48,
 *       64; white for dark panels, dark for light ones.</li>
 * </ul>
 */
public final class AppIcons {

    /** The class-path folder of the icons. */
    public static final String FOLDER = "/dev/redock/icons/";

    static final List<Integer> APP_SIZES = List.of(16, 24, 32, 48, 64, 128, 256);
    static final List<Integer> TRAY_SIZES = List.of(16, 22, 24, 32, 48, 64);

    /** What the icon says besides "Redock": nothing, a deployment under way, or a failed one. */
    public enum State {
        IDLE, DEPLOYING, FAILURE;

        String suffix() {
            return this == IDLE ? "" : "-" + name().toLowerCase(Locale.ROOT);
        }
    }

    /** The colour of the tray glyph: {@code WHITE} for dark panels, {@code DARK} for light ones. */
    public enum Glyph {
        WHITE, DARK
    }

    private AppIcons() {
    }

    /** The app icon in every size, smallest first: a window's icon list (the toolkit picks the size it needs). */
    public static List<URL> windowIcons(State state) {
        List<URL> icons = new ArrayList<>();
        for (int size : APP_SIZES) {
            icons.add(resource("redock" + state.suffix() + "-" + size + ".png"));
        }
        if (state == State.IDLE) {
            icons.add(resource("redock-512.png"));
        }
        return List.copyOf(icons);
    }

    /** The tray glyph rendered for {@code size} pixels: the smallest rendering at least that large, else the largest. */
    public static URL trayIcon(int size, Glyph glyph, State state) {
        int rendered = TRAY_SIZES.stream().filter(s -> s >= size).findFirst().orElse(TRAY_SIZES.get(TRAY_SIZES.size() - 1));
        return resource("redock-tray-" + glyph.name().toLowerCase(Locale.ROOT) + state.suffix() + "-" + rendered + ".png");
    }

    private static URL resource(String name) {
        URL url = AppIcons.class.getResource(FOLDER + name);
        if (url == null) {
            throw new IllegalStateException("icon missing from the class path: " + FOLDER + name
                    + " (packaging/render-icons.sh renders it)");
        }
        return url;
    }
}
