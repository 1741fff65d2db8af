package dev.redock.ui.tray;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import javafx.scene.Node;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.stage.Stage;
import javafx.stage.Window;
import javafx.stage.WindowEvent;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;

import dev.redock.app.AppIcons;
import dev.redock.app.Redock;
import dev.redock.model.ContainerSpec;
import dev.redock.model.ImageRef;
import dev.redock.model.Outcome;
import dev.redock.model.Service;
import dev.redock.model.Trigger;
import dev.redock.schedule.Scheduler;
import dev.redock.service.LaunchRequest;
import dev.redock.testenv.DockerTest;
import dev.redock.testenv.Redocks;
import dev.redock.testenv.TestEnv;
import dev.redock.testenv.TestImages;
import dev.redock.ui.Console;
import dev.redock.ui.ConsoleFixture;
import dev.redock.ui.FxExceptions;
import dev.redock.ui.WindowState;

import static dev.redock.ui.ConsoleFixture.onFx;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The window with its tray, on the real core, engine and registry, in the headless toolkit: where AWT has no tray (as under
 * Monocle, or a desktop without a tray host), a redeploy by the scheduler shows its notification inside the window and
 * closing the window quits; with a tray, closing hides the window and the tray's menu brings it back, pauses and quits.
 */
@ExtendWith({DockerTest.class, FxExceptions.class})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleTrayTest {

    private static final Duration DEPLOY_WAIT = Duration.ofSeconds(90);

    @TempDir
    static Path dataFolder;
    @TempDir
    static Path logFolder;

    private static Redock redock;
    private static Scheduler scheduler;
    private static Console console;
    private static ConsoleTray consoleTray;
    private static Path notificationLog;
    private static final AtomicInteger QUITS = new AtomicInteger();
    private static String repository;
    private static Service web;
    private final FxRobot robot = new FxRobot();

    @BeforeAll
    static void openTheConsoleWithoutATray() throws Exception {
        repository = TestEnv.uniqueName("tray") + "/web";
        TestImages.push(TestImages.webImage("tray v1"), repository + ":stable");
        redock = Redocks.open(dataFolder);
        web = redock.services().launch(new LaunchRequest(TestEnv.uniqueName("web"),
                ImageRef.parse(TestEnv.registry() + "/" + repository + ":stable"), ContainerSpec.empty(), true), null);
        scheduler = redock.scheduler(Duration.ofSeconds(2));
        scheduler.start();
        notificationLog = logFolder.resolve("notifications.log");
        console = onFx(() -> Console.open(new Stage(), redock.core(), WindowState.load(dataFolder)));
        consoleTray = onFx(() -> ConsoleTray.attach(console, null, notificationLog, QUITS::incrementAndGet));
        await().atMost(Duration.ofSeconds(30)).until(() -> console.context().tasks().pending() == 0);
    }

    @AfterAll
    static void closeEverything() {
        if (console != null) {
            onFx(() -> {
                for (Window w : List.copyOf(Window.getWindows())) {
                    if (w instanceof Stage s && s.getOwner() == console.stage()) {
                        s.close();
                    }
                }
                consoleTray.close();
                console.close();
                console.stage().close();
            });
        }
        if (redock != null) {
            redock.close();
        }
    }

    @Test
    @Order(1)
    void withNoTrayARedeployByTheSchedulerShowsItsNotificationInTheWindow() throws Exception {
        assertThat(AwtTray.isSupported()).as("AWT is headless here: no system tray").isFalse();
        assertThat(consoleTray.tray().isAvailable()).isFalse();
        assertThat(console.context().status().trayAvailableProperty().get()).isFalse();

        String second = TestImages.push(TestImages.webImage("tray v2"), repository + ":stable");
        // The banner hides itself 6 s after it shows (Notifier): its link is clicked as soon as the notice shows, and what
        // the notice said, read in the same look, is checked afterwards.
        Banner shown = await().atMost(DEPLOY_WAIT).until(this::banner, b -> b.text().contains(web.name() + " redeployed"));
        robot.clickOn(this.<Node>node("#bannerOpen"));
        await().atMost(Duration.ofSeconds(5)).until(() -> web.id().equals(onFx(() ->
                console.context().navigator().shownServiceProperty().get())));
        assertThat(bannerText()).as("the notice has done its job").isEmpty();

        assertThat(shown.text()).contains(NotificationText.digest(second)).endsWith("(succeeded)");
        assertThat(shown.styleClasses()).contains("success");
        await().atMost(Duration.ofSeconds(10)).until(() -> redock.services().history(web.id(), 5).stream()
                .anyMatch(d -> d.trigger() == Trigger.REGISTRY_POLL && d.outcome() == Outcome.SUCCEEDED
                        && second.equals(d.newDigest())));
        assertThat(Files.readString(notificationLog, StandardCharsets.UTF_8))
                .contains("tray window available=false")
                .contains("notify INFO " + web.id() + " | " + web.name() + " redeployed");
        await().atMost(Duration.ofSeconds(5)).until(() -> onFx(() -> console.stage().getIcons().size()
                == AppIcons.windowIcons(AppIcons.State.IDLE).size()));
    }

    @Test
    @Order(2)
    void theSettingsDialogSaysThereIsNoTrayAndStoresThePollIntervalAndTheMuteSetting() {
        robot.clickOn("#settingsButton");
        awaitSettingsSaveEnabled();
        assertThat(onFx(() -> this.<Label>node("#noTrayNote").isVisible())).isTrue();
        assertThat(onFx(() -> this.<CheckBox>node("#closeToTrayBox").isDisabled())).isTrue();
        assertThat(onFx(() -> this.<TextField>node("#tokenFileField").getText()))
                .isEqualTo(dataFolder.resolve("api-token").toString());
        assertThat(onFx(() -> this.<TextField>node("#apiUrlField").getText())).startsWith("not served by this window");
        TextField interval = node("#intervalField");
        assertThat(onFx(() -> interval.getText())).as("the poll interval, as stored").isEqualTo("1m");
        robot.clickOn(interval).press(javafx.scene.input.KeyCode.CONTROL, javafx.scene.input.KeyCode.A)
                .release(javafx.scene.input.KeyCode.A, javafx.scene.input.KeyCode.CONTROL).write("soon");
        assertThat(onFx(() -> this.<Label>node("#intervalError").getText())).contains("invalid duration");
        assertThat(onFx(() -> this.<javafx.scene.control.Button>node("#settingsSave").isDisabled())).isTrue();
        robot.press(javafx.scene.input.KeyCode.CONTROL, javafx.scene.input.KeyCode.A)
                .release(javafx.scene.input.KeyCode.A, javafx.scene.input.KeyCode.CONTROL).write("45s");
        assertThat(onFx(() -> this.<Label>node("#intervalError").isVisible())).isFalse();
        CheckBox mute = node("#muteSuccessesBox");
        assertThat(onFx(() -> mute.isSelected())).isFalse();
        robot.clickOn(mute);
        robot.clickOn("#settingsSave");
        await().atMost(Duration.ofSeconds(10)).until(() -> TraySettings.load(redock.settings()).muteSuccesses());
        assertThat(redock.interval()).isEqualTo(Duration.ofSeconds(45));
        await().atMost(Duration.ofSeconds(5)).until(() -> !present("#settings-dialog"));
        redock.settings().put(TraySettings.MUTE_SUCCESSES, "false");
    }

    @Test
    @Order(3)
    void withNoTrayClosingTheWindowIsNotHeldBack() {
        WindowEvent close = new WindowEvent(console.stage(), WindowEvent.WINDOW_CLOSE_REQUEST);
        onFx(() -> console.stage().getOnCloseRequest().handle(close));
        assertThat(close.isConsumed()).as("the window closes and the app ends, as without a tray").isFalse();
        assertThat(QUITS).hasValue(0);
    }

    @Test
    @Order(4)
    void withATrayClosingHidesTheWindowAndTheTraysMenuBringsItBackPausesOpensAServiceAndQuits() throws Exception {
        NotificationsTest.FakeTray fake = new NotificationsTest.FakeTray(true);
        onFx(() -> {
            consoleTray.close();
            consoleTray = ConsoleTray.attach(console, fake, null, QUITS::incrementAndGet);
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> console.context().tasks().pending() == 0);
        assertThat(console.context().status().trayAvailableProperty().get()).isTrue();
        assertThat(fake.recent).as("the menu lists the deployments so far").isNotEmpty();
        assertThat(fake.recent.get(0).serviceName()).isEqualTo(web.name());
        assertThat(fake.glyph).as("the stored default: white, for a dark panel").isEqualTo(AppIcons.Glyph.WHITE);

        robot.clickOn("#settingsButton");
        awaitSettingsSaveEnabled();
        CheckBox dark = node("#darkTrayIconBox");
        assertThat(onFx(() -> dark.isDisabled())).as("there is a tray now").isFalse();
        robot.clickOn(dark);
        robot.clickOn("#settingsSave");
        await().atMost(Duration.ofSeconds(10)).until(() -> fake.glyph == AppIcons.Glyph.DARK);
        assertThat(TraySettings.load(redock.settings()).darkTrayIcon()).isTrue();
        await().atMost(Duration.ofSeconds(5)).until(() -> !present("#settings-dialog"));

        WindowEvent close = new WindowEvent(console.stage(), WindowEvent.WINDOW_CLOSE_REQUEST);
        onFx(() -> console.stage().getOnCloseRequest().handle(close));
        assertThat(close.isConsumed()).isTrue();
        assertThat(onFx(() -> console.stage().isShowing())).as("hidden to the tray").isFalse();
        assertThat(fake.notified).extracting(Notification::title).containsExactly("Redock is still running");

        consoleTray.actions().openWindow();
        await().atMost(Duration.ofSeconds(5)).until(() -> onFx(() -> console.stage().isShowing()));

        consoleTray.actions().setPaused(true);
        await().atMost(Duration.ofSeconds(5)).until(() -> scheduler.isPaused() && fake.paused);
        consoleTray.actions().setPaused(false);
        await().atMost(Duration.ofSeconds(5)).until(() -> !scheduler.isPaused() && !fake.paused);

        consoleTray.actions().openService(web.id());
        await().atMost(Duration.ofSeconds(5)).until(() -> web.id().equals(onFx(() ->
                console.context().navigator().shownServiceProperty().get())));

        onFx(() -> console.context().status().closeToTrayProperty().set(false));
        WindowEvent closeAgain = new WindowEvent(console.stage(), WindowEvent.WINDOW_CLOSE_REQUEST);
        onFx(() -> console.stage().getOnCloseRequest().handle(closeAgain));
        assertThat(closeAgain.isConsumed()).isTrue();
        assertThat(QUITS).as("closing quits when the setting is off").hasValue(1);
        consoleTray.actions().quit();
        await().atMost(Duration.ofSeconds(5)).until(() -> QUITS.get() == 2);
    }

    /** What the window's banner shows: its text (empty while hidden) and its style classes, read in one go on the FX thread. */
    private record Banner(String text, List<String> styleClasses) {
    }

    private Banner banner() {
        return onFx(() -> robot.lookup("#bannerText").tryQuery()
                .filter(n -> n.isVisible() && n.getParent().isVisible())
                .map(n -> new Banner(((Label) n).getText(), List.copyOf(n.getParent().getStyleClass())))
                .orElse(new Banner("", List.of())));
    }

    private String bannerText() {
        return banner().text();
    }

    /** Waits until the Settings dialog is open and has read what it shows (its Save button is enabled then). */
    private void awaitSettingsSaveEnabled() {
        await().atMost(Duration.ofSeconds(10)).until(() -> onFx(() -> robot.lookup("#settingsSave").tryQuery()
                .map(n -> !n.isDisabled()).orElse(false)));
    }

    private <T extends Node> T node(String query) {
        return ConsoleFixture.node(robot, query);
    }

    private boolean present(String query) {
        return ConsoleFixture.present(robot, query);
    }
}
