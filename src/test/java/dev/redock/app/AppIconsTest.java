package dev.redock.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.List;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class AppIconsTest {

    private static BufferedImage read(URL url) throws IOException {
        try (InputStream in = url.openStream()) {
            BufferedImage image = ImageIO.read(in);
            assertThat(image).as("a PNG at %s", url).isNotNull();
            return image;
        }
    }

    @ParameterizedTest
    @EnumSource(AppIcons.State.class)
    void windowIconsComeInEverySizeSmallestFirst(AppIcons.State state) throws IOException {
        List<URL> icons = AppIcons.windowIcons(state);

        List<Integer> widths = new java.util.ArrayList<>();
        for (URL icon : icons) {
            BufferedImage image = read(icon);
            assertThat(image.getHeight()).isEqualTo(image.getWidth());
            widths.add(image.getWidth());
        }
        List<Integer> expected = state == AppIcons.State.IDLE
                ? List.of(16, 24, 32, 48, 64, 128, 256, 512)
                : List.of(16, 24, 32, 48, 64, 128, 256);
        assertThat(widths).isEqualTo(expected);
    }

    @Test
    void trayIconsExistForEveryGlyphStateAndSize() throws IOException {
        for (AppIcons.Glyph glyph : AppIcons.Glyph.values()) {
            for (AppIcons.State state : AppIcons.State.values()) {
                for (int size : AppIcons.TRAY_SIZES) {
                    BufferedImage image = read(AppIcons.trayIcon(size, glyph, state));
                    assertThat(image.getWidth()).as("%s %s %d", glyph, state, size).isEqualTo(size);
                    assertThat(image.getColorModel().hasAlpha()).isTrue();
                }
            }
        }
    }

    @Test
    void trayIconForAnOddSizeIsTheNextLargerRenderingAndNeverMissing() throws IOException {
        assertThat(read(AppIcons.trayIcon(20, AppIcons.Glyph.WHITE, AppIcons.State.IDLE)).getWidth()).isEqualTo(22);
        assertThat(read(AppIcons.trayIcon(30, AppIcons.Glyph.DARK, AppIcons.State.FAILURE)).getWidth()).isEqualTo(32);
        assertThat(read(AppIcons.trayIcon(128, AppIcons.Glyph.DARK, AppIcons.State.DEPLOYING)).getWidth()).isEqualTo(64);
        assertThat(AppIcons.trayIcon(22, AppIcons.Glyph.WHITE, AppIcons.State.DEPLOYING).getPath())
                .endsWith("/dev/redock/icons/redock-tray-white-deploying-22.png");
    }
}
