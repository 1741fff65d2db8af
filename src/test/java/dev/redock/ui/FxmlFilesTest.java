package dev.redock.ui;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

import javafx.application.Platform;
import javafx.scene.Parent;
import javafx.scene.Scene;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.util.WaitForAsyncUtils;

import dev.redock.ui.detail.DetailModel;
import dev.redock.ui.detail.EditModel;
import dev.redock.ui.detail.TriggersModel;
import dev.redock.ui.launch.LaunchModel;
import dev.redock.ui.settings.AddEngineModel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every FXML file loads with its controller under the stylesheet: the window alone, with no Docker engine behind it. */
@ExtendWith(FxExceptions.class)
class FxmlFilesTest {

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

    static List<String> fxmlFiles() throws Exception {
        Path root = Path.of(Views.class.getResource(Views.ROOT + "main_window.fxml").toURI()).getParent();
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(p -> p.toString().endsWith(".fxml"))
                    .map(p -> root.relativize(p).toString().replace('\\', '/'))
                    .sorted()
                    .toList();
        }
    }

    @Test
    void everyFxmlFileLoadsWithItsControllerUnderTheStylesheet() throws Exception {
        List<String> files = fxmlFiles();
        assertThat(files).contains("main_window.fxml", "services/service_list.fxml", "launch/launch_wizard.fxml",
                "launch/launch_image.fxml", "launch/launch_config.fxml", "launch/launch_review.fxml",
                "form/service_form.fxml", "detail/service_detail.fxml", "detail/edit_service.fxml", "launch/launch_source.fxml",
                "form/git_fields.fxml", "settings/settings_dialog.fxml", "settings/settings_engines.fxml",
                "settings/add_engine.fxml");
        List<String> loaded = new ArrayList<>();
        for (String file : files) {
            Parent root = ConsoleFixture.onFx(() -> {
                UiContext c = fixture.context();
                LaunchModel launch = new LaunchModel(c.core(), c.tasks(), c.services(), c.engines());
                EditModel edit = new EditModel(UUID.randomUUID(), c.core(), c.tasks());
                UUID shown = UUID.randomUUID();
                DetailModel detail = new DetailModel(shown, c.core(), c.tasks(), c.events(), service -> Optional.empty());
                TriggersModel triggers = new TriggersModel(shown, c.core(), c.tasks());
                try {
                    Views.Loaded<Object> view = c.views().load(file, launch, launch.form(), launch.git(), edit, detail, triggers,
                            new AddEngineModel(c.engines()));
                    assertThat(view.controller()).as("controller of %s", file).isNotNull();
                    Scene scene = new Scene(view.root());
                    c.theme().style(scene);
                    view.root().applyCss();
                    view.root().layout();
                    if (view.controller() instanceof AutoCloseable closeable) {
                        closeable.close();
                    }
                    return view.root();
                } finally {
                    triggers.close();
                    detail.close();
                }
            });
            assertThat(root).as(file).isNotNull();
            loaded.add(file);
        }
        fixture.awaitIdle();
        assertThat(loaded).hasSameSizeAs(files);
    }

    @Test
    void theStylesheetParsesWithoutErrors() throws URISyntaxException, java.io.IOException {
        String css = Files.readString(Path.of(FxmlFilesTest.class.getResource(Theme.STYLESHEET).toURI()));
        assertThat(css).contains(".status-running", ".status-failed", ".status-missing", ".status-deploying",
                ".status-unreachable");
        var errors = ConsoleFixture.onFx(() -> {
            var list = javafx.css.CssParser.errorsProperty();
            list.clear();
            new javafx.css.CssParser().parse(FxmlFilesTest.class.getResource(Theme.STYLESHEET));
            return new ArrayList<>(list);
        });
        assertThat(errors).isEmpty();
    }

    @Test
    void anExceptionOnTheFxThreadIsCaughtAndReportedAsAFailure() {
        Platform.runLater(() -> {
            throw new IllegalStateException("thrown on purpose on the FX thread");
        });
        WaitForAsyncUtils.waitForFxEvents();
        List<Throwable> seen = FxExceptions.drain();
        assertThat(seen).singleElement().extracting(Throwable::getMessage).isEqualTo("thrown on purpose on the FX thread");
    }

    @Test
    void touchingTheWindowsStateOffTheFxThreadFailsFast() {
        assertThatThrownBy(() -> fixture.context().services().refresh())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("off the FX thread");
        assertThatThrownBy(() -> fixture.context().notifier().info("from the wrong thread"))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> fixture.context().views().load("main_window.fxml"))
                .isInstanceOf(IllegalStateException.class);
    }
}
