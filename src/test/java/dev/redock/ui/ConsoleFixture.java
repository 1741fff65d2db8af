package dev.redock.ui;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import javafx.application.Platform;
import javafx.event.Event;
import javafx.geometry.Point2D;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableView;
import javafx.scene.input.KeyCode;
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;
import javafx.stage.Stage;

import atlantafx.base.controls.ToggleSwitch;
import org.awaitility.Awaitility;
import org.testfx.api.FxRobot;
import org.testfx.service.adapter.impl.JavafxRobotAdapter;
import org.testfx.util.WaitForAsyncUtils;

import dev.redock.app.Redock;
import dev.redock.app.Startup;
import dev.redock.cli.CliRunner;
import dev.redock.deploy.DeployPolicy;
import dev.redock.engine.EngineException;
import dev.redock.engine.EngineSettings;
import dev.redock.model.ContainerInfo;
import dev.redock.registry.CredentialStore;
import dev.redock.schedule.Scheduler;
import dev.redock.testenv.TestEnv;
import dev.redock.testenv.TestImages;
import dev.redock.ui.services.ServiceRow;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real core on a data folder (H2 file, the real engine with this run's label on everything it makes, the real
 * registry, a scheduler polling every 2 s) and the real console window on it, as the app opens it.
 */
public final class ConsoleFixture implements AutoCloseable {

    static final DeployPolicy POLICY = new DeployPolicy(Duration.ofMinutes(2), Duration.ofMinutes(2), Duration.ofSeconds(30), Duration.ofSeconds(1));
    static final Duration POLL = Duration.ofSeconds(2);

    private final Startup started;
    private final Redock redock;
    private final Scheduler scheduler;
    private final Console console;

    private ConsoleFixture(Startup started, Scheduler scheduler, Console console) {
        this.started = started;
        this.redock = started.redock();
        this.scheduler = scheduler;
        this.console = console;
    }

    /** Opens the core (on this thread) and the window (on the FX thread). */
    static ConsoleFixture open(Path dataFolder) {
        return open(openCore(dataFolder));
    }

    /**
     * Opens the window on a core whose engine is nowhere (a socket that does not exist): for tests of the window alone,
     * which then need no Docker engine. The window says the engine does not answer, as it would.
     */
    static ConsoleFixture openWithoutEngine(Path dataFolder) {
        return open(new Redock(dataFolder, EngineSettings.defaults().withHost(
                java.net.URI.create("unix://" + dataFolder.resolve("no-engine.sock"))), CredentialStore.anonymous(), POLICY));
    }

    private static ConsoleFixture open(Redock core) {
        Path dataFolder = core.dataFolder();
        // As the app starts: polling (every 2 s here), and the changes the CLI, the agent or the API make show up.
        Startup started;
        try {
            started = Startup.start(core, Startup.Options.window().withInterval(POLL).withoutApi());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Scheduler scheduler = started.redock().scheduler(POLL);
        Console console = onFx(() -> Console.open(new Stage(), started.core(), WindowState.load(dataFolder)));
        ConsoleFixture f = new ConsoleFixture(started, scheduler, console);
        f.awaitIdle();
        return f;
    }

    static Redock openCore(Path dataFolder) {
        return new Redock(dataFolder, EngineSettings.defaults().withCommonLabels(TestEnv.runLabels()), CredentialStore.anonymous(),
                POLICY);
    }

    Redock redock() {
        return redock;
    }

    Scheduler scheduler() {
        return scheduler;
    }

    Console console() {
        return console;
    }

    UiContext context() {
        return console.context();
    }

    /** Waits until the window has no background task under way and the FX thread has handled what was posted. */
    void awaitIdle() {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> context().tasks().pending() == 0);
        WaitForAsyncUtils.waitForFxEvents();
    }

    /** Runs on the FX thread and returns its result; at once when called there. */
    public static <T> T onFx(Callable<T> c) {
        try {
            if (Platform.isFxApplicationThread()) {
                return c.call();
            }
            return WaitForAsyncUtils.asyncFx(c).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("on the FX thread: " + e.getMessage(), e);
        }
    }

    public static void onFx(Runnable r) {
        onFx(() -> {
            r.run();
            return null;
        });
    }

    /**
     * Types text into the window of {@code field}, key by key, as TestFX's {@code write} does: each character's key
     * pressed, key typed and key released go to the node that has the focus there (the field, once clicked), on the FX
     * thread and in order, so the field changes (and its listeners run) once per character. TestFX waits for the FX thread
     * after every character, some 60 ms each on a busy machine; this waits once, after the last, for all of them.
     */
    static void type(Node field, String text) {
        Scene scene = onFx(field::getScene);
        JavafxRobotAdapter keys = new JavafxRobotAdapter();
        keys.robotCreate(scene);
        for (char c : text.toCharArray()) {
            keys.keyPress(KeyCode.UNDEFINED);
            keys.keyType(KeyCode.UNDEFINED, Character.toString(c));
            keys.keyRelease(KeyCode.UNDEFINED);
        }
        WaitForAsyncUtils.waitForFxEvents();
    }

