package dev.redock.ui;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import javax.imageio.ImageIO;

import javafx.scene.Scene;
import javafx.scene.control.TableView;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import javafx.stage.Window;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;

import dev.redock.model.ContainerSpec;
import dev.redock.model.GitSource;
import dev.redock.model.ImageRef;
import dev.redock.model.PortBinding;
import dev.redock.model.PullProgress;
import dev.redock.model.RestartPolicy;
import dev.redock.service.LaunchRequest;
import dev.redock.model.ExistingContainer;
import dev.redock.testenv.DockerCli;
import dev.redock.testenv.DockerTest;
import dev.redock.testenv.GitRepos;
import dev.redock.testenv.TestDockerd;
import dev.redock.testenv.TestEnv;
import dev.redock.testenv.TestImages;
import dev.redock.ui.adopt.NotFollowedEntry;

import static dev.redock.ui.ConsoleFixture.onFx;
import static org.awaitility.Awaitility.await;

/**
 * Takes the README's screenshots from the real console on real services (the engine and a second engine of the tests'
 * own, the registry, an H2 file). Not part of the suite (its name is not a test's): run it with
 * {@code bash src/test/scripts/run-tests.sh -DskipITs -Dtest=ScreenshotTour -Dredock.screenshots=packaging/screenshots}
 * (as root: the second engine is a dockerd of its own); without the property it writes to {@code target/screenshots}.
 */
@ExtendWith({DockerTest.class, FxExceptions.class})
class ScreenshotTour {

    @TempDir
    static Path dataFolder;
    @TempDir
    static Path repos;
    @TempDir
    static Path dockerConfig;

    private static ConsoleFixture console;
    /** A second engine, of the tests' own: the list shows a service on each engine. */
    private static TestDockerd lab;
    private final FxRobot robot = new FxRobot();

    @AfterAll
    static void close() {
        try {
            if (console != null) {
                console.close();
            }
        } finally {
            if (lab != null) {
                lab.close();
            }
        }
    }

