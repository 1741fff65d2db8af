package dev.redock.ui;

import static dev.redock.ui.ConsoleFixture.node;
import static dev.redock.ui.ConsoleFixture.onFx;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import javafx.scene.Node;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableView;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.TreeItem;
import javafx.scene.control.TreeTableRow;
import javafx.scene.control.TreeTableView;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;

import atlantafx.base.controls.ToggleSwitch;
import dev.redock.model.ContainerInfo;
import dev.redock.model.ExistingContainer;
import dev.redock.model.Service;
import dev.redock.model.ServiceStatus;
import dev.redock.testenv.DockerCli;
import dev.redock.testenv.DockerTest;
import dev.redock.testenv.TestEnv;
import dev.redock.testenv.TestImages;
import dev.redock.ui.adopt.NotFollowedEntry;
import dev.redock.ui.services.ServiceRow;

/**
 * Following containers Redock did not start, through the window, on the real engine: containers started with the docker
 * CLI show under Not followed (a compose project's two under the project's row); Follow makes one a service that runs
 * as it did, its container untouched; Forget puts it back under Not followed, still untouched; a project is followed
 * whole; and a container started by image id cannot be followed with autoredeploy, the dialog says why.
 */
@ExtendWith({DockerTest.class, FxExceptions.class})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NotFollowedConsoleTest {

    @TempDir
    static Path home;

    private static ConsoleFixture console;
    private static DockerCli docker;
    /** In every name this test gives, so that the filter shows only its own among whatever else runs on the engine. */
    private static String tag;
    private static String single;
    private static String project;
    private static String api;
    private static String web;
    private static String byId;
    /** Started with --rm: the engine would remove it as soon as it stops, so Redock refuses it. */
    private static String temporary;
    /** Started by digest: followed, it cannot autoredeploy. */
    private static String pinned;
    private static String imageId;
    private final FxRobot robot = new FxRobot();

    @BeforeAll
    static void startContainersWithTheDockerCliAndOpenTheConsole() {
        tag = TestEnv.uniqueName("nf");
        String image = TestEnv.registry() + "/" + tag + "/web:stable";
        String digest = TestImages.push(TestImages.webImage("not followed"), image);
        docker = DockerCli.on(home.resolve("docker-config"));
        single = tag + "-one";
        project = tag + "-shop";
        api = project + "-api-1";
        web = project + "-web-1";
        byId = tag + "-byid";
        temporary = tag + "-temp";
        pinned = tag + "-pinned";
        String label = TestEnv.RUN_LABEL + "=" + TestEnv.runId();
        docker.run("run", "-d", "--name", single, "-l", label, image);
        for (String service : List.of("api", "web")) {
            docker.run("run", "-d", "--name", project + "-" + service + "-1", "-l", label,
                    "-l", ExistingContainer.COMPOSE_PROJECT + "=" + project, "-l", ExistingContainer.COMPOSE_SERVICE + "=" + service,
                    image);
        }
        imageId = docker.run("image", "inspect", "--format", "{{.Id}}", image).strip();
        docker.run("create", "--name", byId, "-l", label, imageId);
        docker.run("run", "-d", "--rm", "--name", temporary, "-l", label, image);
        docker.run("run", "-d", "--name", pinned, "-l", label, TestEnv.registry() + "/" + tag + "/web@" + digest);
        console = ConsoleFixture.open(home);
    }

    @AfterAll
    static void closeTheConsoleAndRemoveTheContainers() {
        try {
            if (console != null) {
                console.close();
            }
        } finally {
            if (docker != null) {
                docker.run("rm", "-f", single, api, web, byId, temporary, pinned);
            }
        }
    }

    @Test
    @Order(1)
    void theContainersStartedWithTheCliShowUnderNotFollowedAProjectsTwoUnderItsRow() {
        robot.clickOn("#showNotFollowed");
        robot.clickOn("#notFollowedFilter");
        ConsoleFixture.type(node(robot, "#notFollowedFilter"), tag);
        await().atMost(Duration.ofSeconds(20)).until(() -> topLevel().size() == 5);

        assertThat(topLevel()).extracting(NotFollowedEntry::name).containsExactly(byId, single, pinned, temporary, project);
        NotFollowedEntry one = entry(single).orElseThrow();
        assertThat(one.container().image()).isEqualTo(TestEnv.registry() + "/" + tag + "/web:stable");
        assertThat(one.container().state()).isEqualTo("running");
        assertThat(one.engine()).isEqualTo(Service.DEFAULT_ENGINE);
        assertThat(one.container().noTag()).isNull();
        assertThat(entry(byId).orElseThrow().container().state()).isEqualTo("created");
        assertThat(children(project)).extracting(NotFollowedEntry::name).containsExactly(api, web);
        assertThat(children(project)).extracting(e -> e.container().composeService()).containsExactly("api", "web");
        assertThat(cellText(project)).isEqualTo(project + "  ·  compose project, 2 containers");
        assertThat(ConsoleFixture.text(robot, "#listSubtitle")).endsWith("on your engines that Redock does not follow");
    }

    @Test
    @Order(2)
    void followingAContainerMakesItAServiceThatRunsAsItDidAndItsContainerIsUntouched() throws Exception {
        ContainerInfo before = TestEnv.engine().inspect(single).orElseThrow();
        clickRow(single);
        robot.clickOn("#followButton");
        await().atMost(Duration.ofSeconds(5)).until(() -> ConsoleFixture.present(robot, "#follow-dialog"));
        ToggleSwitch autoredeploy = node(robot, "#followAutoredeploy");
        assertThat(onFx(autoredeploy::isSelected)).as("autoredeploy is off by default").isFalse();
        assertThat(onFx(autoredeploy::isDisabled)).as("the image has a tag").isFalse();
        robot.clickOn("#follow-ok");

        await().atMost(Duration.ofSeconds(20)).until(() -> console.redock().services().list().stream()
                .anyMatch(s -> s.name().equals(single)));
        Service followed = console.redock().services().get(single);
        assertThat(followed.autoredeploy()).isFalse();
        assertThat(followed.adopted()).isEqualTo(before.id());
        await("the list shows it, selected").atMost(Duration.ofSeconds(10)).until(() -> selectedService().equals(single));
        assertThat(onFx(() -> ConsoleFixture.<ToggleButton>node(robot, "#showServices").isSelected())).isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> console.context().services().rowNamed(single)
                .map(r -> r.status() == ServiceStatus.RUNNING).orElse(false));
        assertThat(ConsoleFixture.rowSwitchOn(robot, single)).contains(false);
        assertUntouched(before);

        ConsoleFixture.openService(robot, single);
        await().atMost(Duration.ofSeconds(10)).until(() -> ConsoleFixture.text(robot, "#detailStatus").equals("running"));
        assertThat(ConsoleFixture.isShown(robot, "#detailAdopted")).isTrue();
        robot.clickOn("#configurationTab");
        assertThat(onFx(() -> ConsoleFixture.<TabPane>node(robot, "#detailTabs").getSelectionModel().getSelectedItem().getId()))
                .as("the click selected the tab").isEqualTo("configurationTab");
        await().atMost(Duration.ofSeconds(10)).until(() -> ConsoleFixture.present(robot, "#configAdopted"));
        assertThat(ConsoleFixture.text(robot, "#configAdopted")).startsWith("Adopted from container " + before.id().substring(0, 12))
                .contains("Redock labels its container at the next redeploy");
        console.awaitIdle();
        List<dev.redock.model.ContainerSetting> others = console.redock().services().otherSettings(followed);
        assertThat(ConsoleFixture.isShown(robot, "#otherSettingsBox")).as("shown when there are some: %s", others)
                .isEqualTo(!others.isEmpty());
        assertThat(onFx(() -> ConsoleFixture.<TableView<?>>node(robot, "#otherSettings").getItems().size())).isEqualTo(others.size());
        robot.clickOn("#backToList");
    }

    @Test
    @Order(3)
    void forgettingItFromTheListsMenuLeavesItsContainerAsItIsAndItShowsUnderNotFollowedAgain() throws Exception {
        ContainerInfo before = TestEnv.engine().inspect(single).orElseThrow();
        robot.rightClickOn(single);
        openContextMenu(single);
        robot.clickOn("Forget…");
        await().atMost(Duration.ofSeconds(5)).until(() -> ConsoleFixture.present(robot, "#confirm-ok"));
        assertThat(onFx(() -> ((javafx.scene.control.DialogPane) robot.lookup("#confirm-dialog").query()).getContentText()))
                .contains("Its container stays exactly as it is");
        robot.clickOn("#confirm-ok");

        await().atMost(Duration.ofSeconds(20)).until(() -> console.redock().services().list().isEmpty());
        await().atMost(Duration.ofSeconds(10)).until(() -> ConsoleFixture.rowSwitchOn(robot, single).isEmpty());
        assertUntouched(before);

        robot.clickOn("#showNotFollowed");
        await().atMost(Duration.ofSeconds(20)).until(() -> entry(single).isPresent());
        assertThat(entry(single).orElseThrow().container().id()).isEqualTo(before.id());
    }

    @Test
    @Order(4)
    void followingAProjectsRowFollowsBothItsContainersAndTheListKeepsThemTogether() throws Exception {
        ContainerInfo apiBefore = TestEnv.engine().inspect(api).orElseThrow();
        ContainerInfo webBefore = TestEnv.engine().inspect(web).orElseThrow();
        clickRow(project);
        assertThat(onFx(() -> ConsoleFixture.<javafx.scene.control.Button>node(robot, "#followButton").getText()))
                .isEqualTo("Follow project…");
        robot.clickOn("#followButton");
        await().atMost(Duration.ofSeconds(5)).until(() -> ConsoleFixture.present(robot, "#follow-dialog"));
        assertThat(onFx(() -> ((javafx.scene.control.DialogPane) robot.lookup("#follow-dialog").query()).getHeaderText()))
                .isEqualTo("Follow the 2 containers of compose project " + project + "?");
        robot.clickOn("#follow-ok");

        await().atMost(Duration.ofSeconds(20)).until(() -> console.redock().services().list().size() == 2);
        for (String name : List.of(api, web)) {
            Service s = console.redock().services().get(name);
            assertThat(s.spec().labels()).containsEntry(ExistingContainer.COMPOSE_PROJECT, project);
            assertThat(s.autoredeploy()).isFalse();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> listed().containsAll(List.of(api, web)));
        await().atMost(Duration.ofSeconds(10)).until(() -> console.context().services().rows().stream()
                .filter(r -> project.equals(r.project())).allMatch(r -> r.status() == ServiceStatus.RUNNING));
        assertThat(onFx(() -> ConsoleFixture.<TableView<ServiceRow>>node(robot, "#services").getColumns().stream()
                .anyMatch(c -> "Project".equals(c.getText()) && c.isVisible()))).as("the Project column shows").isTrue();
        List<String> order = listed();
        assertThat(Math.abs(order.indexOf(web) - order.indexOf(api))).as("a project's services side by side").isEqualTo(1);
        assertUntouched(apiBefore);
        assertUntouched(webBefore);

        robot.clickOn("#showNotFollowed");
        await().atMost(Duration.ofSeconds(20)).until(() -> entry(project).isEmpty());
        assertThat(topLevel()).extracting(NotFollowedEntry::name).containsExactly(byId, single, pinned, temporary);
    }

    @Test
    @Order(5)
    void aContainerStartedByImageIdCannotAutoredeployTheDialogSaysWhyAndCancellingLeavesItAsItIs() throws Exception {
        ContainerInfo before = TestEnv.engine().inspect(byId).orElseThrow();
        clickRow(byId);
        robot.clickOn("#followButton");
        await().atMost(Duration.ofSeconds(5)).until(() -> ConsoleFixture.present(robot, "#follow-dialog"));
        ToggleSwitch autoredeploy = node(robot, "#followAutoredeploy");
        assertThat(onFx(autoredeploy::isDisabled)).isTrue();
        assertThat(onFx(autoredeploy::isSelected)).isFalse();
        assertThat(ConsoleFixture.text(robot, "#followNoTag"))
                .isEqualTo(byId + " runs its image by id: there is no tag to follow, so autoredeploy stays off")
                .isEqualTo(entry(byId).orElseThrow().container().noTag());
        robot.clickOn("Cancel");

        await().atMost(Duration.ofSeconds(5)).until(() -> !ConsoleFixture.present(robot, "#follow-dialog"));
        assertThat(console.redock().services().list()).extracting(Service::name).doesNotContain(byId);
        assertUntouched(before);
        assertThat(TestEnv.engine().inspect(single).orElseThrow().state().running())
                .as("the container the test forgot runs on").isTrue();
    }

    @Test
    @Order(6)
    void aContainerTheCoreRefusesIsNotFollowedAndTheBannerGivesTheCoresOwnSentence() throws Exception {
        ContainerInfo before = TestEnv.engine().inspect(temporary).orElseThrow();
        clickRow(temporary);
        robot.clickOn("#followButton");
        await().atMost(Duration.ofSeconds(5)).until(() -> ConsoleFixture.present(robot, "#follow-dialog"));
        robot.clickOn("#follow-ok");

        await().atMost(Duration.ofSeconds(20)).until(() -> ConsoleFixture.text(robot, "#bannerText").startsWith("Cannot follow"));
        assertThat(ConsoleFixture.text(robot, "#bannerText")).isEqualTo("Cannot follow " + temporary + ": " + temporary
                + " was started with --rm: the engine removes it as soon as it stops, so Redock could not keep it to fall back"
                + " on if a new version failed. Start it without --rm to adopt it");
        assertThat(console.redock().services().list()).extracting(Service::name).doesNotContain(temporary);
        assertThat(entry(temporary)).isPresent();
        assertUntouched(before);
    }

    @Test
    @Order(7)
    void aContainerStartedByDigestIsFollowedWithoutAutoredeployAndItsSwitchInTheListStaysOff() throws Exception {
        robot.clickOn("#showNotFollowed");
        clickRow(pinned);
        robot.clickOn("#followButton");
        await().atMost(Duration.ofSeconds(5)).until(() -> ConsoleFixture.present(robot, "#follow-dialog"));
        assertThat(onFx(() -> ConsoleFixture.<ToggleSwitch>node(robot, "#followAutoredeploy").isDisabled())).isTrue();
        assertThat(ConsoleFixture.text(robot, "#followNoTag")).contains("runs its image by digest");
        robot.clickOn("#follow-ok");

        await().atMost(Duration.ofSeconds(20)).until(() -> ConsoleFixture.rowSwitch(robot, pinned) != null);
        Service followed = console.redock().services().get(pinned);
        assertThat(followed.autoredeployRefused()).isNotNull();
        await().atMost(Duration.ofSeconds(5)).until(() -> onFx(() -> ConsoleFixture.rowSwitch(robot, pinned).isDisabled()));
        assertThat(ConsoleFixture.rowSwitchOn(robot, pinned)).contains(false);
    }

    /**
     * Asks for the context menu of the list's row of this service, as a right click does on a desktop: Monocle's headless
     * mouse reports the click but, unlike GTK, Windows and macOS, never the context-menu request that follows it.
     */
    private void openContextMenu(String service) {
        onFx(() -> {
            javafx.scene.control.TableRow<?> row = robot.lookup("#services .table-row-cell").queryAll().stream()
                    .map(n -> (javafx.scene.control.TableRow<?>) n)
                    .filter(r -> r.getItem() instanceof ServiceRow s && s.name().equals(service)).findFirst().orElseThrow();
            javafx.geometry.Bounds b = row.localToScreen(row.getBoundsInLocal());
            double x = b.getMinX() + 60;
            double y = b.getCenterY();
            javafx.geometry.Point2D local = row.screenToLocal(x, y);
            javafx.event.Event.fireEvent(row, new javafx.scene.input.ContextMenuEvent(
                    javafx.scene.input.ContextMenuEvent.CONTEXT_MENU_REQUESTED, local.getX(), local.getY(), x, y, false, null));
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> onFx(() -> javafx.stage.Window.getWindows().stream()
                .anyMatch(w -> w instanceof javafx.scene.control.ContextMenu && w.isShowing())));
    }

    /** The container has the same id, state and labels as before: Redock changed nothing on the engine. */
    private static void assertUntouched(ContainerInfo before) throws Exception {
        ContainerInfo now = TestEnv.engine().inspect(before.id()).orElseThrow();
        assertThat(now.id()).isEqualTo(before.id());
        assertThat(now.name()).isEqualTo(before.name());
        assertThat(now.state().status()).isEqualTo(before.state().status());
        assertThat(now.state().startedAt()).isEqualTo(before.state().startedAt());
        assertThat(now.state().restartCount()).isEqualTo(before.state().restartCount());
        assertThat(now.labels()).isEqualTo(before.labels());
    }

    private TreeTableView<NotFollowedEntry> tree() {
        return node(robot, "#notFollowed");
    }

    private List<NotFollowedEntry> topLevel() {
        return onFx(() -> tree().getRoot().getChildren().stream().map(TreeItem::getValue).toList());
    }

    private List<NotFollowedEntry> children(String projectName) {
        return onFx(() -> tree().getRoot().getChildren().stream().filter(i -> i.getValue().name().equals(projectName))
                .flatMap(i -> i.getChildren().stream()).map(TreeItem::getValue).toList());
    }

    /** The row named so, at the top level or under a project. */
    private Optional<NotFollowedEntry> entry(String name) {
        return onFx(() -> tree().getRoot().getChildren().stream()
                .flatMap(i -> java.util.stream.Stream.concat(java.util.stream.Stream.of(i), i.getChildren().stream()))
                .map(TreeItem::getValue).filter(e -> e.name().equals(name)).findFirst());
    }

    private TreeTableRow<?> row(String name) {
        return await().atMost(Duration.ofSeconds(10)).until(() -> onFx(() -> robot.lookup("#notFollowed .tree-table-row-cell")
                .queryAll().stream().map(n -> (TreeTableRow<?>) n)
                .filter(r -> r.getItem() instanceof NotFollowedEntry e && e.name().equals(name)).findFirst().orElse(null)),
                r -> r != null);
    }

    /** What the row's Name cell shows. */
    private String cellText(String name) {
        TreeTableRow<?> row = row(name);
        return onFx(() -> row.lookupAll(".tree-table-cell").stream()
                .map(n -> (javafx.scene.control.TreeTableCell<?, ?>) n)
                .filter(c -> "Name".equals(c.getTableColumn().getText())).map(c -> c.getText()).findFirst().orElse(null));
    }

    /** Clicks the row, as a user does, until it is the one selected. */
    private void clickRow(String name) {
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            Node r = row(name);
            robot.clickOn(r);
            return onFx(() -> {
                TreeItem<NotFollowedEntry> s = tree().getSelectionModel().getSelectedItem();
                return s != null && s.getValue().name().equals(name);
            });
        });
    }

    private String selectedService() {
        return onFx(() -> {
            ServiceRow r = ConsoleFixture.<TableView<ServiceRow>>node(robot, "#services").getSelectionModel().getSelectedItem();
            return r == null ? "" : r.name();
        });
    }

    private List<String> listed() {
        return onFx(() -> ConsoleFixture.<TableView<ServiceRow>>node(robot, "#services").getItems().stream()
                .map(ServiceRow::name).toList());
    }
}
