package dev.redock.ui;

import static dev.redock.ui.ConsoleFixture.node;
import static dev.redock.ui.ConsoleFixture.onFx;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import javafx.scene.Node;
import javafx.scene.control.ComboBox;
import javafx.scene.control.ListCell;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableView;
import javafx.scene.input.KeyCode;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;

import dev.redock.cli.CliRunner;
import dev.redock.model.ContainerSpec;
import dev.redock.model.ImageRef;
import dev.redock.model.PullProgress;
import dev.redock.model.Service;
import dev.redock.service.LaunchRequest;
import dev.redock.testenv.DockerTest;
import dev.redock.testenv.TestEnv;
import dev.redock.testenv.TestImages;
import dev.redock.ui.services.ServiceRow;
import dev.redock.ui.settings.EngineRow;

/**
 * The window with several engines, on the real engine (also added a second time, by its address): the wizard offers the
 * engines and launches on the one chosen, whose page and Edit form show it; the list shows each service's engine and
 * filters by it; Settings lists each engine with its state (the default one connected with its version, an added one that
 * does not answer unreachable with the reason), chooses where new services go, and removes only an engine no service runs
 * on.
 */
@ExtendWith({DockerTest.class, FxExceptions.class})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EnginesConsoleTest {

    private static final String DEFAULT = Service.DEFAULT_ENGINE;

    @TempDir
    static Path home;

    private static ConsoleFixture console;
    private static CliRunner cli;
    private static String repository;
    private static String onDefault;
    private static String onNear;
    /** The real engine again, added by its address: services can go there. */
    private static String near;
    /** An address where no engine answers. */
    private static String far;
    private static String farAddress;
    private final FxRobot robot = new FxRobot();

    @BeforeAll
    static void launchAServiceOnTheDefaultEngineAndOpenTheConsole() throws Exception {
        repository = TestEnv.uniqueName("ui/engines") + "/web";
        TestImages.push(TestImages.webImage("engines"), repository + ":stable");
        console = ConsoleFixture.open(home);
        cli = new CliRunner(home);
        onDefault = TestEnv.uniqueName("eng-a");
        onNear = TestEnv.uniqueName("eng-b");
        near = TestEnv.uniqueName("near");
        far = TestEnv.uniqueName("far");
        farAddress = "unix:///tmp/" + TestEnv.uniqueName("redock-nowhere") + "/nothing.sock";
        console.redock().services().launch(new LaunchRequest(onDefault, ImageRef.parse(TestEnv.registry() + "/" + repository
                + ":stable"), new ContainerSpec(null, null, null, null, null, null, null, 1), false), PullProgress.NONE);
        console.redock().core().engines().add(near, TestEnv.dockerHost().toString(), null);
    }

    @AfterAll
    static void removeTheServicesAndClose() {
        if (console != null) {
            cli.run("service", "rm", onNear);
            console.closeRemoving(cli, onDefault);
        }
    }

    @Test
    @Order(1)
    void theWizardOffersTheEnginesWithTheDefaultOneChosenAndLaunchesOnTheOneTheUserChooses() {
        robot.clickOn("#launchServiceButton");
        robot.clickOn("#imageField");
        setText("#imageField", TestEnv.registry() + "/" + repository);
        replaceText("#tagField", "stable");
        await().atMost(Duration.ofSeconds(30)).until(() -> ConsoleFixture.text(robot, "#checkTitle").startsWith("Found"));
        robot.clickOn("#nextButton");
        await().atMost(Duration.ofSeconds(5)).until(() -> ConsoleFixture.isShown(robot, "#nameField"));
        replaceText("#nameField", onNear);
        robot.clickOn("#stopTimeoutField").write("1");

        scrollToTheEnd("#engineField");
        ComboBox<String> engines = node(robot, "#engineField");
        assertThat(onFx(() -> List.copyOf(engines.getItems()))).containsExactly(DEFAULT, near);
        assertThat(onFx(engines::getValue)).as("where new services go").isEqualTo(DEFAULT);
        chooseIn("#engineField", near);
        robot.clickOn("#nextButton");
        await().atMost(Duration.ofSeconds(5)).until(() -> ConsoleFixture.text(robot, "#summaryName").equals(onNear));
        assertThat(ConsoleFixture.text(robot, "#summaryEngine")).startsWith(near + " · Docker ");
        robot.clickOn("#wizardLaunch");

        await().atMost(Duration.ofSeconds(60)).until(() -> ConsoleFixture.textOr(robot, "#detailName", "").equals(onNear));
        assertThat(console.redock().services().get(onNear).engine()).isEqualTo(near);
        await().atMost(Duration.ofSeconds(10)).until(() -> ConsoleFixture.text(robot, "#detailEngine").equals(near));

        robot.clickOn("#editButton");
        await().atMost(Duration.ofSeconds(10)).until(() -> ConsoleFixture.textOr(robot, "#editTitle", "").equals("Edit " + onNear));
        await().atMost(Duration.ofSeconds(5)).until(() -> ConsoleFixture.text(robot, "#engineName").equals(near));
        assertThat(ConsoleFixture.isShown(robot, "#engineField")).as("the Edit form shows the engine, fixed").isFalse();
        assertThat(ConsoleFixture.text(robot, "#engineHint")).contains("stays on its engine");
        robot.clickOn("#editCancel");
        robot.clickOn("#backToList");
    }

    @Test
    @Order(2)
    void theListShowsEachServicesEngineAndFiltersByEngine() {
        await().atMost(Duration.ofSeconds(10)).until(() -> listed().containsAll(List.of(onDefault, onNear)));
        assertThat(engineCell(onDefault)).isEqualTo(DEFAULT);
        assertThat(engineCell(onNear)).isEqualTo(near);

        chooseIn("#engineFilter", near);
        assertThat(listed()).containsExactly(onNear);
        chooseIn("#engineFilter", DEFAULT);
        assertThat(listed()).containsExactly(onDefault);
        chooseIn("#engineFilter", "All engines");
        assertThat(listed()).containsExactlyInAnyOrder(onDefault, onNear);
    }

    @Test
    @Order(3)
    void settingsShowsEachEnginesStateAddsOneThatDoesNotAnswerAsUnreachableWithTheReasonAndRemovesOnlyEnginesWithoutServices() {
        robot.clickOn("#settingsButton");
        robot.clickOn("#enginesTab");
        await().atMost(Duration.ofSeconds(15)).until(() -> row(DEFAULT).map(r -> r.status().checked() != null).orElse(false));
        EngineRow byDefault = row(DEFAULT).orElseThrow();
        assertThat(byDefault.state()).as("the default engine, asked when Settings opened").startsWith("connected: Docker ")
                .contains("(API ");
        assertThat(byDefault.forNew()).as("new services go to the default engine").isTrue();
        assertThat(byDefault.services()).isEqualTo(1);
        assertThat(row(near).orElseThrow().services()).isEqualTo(1);

        robot.clickOn("#engineAdd");
        await().atMost(Duration.ofSeconds(5)).until(() -> ConsoleFixture.isShown(robot, "#engineNameField"));
        robot.clickOn("#engineNameField").write("far away");
        await().atMost(Duration.ofSeconds(5)).until(() -> ConsoleFixture.text(robot, "#engineNameError")
                .startsWith("Invalid engine name \"far away\""));
        robot.press(KeyCode.CONTROL).type(KeyCode.A).release(KeyCode.CONTROL).write(far);
        robot.clickOn("#engineWhereField");
        setText("#engineWhereField .text-field", farAddress);
        robot.clickOn("#engineAddConfirm");

        await().atMost(Duration.ofSeconds(20)).until(() -> !ConsoleFixture.present(robot, "#add-engine-dialog") && row(far).isPresent());
        EngineRow added = row(far).orElseThrow();
        assertThat(added.where()).contains(farAddress);
        assertThat(added.unreachable()).isTrue();
        assertThat(added.state()).startsWith("unreachable: ").hasSizeGreaterThan("unreachable: ".length() + 5);
        assertThat(ConsoleFixture.text(robot, "#engineDetail")).as("the added engine is selected, its reason in full")
                .startsWith(far + ": " + farAddress).contains(added.status().problem());
        assertThat(row(DEFAULT).orElseThrow().state()).startsWith("connected: Docker ");
        await().atMost(Duration.ofSeconds(15)).until(() -> ConsoleFixture.text(robot, "#engineStatus")
                .equals("2 of 3 engines connected · " + far + " unreachable"));
        assertThat(onFx(() -> ConsoleFixture.<javafx.scene.control.Label>node(robot, "#engineStatus").getTooltip().getText()))
                .contains(far + ": " + added.state());

        robot.clickOn("#engineUse");
        await().atMost(Duration.ofSeconds(10)).until(() -> row(far).map(EngineRow::forNew).orElse(false));
        assertThat(console.redock().core().engines().forNew()).isEqualTo(far);
        assertThat(row(DEFAULT).orElseThrow().forNew()).isFalse();

        selectEngine(near);
        robot.clickOn("#engineRemove");
        robot.clickOn("#confirm-ok");
        await().atMost(Duration.ofSeconds(10)).until(() -> ConsoleFixture.isShown(robot, "#enginesProblem"));
        assertThat(ConsoleFixture.text(robot, "#enginesProblem")).startsWith("Cannot remove engine " + near + ": ")
                .contains("remove them first");
        assertThat(row(near)).isPresent();

        selectEngine(far);
        robot.clickOn("#engineRemove");
        robot.clickOn("#confirm-ok");
        await().atMost(Duration.ofSeconds(10)).until(() -> row(far).isEmpty());
        assertThat(console.redock().core().engines().names()).doesNotContain(far);
        await().atMost(Duration.ofSeconds(10)).until(() -> row(DEFAULT).map(EngineRow::forNew).orElse(false));
        robot.clickOn("#settingsCancel");
    }

    /** The engine's row in Settings, as the table holds it. */
    private java.util.Optional<EngineRow> row(String name) {
        return onFx(() -> robot.lookup("#engines").tryQuery()
                .flatMap(t -> ((TableView<?>) t).getItems().stream().map(EngineRow.class::cast)
                        .filter(r -> r.name().equals(name)).findFirst()));
    }

    /** Clicks the engine's row in Settings, as a user does, until it is the one selected. */
    private void selectEngine(String name) {
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            robot.clickOn(onFx(() -> robot.lookup("#engines .table-cell").queryAll().stream()
                    .filter(c -> c instanceof TableCell<?, ?> cell && cell.getTableRow() != null
                            && cell.getTableRow().getItem() instanceof EngineRow r && r.name().equals(name))
                    .findFirst().orElseThrow()));
            return onFx(() -> ConsoleFixture.<TableView<EngineRow>>node(robot, "#engines").getSelectionModel().getSelectedItem())
                    .name().equals(name);
        });
    }

    /** Opens the combo box and clicks the choice whose text starts with {@code choice}, as a user does. */
    private void chooseIn(String comboQuery, String choice) {
        robot.clickOn(comboQuery);
        Node cell = await().atMost(Duration.ofSeconds(5)).until(() -> onFx(() -> robot.lookup(".combo-box-popup .list-cell")
                .queryAll().stream()
                .filter(n -> n instanceof ListCell<?> c && c.isVisible() && c.getItem() != null && c.getItem().equals(choice))
                .findFirst().orElse(null)), n -> n != null);
        robot.clickOn(cell);
        await().atMost(Duration.ofSeconds(5)).until(() -> choice.equals(onFx(() -> ConsoleFixture.<ComboBox<?>>node(robot, comboQuery)
                .getValue())));
    }

    /** The services the list shows now, in its order. */
    private List<String> listed() {
        return onFx(() -> ConsoleFixture.<TableView<ServiceRow>>node(robot, "#services").getItems().stream()
                .map(ServiceRow::name).toList());
    }

    /** The text of the Engine cell in the service's row, as drawn. */
    private String engineCell(String service) {
        return onFx(() -> robot.lookup("#services .table-cell").queryAll().stream()
                .map(n -> (TableCell<?, ?>) n)
                .filter(c -> "Engine".equals(c.getTableColumn().getText()) && c.getTableRow() != null
                        && c.getTableRow().getItem() instanceof ServiceRow r && r.name().equals(service))
                .map(TableCell::getText).findFirst().orElse(null));
    }

    /** Scrolls the form that holds this node to its end, as a user in a small window would. */
    private void scrollToTheEnd(String query) {
        onFx((Runnable) () -> {
            javafx.scene.Parent p = ConsoleFixture.<Node>node(robot, query).getParent();
            while (!(p instanceof javafx.scene.control.ScrollPane)) {
                p = p.getParent();
            }
            ((javafx.scene.control.ScrollPane) p).setVvalue(1.0);
            p.layout();
        });
        org.testfx.util.WaitForAsyncUtils.waitForFxEvents();
    }

    /** Puts a long text in a field at once (typing it key by key only makes the test slower). */
    private void setText(String query, String text) {
        onFx(() -> ConsoleFixture.<javafx.scene.control.TextInputControl>node(robot, query).setText(text));
    }

    private void replaceText(String query, String text) {
        robot.clickOn(query).press(KeyCode.CONTROL).type(KeyCode.A).release(KeyCode.CONTROL).write(text);
    }
}