    @Test
    void takesTheScreenshotsOfTheMainWindowTheWizardAndTheDetailPage() throws Exception {
        GitRepos repo = GitRepos.create(repos);
        String base = TestImages.baseImage();
        repo.commit("main", java.util.Map.of("Dockerfile", GitRepos.webDockerfile(base), "index.html", "site v1"),
                "First version of the site");
        Path out = Path.of(System.getProperty("redock.screenshots", "target/screenshots")).toAbsolutePath();
        Files.createDirectories(out);
        String registry = TestEnv.registry();
        String team = TestEnv.uniqueName("shop");
        TestImages.push(TestImages.webImage("storefront v1"), team + "/storefront:stable");
        TestImages.push(TestImages.webImage("api v7"), team + "/api:1.4");
        TestImages.push(TestImages.webImage("docs"), team + "/docs:latest");
        TestImages.push(TestImages.webImage("worker"), team + "/worker:main");
        TestImages.push(TestImages.webImage("reports"), team + "/reports:2.0");

        console = ConsoleFixture.open(dataFolder);
        var services = console.redock().services();
        lab = TestDockerd.start();
        console.redock().core().engines().add("lab", lab.host().toString(), null);
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
        services.launch(new LaunchRequest("reports", ImageRef.parse(registry + "/" + team + "/reports:2.0"),
                new ContainerSpec(null, null, null, null, null, null, null, 1), true).onEngine("lab"), PullProgress.NONE);
        services.launch(dev.redock.service.LaunchRequest.fromGit("site", GitSource.of(repo.bare().toString(), "main"),
                new ContainerSpec(List.of(PortBinding.parse(TestImages.freePort() + ":80")), null, null, null, null, null, null, 1),
                true), null, null);
        String second = repo.commit("main", java.util.Map.of("index.html", "site v2"), "Darker header, larger type");
        await().atMost(Duration.ofSeconds(90)).until(() -> second.equals(services.get("site").commit()));

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
        await().atMost(Duration.ofSeconds(30)).until(() -> ConsoleFixture.text(robot, "#engineStatus").equals("2 engines connected"));
        settle();
        shoot(console.console().stage().getScene(), out.resolve("main-window.png"));

        robot.press(KeyCode.CONTROL).type(KeyCode.N).release(KeyCode.CONTROL);
        Stage wizard = await().atMost(Duration.ofSeconds(5)).until(() -> onFx(() -> Window.getWindows().stream()
                .filter(w -> w instanceof Stage s && "Launch service".equals(s.getTitle())).map(w -> (Stage) w)
                .findFirst().orElse(null)), w -> w != null);
        robot.clickOn("#imageField").write(registry + "/" + team + "/api");
        robot.clickOn("#tagField").press(KeyCode.CONTROL).type(KeyCode.A).release(KeyCode.CONTROL).write("1.4");
        await().atMost(Duration.ofSeconds(20)).until(() -> ConsoleFixture.text(robot, "#checkTitle").startsWith("Found"));
        settle();
        shoot(wizard.getScene(), out.resolve("wizard-image.png"));
        robot.clickOn("#nextButton");
        robot.clickOn("#nameField").press(KeyCode.CONTROL).type(KeyCode.A).release(KeyCode.CONTROL).write("api-canary");
        robot.clickOn("#portsField").write("8081:80");
        robot.clickOn("#envField").write("MODE=canary");
        robot.clickOn("#restartField .text-field").press(KeyCode.CONTROL).type(KeyCode.A).release(KeyCode.CONTROL).write("always");
        robot.clickOn("#stopTimeoutField").write("10");
        // Down to the engine, the second one chosen.
        onFx(() -> {
            javafx.scene.Parent p = robot.lookup("#engineField").query().getParent();
            while (!(p instanceof javafx.scene.control.ScrollPane)) {
                p = p.getParent();
            }
            ((javafx.scene.control.ScrollPane) p).setVvalue(1.0);
        });
        settle();
        robot.clickOn("#engineField");
        robot.clickOn(await().atMost(Duration.ofSeconds(5)).until(() -> onFx(() -> robot.lookup(".combo-box-popup .list-cell")
                .queryAll().stream().filter(n -> n instanceof javafx.scene.control.ListCell<?> c && "lab".equals(c.getItem()))
                .findFirst().orElse(null)), n -> n != null));
        settle();
        shoot(wizard.getScene(), out.resolve("wizard-configuration.png"));
        robot.type(KeyCode.ESCAPE);

        takeTheGitShots(out, repo);

        ConsoleFixture.openService(robot, "storefront");
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

        takeTheNotFollowedShots(out, registry, team);
        takeTheEngineShots(out);
    }

