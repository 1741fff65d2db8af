package dev.redock.ui.tray;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.redock.app.AppIcons;
import dev.redock.service.EventHub;
import dev.redock.service.Settings;
import dev.redock.store.Database;
import dev.redock.store.SettingsStore;

import static org.assertj.core.api.Assertions.assertThat;

class TraySettingsTest {

    @TempDir
    Path dataFolder;

    @Test
    void closeToTrayIsOnAndSuccessesAreNotMutedUntilSaidOtherwiseAndBothAreKeptInTheDataFolder() {
        try (Database db = Database.open(dataFolder)) {
            Settings store = new Settings(new SettingsStore(db), new EventHub());
            assertThat(TraySettings.load(store)).isEqualTo(new TraySettings(true, false, false));
            assertThat(TraySettings.load(store).glyph()).isEqualTo(AppIcons.Glyph.WHITE);
            new TraySettings(false, true, true).save(store);
            assertThat(store.get(TraySettings.CLOSE_TO_TRAY)).contains("false");
            assertThat(store.get(TraySettings.MUTE_SUCCESSES)).contains("true");
            assertThat(store.get(TraySettings.DARK_TRAY_ICON)).contains("true");
        }
        try (Database db = Database.open(dataFolder)) {
            Settings store = new Settings(new SettingsStore(db), new EventHub());
            assertThat(TraySettings.load(store)).isEqualTo(new TraySettings(false, true, true));
            assertThat(TraySettings.load(store).glyph()).isEqualTo(AppIcons.Glyph.DARK);
            assertThat(TraySettings.successesMuted(store)).isTrue();
        }
    }

    @Test
    void aValueThatIsNeitherTrueNorFalseFallsBackToTheDefault() {
        try (Database db = Database.open(dataFolder)) {
            Settings store = new Settings(new SettingsStore(db), new EventHub());
            store.put(TraySettings.CLOSE_TO_TRAY, "perhaps");
            store.put(TraySettings.MUTE_SUCCESSES, " TRUE ");
            assertThat(TraySettings.load(store)).isEqualTo(new TraySettings(true, true, false));
        }
    }
}
