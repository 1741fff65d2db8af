package dev.redock.ui;

import static dev.redock.ui.ConsoleFixture.onFx;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.TableView;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import dev.redock.model.ContainerSetting;
import dev.redock.ui.detail.DetailModel;

/**
 * The Configuration tab's "Also kept from the container": hidden while the container has no such setting, a read-only
 * two-column table of them once it has some. The window alone, with no Docker engine behind it.
 */
@ExtendWith(FxExceptions.class)
class OtherSettingsTabTest {

    @TempDir
    static Path dataFolder;

    private static ConsoleFixture fixture;

    @BeforeAll
    static void openTheConsole() {
        fixture = ConsoleFixture.openWithoutEngine(dataFolder);
    }

    @AfterAll
    static void closeTheConsole() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void theOtherSettingsShowOnlyWhenThereAreSomeEachWithItsValue() {
        onFx(() -> {
            UiContext c = fixture.context();
            try (DetailModel detail = new DetailModel(UUID.randomUUID(), c.core(), c.tasks(), c.events(), s -> Optional.empty())) {
                Parent root = c.views().load("detail/service_configuration.fxml", detail).root();
                fixture.context().theme().style(new Scene(root));
                root.applyCss(); // the scroll pane's skin puts the tab's content into the scene graph
                Parent box = (Parent) root.lookup("#otherSettingsBox");
                assertThat(box.isVisible()).as("nothing odd when there is none").isFalse();
                assertThat(box.isManaged()).isFalse();

                detail.otherSettings().setAll(List.of(new ContainerSetting("--user", "1000:1000"),
                        new ContainerSetting("--memory", "256m")));
                assertThat(box.isVisible()).isTrue();
                @SuppressWarnings("unchecked")
                TableView<ContainerSetting> table = (TableView<ContainerSetting>) root.lookup("#otherSettings");
                assertThat(table.getItems()).extracting(ContainerSetting::name).containsExactly("--user", "--memory");
                assertThat(table.getColumns().stream().map(col -> (Object) col.getCellData(1)).toList()).containsExactly("--memory", "256m");
                assertThat(table.isEditable()).isFalse();
                assertThat(table.getPrefHeight()).as("as tall as its rows").isGreaterThan(2 * table.getFixedCellSize());
            }
        });
        fixture.awaitIdle();
    }
}
