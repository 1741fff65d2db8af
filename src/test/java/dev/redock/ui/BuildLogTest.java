package dev.redock.ui;

import static dev.redock.ui.ConsoleFixture.onFx;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.stream.IntStream;

import javafx.scene.Scene;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TextArea;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A build's output in the window: lines from any thread reach the FX thread, the last ones are kept, the area follows the end. */
@ExtendWith(FxExceptions.class)
class BuildLogTest {

    @Test
    void linesFromAnIoThreadArriveOnTheFxThreadWithTheStepAsProgressAndOnlyTheLastOnesAreKept() throws Exception {
        BuildLog log = onFx(() -> {
            BuildLog l = new BuildLog();
            l.start("Building…");
            return l;
        });
        Thread io = new Thread(() -> {
            for (int i = 1; i <= BuildLog.MAX_LINES + 50; i++) {
                log.line("line " + i);
            }
            log.step(3, 4);
        });
        io.start();
        io.join();
        await().atMost(Duration.ofSeconds(5)).until(() -> onFx(() -> log.lines().size() == BuildLog.MAX_LINES
                && log.progressProperty().get() == 0.75));
        onFx(() -> {
            assertThat(log.lines().get(0)).isEqualTo("line 51");
            assertThat(log.lines().get(BuildLog.MAX_LINES - 1)).isEqualTo("line " + (BuildLog.MAX_LINES + 50));
            assertThat(log.statusProperty().get()).isEqualTo("Building: step 3 of 4");
            log.finish("Built");
            assertThat(log.runningProperty().get()).isFalse();
            assertThat(log.statusProperty().get()).isEqualTo("Built");
        });
    }

    @Test
    void theAreaFollowsTheNewestLineFromTheFirstLinesOn() {
        BuildLog log = new BuildLog();
        TextArea area = onFx(() -> {
            TextArea a = new TextArea();
            Stage stage = new Stage();
            stage.setScene(new Scene(new VBox(a), 400, 160));
            stage.show();
            LogArea.follow(a, log);
            log.start("Building…");
            return a;
        });
        for (int round = 0; round < 2; round++) {
            int r = round;
            onFx(() -> log.append(IntStream.range(0, 40).mapToObj(i -> "round " + r + " line " + i).toList(), 0, 0));
            // The area scrolls on a later pulse, once it has laid the new text out.
            await("round " + r + " scrolled to the end").atMost(Duration.ofSeconds(5))
                    .until(() -> onFx(() -> ((ScrollPane) area.lookup(".scroll-pane")).getVvalue()), v -> v == 1.0);
        }
        onFx(() -> ((Stage) area.getScene().getWindow()).close());
    }
}
