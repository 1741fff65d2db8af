package dev.redock.ui;

import static dev.redock.ui.ConsoleFixture.onFx;
import static org.awaitility.Awaitility.await;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import javafx.stage.Window;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;

import dev.redock.deploy.LaunchRequest;
import dev.redock.engine.PullProgress;
import dev.redock.model.ContainerSpec;
import dev.redock.model.ImageRef;
import dev.redock.model.PortBinding;
import dev.redock.model.RestartPolicy;
import dev.redock.testenv.DockerTest;
import dev.redock.testenv.TestEnv;
import dev.redock.testenv.TestImages;

/**
 * Takes the README's screenshots from the real console on real services (the engine, the registry, an H2 file), only when
 * asked: {@code mvn test -Dtest=ScreenshotTour -Dredock.screenshots=packaging/screenshots}.
 */
@ExtendWith({DockerTest.class, FxExceptions.class})
@EnabledIfSystemProperty(named = "redock.screenshots", matches = ".+")
class ScreenshotTour {

    @TempDir
    static Path dataFolder;

    private static ConsoleFixture console;
    private final FxRobot robot = new FxRobot();

    @AfterAll
    static void close() {
        if (console != null) {
            console.close();
        }
    }

    @Test
    void takesTheScreenshotsOfTheMainWindowTheWizardAndTheDetailPage() throws Exception {
        Path out = Path.of(System.getProperty("redock.screenshots")).toAbsolutePath();
        Files.createDirectories(out);
        String registry = TestEnv.registry();
        String team = TestEnv.uniqueName("shop");
        TestImages.push(TestImages.webImage("storefront v1"), team + "/storefront:stable");
        TestImages.push(TestImages.webImage("api v7"), team + "/api:1.4");
        TestImages.push(TestImages.webImage("docs"), team + "/docs:latest");
        TestImages.push(TestImages.webImage("worker"), team + "/worker:main");

        console = ConsoleFixture.open(dataFolder);
        var services = console.redock().services();
        ContainerSpec web = new ContainerSpec(List.of(PortBinding.parse(TestImages.freePort() + ":80")),
                java.util.Map.of("MODE", "production", "CACHE_TTL", "300"), null, null, RestartPolicy.parse("unless-stopped"),
                java.util.Map.of("team", "shop"), null, 1);
        services.launch(new LaunchRequest("storefront", ImageRef.parse(registry + "/" + team + "/storefront:stable"), web, true),
                PullProgress.NONE);
        services.launch(new LaunchRequest("api", ImageRef.parse(registry + "/" + team + "/api:1.4"),
                new ContainerSpec(List.of(PortBinding.parse(TestImages.freePort() + ":80")), null, null, null, null, null, null, 1),
                false), PullProgress.NONE);
        services.launch(new LaunchRequest("docs", ImageRef.parse(registry + "/" + team + "/docs:latest"),
                new ContainerSpec(null, null, null, null, null, null, null, 1), true), PullProgress.NONE);
        services.launch(new LaunchRequest("worker", ImageRef.parse(registry + "/" + team + "/worker:main"),
                new ContainerSpec(null, null, null, null, null, null, null, 1), false), PullProgress.NONE);
        services.stop("worker");

        // A history for the storefront: a good push, a push that crashes (rolled back), another good one.
        String v2 = TestImages.push(TestImages.webImage("storefront v2"), team + "/storefront:stable");
        awaitDigest("storefront", v2);
        TestImages.push(TestImages.crashingImage(), team + "/storefront:stable");
        await().atMost(Duration.ofSeconds(90)).until(() -> services.history(services.get("storefront").id(), 10).stream()
                .anyMatch(d -> d.outcome() == dev.redock.model.Outcome.ROLLED_BACK));
        String v3 = TestImages.push(TestImages.webImage("storefront v3"), team + "/storefront:stable");
        awaitDigest("storefront", v3);
        console.awaitIdle();

        onFx(() -> {
            Stage stage = console.console().stage();
            stage.setX(0);
            stage.setY(0);
            stage.setWidth(1280);
            stage.setHeight(800);
        });
        robot.clickOn("storefront");
        settle();
        shoot(console.console().stage().getScene(), out.resolve("main-window.png"));

        robot.press(KeyCode.CONTROL).type(KeyCode.N).release(KeyCode.CONTROL);
        Stage wizard = await().atMost(Duration.ofSeconds(5)).until(() -> onFx(() -> Window.getWindows().stream()
                .filter(w -> w instanceof Stage s && "Launch service".equals(s.getTitle())).map(w -> (Stage) w)
                .findFirst().orElse(null)), w -> w != null);
        robot.clickOn("#imageField").write(registry + "/" + team + "/api");
        robot.clickOn("#tagField").press(KeyCode.CONTROL).type(KeyCode.A).release(KeyCode.CONTROL).write("1.4");
        await().atMost(Duration.ofSeconds(20)).until(() -> onFx(() -> ((Label) robot.lookup("#checkTitle").query()).getText())
                .startsWith("Found"));
        settle();
        shoot(wizard.getScene(), out.resolve("wizard-image.png"));
        robot.clickOn("#nextButton");
        robot.clickOn("#nameField").press(KeyCode.CONTROL).type(KeyCode.A).release(KeyCode.CONTROL).write("api-canary");
        robot.clickOn("#portsField").write("8081:80");
        robot.clickOn("#envField").write("MODE=canary");
        robot.clickOn("#restartField .text-field").press(KeyCode.CONTROL).type(KeyCode.A).release(KeyCode.CONTROL).write("always");
        robot.clickOn("#stopTimeoutField").write("10");
        settle();
        shoot(wizard.getScene(), out.resolve("wizard-configuration.png"));
        robot.type(KeyCode.ESCAPE);

        robot.doubleClickOn("storefront");
        await().atMost(Duration.ofSeconds(10)).until(() -> onFx(() -> robot.lookup("#timeline").<TableView<?>>query().getItems().size()) >= 4);
        settle();
        shoot(console.console().stage().getScene(), out.resolve("service-detail.png"));

        onFx(() -> console.context().theme().toggle());
        settle();
        shoot(console.console().stage().getScene(), out.resolve("service-detail-dark.png"));
        robot.clickOn("#backToList");
        settle();
        shoot(console.console().stage().getScene(), out.resolve("main-window-dark.png"));
        onFx(() -> console.context().theme().toggle());
    }

    private static void awaitDigest(String name, String digest) {
        await().atMost(Duration.ofSeconds(90)).until(() -> digest.equals(console.redock().services().get(name).digest()));
    }

    private void settle() {
        console.awaitIdle();
        org.testfx.util.WaitForAsyncUtils.waitForFxEvents(5);
    }

    /** Renders the scene as it is on screen and writes it as a PNG. */
    private static void shoot(Scene scene, Path file) throws IOException {
        WritableImage image = onFx(() -> scene.snapshot(null));
        int w = (int) image.getWidth();
        int h = (int) image.getHeight();
        int[] argb = new int[w * h];
        image.getPixelReader().getPixels(0, 0, w, h, PixelFormat.getIntArgbInstance(), argb, 0, w);
        BufferedImage png = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        png.setRGB(0, 0, w, h, argb, 0, w);
        ImageIO.write(png, "png", file.toFile());
    }
}