    /**
     * Containers started with the docker CLI, as users start them: one alone and a compose project of two. The list's Not
     * followed view with the project's row chosen, the question before following it, the list once it is followed (its
     * services side by side under their project), and an adopted service's Configuration tab.
     */
    private void takeTheNotFollowedShots(Path out, String registry, String team) throws Exception {
        String repository = registry + "/" + team;
        TestImages.push(TestImages.webImage("wiki"), team + "/wiki:1.8");
        TestImages.push(TestImages.webImage("cache"), team + "/cache:7");
        DockerCli docker = DockerCli.on(dockerConfig);
        String label = TestEnv.RUN_LABEL + "=" + TestEnv.runId();
        docker.run("run", "-d", "--name", "blog", "-l", label, repository + "/docs:latest");
        for (String[] service : new String[][] {{"app", "wiki:1.8"}, {"cache", "cache:7"}}) {
            List<String> run = new java.util.ArrayList<>(List.of("run", "-d", "--name", "wiki-" + service[0] + "-1", "-l", label,
                    "-l", ExistingContainer.COMPOSE_PROJECT + "=wiki", "-l", ExistingContainer.COMPOSE_SERVICE + "=" + service[0]));
            if (service[0].equals("app")) {
                // Settings the Edit form does not edit, for the Configuration tab's "Also kept from the container".
                run.addAll(List.of("-e", "WIKI_MODE=prod", "--restart", "unless-stopped", "--memory", "128m",
                        "--pids-limit", "200", "--cap-drop", "NET_RAW", "--tmpfs", "/scratch:size=16m",
                        "--log-opt", "max-size=10m", "--add-host", "db.internal:10.0.0.5"));
            }
            run.add(repository + "/" + service[1]);
            docker.run(run.toArray(String[]::new));
        }

        robot.clickOn("#showNotFollowed");
        await().atMost(Duration.ofSeconds(30)).until(() -> onFx(() -> robot.lookup("#notFollowed").<javafx.scene.control.TreeTableView<?>>query()
                .getRoot().getChildren().stream().anyMatch(i -> ((NotFollowedEntry) i.getValue()).name().equals("wiki"))));
        // Only what this tour started: other containers on the engine are nobody's business in a screenshot.
        robot.clickOn("#notFollowedFilter").write(team);
        robot.clickOn(onFx(() -> robot.lookup("#notFollowed .tree-table-row-cell").queryAll().stream()
                .filter(n -> n instanceof javafx.scene.control.TreeTableRow<?> r && r.getItem() instanceof NotFollowedEntry e
                        && e.isProject() && e.name().equals("wiki")).findFirst().orElseThrow()));
        settle();
        shoot(console.console().stage().getScene(), out.resolve("not-followed.png"));

        robot.clickOn("#followButton");
        Stage dialog = await().atMost(Duration.ofSeconds(5)).until(() -> onFx(() -> Window.getWindows().stream()
                .filter(w -> w instanceof Stage s && s.getTitle() != null && s.getTitle().startsWith("Follow")).map(w -> (Stage) w)
                .findFirst().orElse(null)), w -> w != null);
        settle();
        shoot(dialog.getScene(), out.resolve("follow-dialog.png"));
        robot.clickOn("#follow-ok");
        await().atMost(Duration.ofSeconds(30)).until(() -> console.context().services().rowNamed("wiki-cache-1")
                .map(r -> r.status() == dev.redock.model.ServiceStatus.RUNNING).orElse(false));
        settle();
        shoot(console.console().stage().getScene(), out.resolve("main-window-project.png"));

        ConsoleFixture.openService(robot, "wiki-app-1");
        await().atMost(Duration.ofSeconds(10)).until(() -> ConsoleFixture.textOr(robot, "#detailStatus", "").equals("running"));
        robot.clickOn("#configurationTab");
        settle();
        shoot(console.console().stage().getScene(), out.resolve("service-detail-adopted.png"));
        robot.clickOn("#backToList");
        settle();
    }

    /**
     * Settings' engines, one added there that does not answer; then the list once the second engine has stopped, its
     * service's engine unreachable.
     */
    private void takeTheEngineShots(Path out) throws Exception {
        robot.clickOn("#settingsButton");
        robot.clickOn("#enginesTab");
        robot.clickOn("#engineAdd");
        robot.clickOn("#engineNameField").write("staging");
        robot.clickOn("#engineWhereField").write("tcp://127.0.0.1:2376");
        robot.clickOn("#engineAddConfirm");
        Stage settings = await().atMost(Duration.ofSeconds(30)).until(() -> onFx(() -> Window.getWindows().stream()
                .filter(w -> w instanceof Stage s && "Redock settings".equals(s.getTitle()) && !ConsoleFixture.present(robot,
                        "#add-engine-dialog")).map(w -> (Stage) w).findFirst().orElse(null)), w -> w != null);
        await().atMost(Duration.ofSeconds(30)).until(() -> onFx(() -> robot.lookup("#engines").<TableView<?>>query().getItems()
                .stream().map(r -> (dev.redock.ui.settings.EngineRow) r)
                .allMatch(r -> r.status().checked() != null)) && ConsoleFixture.text(robot, "#engineDetail").startsWith("staging"));
        settle();
        shoot(settings.getScene(), out.resolve("settings-engines.png"));
        robot.clickOn("#settingsCancel");

        lab.stop();
        onFx(() -> console.context().status().ping());
        await().atMost(Duration.ofSeconds(60)).until(() -> console.context().services().rowNamed("reports")
                .map(r -> r.status() == dev.redock.model.ServiceStatus.UNREACHABLE).orElse(false));
        robot.clickOn("reports");
        settle();
        shoot(console.console().stage().getScene(), out.resolve("main-window-engine-unreachable.png"));
    }