    /** The node with this CSS selector, or fails. */
    public static <T extends Node> T node(FxRobot robot, String query) {
        return onFx(() -> robot.lookup(query).<T>query());
    }

    /** The text a label or a text field shows. */
    static String text(FxRobot robot, String query) {
        return onFx(() -> {
            Node n = robot.lookup(query).query();
            if (n instanceof javafx.scene.control.Label l) {
                return l.getText() == null ? "" : l.getText();
            }
            if (n instanceof javafx.scene.control.TextInputControl t) {
                return t.getText();
            }
            throw new IllegalArgumentException(query + " is a " + n.getClass().getSimpleName());
        });
    }

    /** The text a label or a text field shows, or {@code fallback} while there is no such node (e.g. another page shows). */
    static String textOr(FxRobot robot, String query, String fallback) {
        return onFx(() -> robot.lookup(query).tryQuery().isPresent() ? text(robot, query) : fallback);
    }

    /**
     * Opens a service's page from the list as a keyboard user does (a click selects its row, Enter opens it), and waits until
     * the page shows it: the page is built on the FX thread after the key, and what a test reads next is on it.
     *
     * <p>Not a double click: the toolkit counts two clicks as one double click only within 500 ms of each other, and the robot
     * waits for the FX thread to go idle between them, which on a loaded machine can take longer. See
     * {@link #doubleClickRow} for the double click itself.
     */
    public static void openService(FxRobot robot, String name) {
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
            robot.clickOn(name);
            return name.equals(onFx(() -> {
                var row = robot.lookup("#services").<TableView<ServiceRow>>query()
                        .getSelectionModel().getSelectedItem();
                return row == null ? null : row.name();
            }));
        });
        robot.type(KeyCode.ENTER);
        awaitPageOf(robot, name);
    }

    /**
     * Double-clicks the service's row: the press, release and click events of a second click, counted as such, delivered to
     * the row on the FX thread in one go (as the toolkit does for a real double click), so that what is tested is the row's
     * handling of it, not the robot's pacing. Waits until the page shows the service.
     */
    public static void doubleClickRow(FxRobot robot, String name) {
        onFx(() -> {
            Node cell = robot.lookup(name).match(n -> n instanceof TableCell<?, ?>).query();
            Node row = cell.getParent();
            Point2D at = row.localToScreen(5, 5);
            for (int clicks = 1; clicks <= 2; clicks++) {
                for (var type : List.of(MouseEvent.MOUSE_PRESSED, MouseEvent.MOUSE_RELEASED, MouseEvent.MOUSE_CLICKED)) {
                    Event.fireEvent(row, new MouseEvent(type, 5, 5, at.getX(), at.getY(), MouseButton.PRIMARY, clicks,
                            false, false, false, false, type == MouseEvent.MOUSE_PRESSED, false, false, true, false, true, null));
                }
            }
            return null;
        });
        awaitPageOf(robot, name);
    }

    private static void awaitPageOf(FxRobot robot, String name) {
        Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> textOr(robot, "#detailName", "").equals(name));
    }

    /** Whether a node with this CSS selector is in a window now, shown or not. */
    public static boolean present(FxRobot robot, String query) {
        return onFx(() -> robot.lookup(query).tryQuery().isPresent());
    }

    /** The autoredeploy switch in the service's row of the list, or null while the list shows no such row. */
    static ToggleSwitch rowSwitch(FxRobot robot, String serviceName) {
        return onFx(() -> shownSwitch(robot, serviceName).orElse(null));
    }

    /**
     * Whether the switch in the service's row is on, or empty while the list shows no such row. Looked up and read on the FX
     * thread in one go: the table re-lays its cells out as rows come and go, and a lookup from another thread can land in the
     * middle of that.
     */
    static Optional<Boolean> rowSwitchOn(FxRobot robot, String serviceName) {
        return onFx(() -> shownSwitch(robot, serviceName).map(ToggleSwitch::isSelected));
    }

    /**
     * The switch of the service's row that the list shows. The table keeps cells it does not show beside those it does,
     * hidden, with the row they last showed: those it keeps for later, and those it makes only to measure a row and drops
     * from the window at its next layout. A switch in one of those has the same id, but no user can see or click it, and
     * one of the second kind leaves the window between being found and being clicked. Call on the FX thread.
     */
    private static Optional<ToggleSwitch> shownSwitch(FxRobot robot, String serviceName) {
        return robot.lookup("#autoredeploy-" + serviceName).<ToggleSwitch>queryAll().stream()
                .filter(ConsoleFixture::shown).findFirst();
    }

    /** Whether the node is in a window and it and every node it is in are visible. */
    private static boolean shown(Node node) {
        if (node.getScene() == null) {
            return false;
        }
        for (Node n = node; n != null; n = n.getParent()) {
            if (!n.isVisible()) {
                return false;
            }
        }
        return true;
    }

    /** Whether the switch in the service's row is on, once the list shows the row. */
    static boolean awaitRowSwitchOn(FxRobot robot, String serviceName) {
        return Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> rowSwitchOn(robot, serviceName), Optional::isPresent).get();
    }

    /**
     * Clicks the switch in the service's row as a user does: where the list shows it on the screen, found on the FX
     * thread. Not the switch's node: the table hands its rows to its cells anew as it lays them out (when a row changes,
     * say), and between the lookup and the click the cell found may come to show another row, or none, and leave the
     * window.
     */
    static void clickRowSwitch(FxRobot robot, String serviceName) {
        javafx.geometry.Point2D at = onFx(() -> {
            Node area = shownSwitch(robot, serviceName).orElseThrow().lookup(".thumb-area");
            javafx.geometry.Bounds onScreen = area.localToScreen(area.getBoundsInLocal());
            return new javafx.geometry.Point2D(onScreen.getCenterX(), onScreen.getCenterY());
        });
        robot.clickOn(at);
    }

    /** Flips the switch in the service's row on, as a user does, and waits until it is stored. */
    static void switchAutoredeployOn(FxRobot robot, Redock redock, String serviceName) {
        clickRowSwitch(robot, serviceName);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> redock.services().get(serviceName).autoredeploy());
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> rowSwitchOn(robot, serviceName), on -> on.equals(Optional.of(true)));
    }

    /** The service's container runs, carries this run's label, and serves {@code content} on {@code port}. */
    static void assertServing(String serviceName, int port, String content) throws EngineException {
        ContainerInfo container = TestEnv.engine().inspect(serviceName).orElseThrow();
        assertThat(container.state().running()).isTrue();
        assertThat(container.labels()).containsEntry(TestEnv.RUN_LABEL, TestEnv.runId());
        assertThat(TestImages.httpGet(port)).contains(content);
    }

    /** Whether the node is there and shown: it and every parent visible. */
    static boolean isShown(FxRobot robot, String query) {
        return onFx(() -> robot.lookup(query).tryQuery().map(ConsoleFixture::visibleUpwards).orElse(false));
    }

    private static boolean visibleUpwards(Node n) {
        for (Node p = n; p != null; p = p.getParent()) {
            if (!p.isVisible()) {
                return false;
            }
        }
        return true;
    }

    /**
     * Launches a service on this data folder through the CLI, as another process would, with this run's label and a short
     * stop timeout; returns its id.
     */
    UUID launchWithCli(CliRunner cli, String name, String image, String... options) {
        List<String> args = new ArrayList<>(List.of("service", "run", "--name", name, "-l", TestEnv.RUN_LABEL + "=" + TestEnv.runId(),
                "--stop-timeout", "1"));
        args.addAll(List.of(options));
        args.add(image);
        CliRunner.Result run = cli.run(args.toArray(String[]::new));
        assertThat(run.exitCode()).as(run.toString()).isZero();
        return redock.services().get(name).id();
    }

    /** Shows the service's page on the tab with this id, once the page has loaded the service. */
    void showDetailTab(FxRobot robot, UUID id, String name, String tabId) {
        onFx((Runnable) () -> context().navigator().showDetail(id));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> textOr(robot, "#detailName", "").equals(name));
        onFx(() -> {
            TabPane tabs = node(robot, "#detailTabs");
            tabs.getSelectionModel().select(tabs.getTabs().stream().filter(t -> tabId.equals(t.getId())).findFirst().orElseThrow());
        });
        awaitIdle();
    }

    /** Removes the service with the CLI (its container goes too), then closes the window and the core. */
    void closeRemoving(CliRunner cli, String name) {
        try {
            cli.run("service", "rm", name);
        } finally {
            close();
        }
    }

    /** Closes the window (saving its state) and then the core, as quitting the app does. */
    @Override
    public void close() {
        onFx(() -> {
            for (var w : new java.util.ArrayList<>(javafx.stage.Window.getWindows())) {
                if (w instanceof Stage s && s != console.stage() && s.getOwner() == console.stage()) {
                    s.close();
                }
            }
            console.close();
            console.stage().close();
        });
        started.close();
    }
}
