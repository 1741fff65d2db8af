package dev.redock.ui;

import static dev.redock.ui.ConsoleFixture.onFx;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.scene.Parent;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;

/**
 * The window's banner floats over the page: a message coming, and going (an info or a success fades by itself a few
 * seconds later, at whatever moment that is), leaves the page where it is, so that a click aimed at the page lands on
 * what it was aimed at. The window alone, with no Docker engine behind it.
 */
@ExtendWith(FxExceptions.class)
class BannerTest {

    private final FxRobot robot = new FxRobot();

    @Test
    void aMessageComingAndGoingLeavesThePageWhereItIs(@TempDir Path dataFolder) {
        try (ConsoleFixture fixture = ConsoleFixture.openWithoutEngine(dataFolder)) {
            Bounds before = laidOutBoundsOf("#services");

            onFx(() -> fixture.context().notifier().success("Following web. Its container runs on as it is; Redock labels"
                    + " it at the next redeploy"));
            assertThat(ConsoleFixture.isShown(robot, "#banner")).isTrue();
            assertThat(laidOutBoundsOf("#services")).as("while the message shows").isEqualTo(before);

            onFx(() -> fixture.context().notifier().dismiss()); // what its fade does
            assertThat(ConsoleFixture.isShown(robot, "#banner")).isFalse();
            assertThat(laidOutBoundsOf("#services")).as("once it is gone").isEqualTo(before);
        }
    }

    /** Where the node is in the window once the window is laid out as its next pulse would lay it out. */
    private Bounds laidOutBoundsOf(String query) {
        return onFx(() -> {
            Node n = robot.lookup(query).query();
            Parent root = n.getScene().getRoot();
            root.applyCss();
            root.layout();
            return n.localToScene(n.getBoundsInLocal());
        });
    }
}