    /** The wizard's git source, its build streaming at launch, and a git service's page with its timeline and its build. */
    private void takeTheGitShots(Path out, GitRepos repo) throws Exception {
        robot.press(KeyCode.CONTROL).type(KeyCode.N).release(KeyCode.CONTROL);
        Stage wizard = await().atMost(Duration.ofSeconds(5)).until(() -> onFx(() -> Window.getWindows().stream()
                .filter(w -> w instanceof Stage s && "Launch service".equals(s.getTitle())).map(w -> (Stage) w)
                .findFirst().orElse(null)), w -> w != null);
        robot.clickOn("#sourceGit");
        onFx(() -> ((javafx.scene.control.TextInputControl) robot.lookup("#gitRepositoryField").query())
                .setText(repo.bare().toString()));
        robot.clickOn("#gitPathsField").write("index.html, Dockerfile");
        await().atMost(Duration.ofSeconds(20)).until(() -> ConsoleFixture.text(robot, "#gitCheckTitle")
                .startsWith("Branch main is at"));
        settle();
        shoot(wizard.getScene(), out.resolve("wizard-git.png"));
        robot.clickOn("#nextButton");
        robot.clickOn("#nameField").press(KeyCode.CONTROL).type(KeyCode.A).release(KeyCode.CONTROL).write("site-preview");
        robot.clickOn("#portsField").write(TestImages.freePort() + ":80");
        robot.clickOn("#stopTimeoutField").write("1");
        robot.clickOn("#nextButton");
        settle();
        // The build's output as it streams: taken on the FX thread just after the builder reaches its fourth step.
        java.util.concurrent.atomic.AtomicReference<WritableImage> building = new java.util.concurrent.atomic.AtomicReference<>();
        boolean[] asked = {false};
        onFx(() -> ((javafx.scene.control.TextInputControl) robot.lookup("#buildLog").query()).textProperty()
                .addListener((o, a, now) -> {
                    if (!asked[0] && now.contains("Step 4/")) {
                        asked[0] = true; // a few frames later, once the area has scrolled to its end
                        var later = new javafx.animation.PauseTransition(javafx.util.Duration.millis(100));
                        later.setOnFinished(e -> building.set(wizard.getScene().snapshot(null)));
                        later.play();
                    }
                }));
        robot.clickOn("#wizardLaunch");
        await().atMost(Duration.ofSeconds(90)).until(() -> building.get() != null);
        write(building.get(), out.resolve("wizard-git-build.png"));
        await().atMost(Duration.ofSeconds(90)).until(() -> onFx(() -> !wizard.isShowing()));
        settle();
        robot.clickOn("#backToList");

        ConsoleFixture.openService(robot, "site");
        await().atMost(Duration.ofSeconds(10)).until(() -> onFx(() -> robot.lookup("#timeline").<TableView<?>>query().getItems().size()) >= 2);
        settle();
        shoot(console.console().stage().getScene(), out.resolve("service-detail-git.png"));
        robot.clickOn("#detailRedeploy");
        await().atMost(Duration.ofSeconds(90)).until(() -> onFx(() -> robot.lookup("#timeline").<TableView<?>>query().getItems().size()) >= 3
                && console.redock().services().history(console.redock().services().get("site").id(), 1).get(0).outcome()
                        != dev.redock.model.Outcome.RUNNING);
        robot.clickOn("#buildTab");
        settle();
        shoot(console.console().stage().getScene(), out.resolve("service-detail-git-build.png"));
        robot.clickOn("#backToList");
        settle();
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
        write(onFx(() -> scene.snapshot(null)), file);
    }

    private static void write(WritableImage image, Path file) throws IOException {
        int w = (int) image.getWidth();
        int h = (int) image.getHeight();
        int[] argb = new int[w * h];
        image.getPixelReader().getPixels(0, 0, w, h, PixelFormat.getIntArgbInstance(), argb, 0, w);
        BufferedImage png = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        png.setRGB(0, 0, w, h, argb, 0, w);
        ImageIO.write(png, "png", file.toFile());
    }
}
