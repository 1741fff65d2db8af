package dev.redock.ui;

import static dev.redock.ui.ConsoleFixture.onFx;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import javafx.scene.control.TableRow;
import javafx.stage.Stage;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;

import dev.redock.model.ContainerSpec;
import dev.redock.model.EngineEntry;
import dev.redock.model.ImageRef;
import dev.redock.model.Labels;
import dev.redock.model.Service;
import dev.redock.model.Trigger;
import dev.redock.service.Settings;
import dev.redock.store.Database;
import dev.redock.store.DeploymentStore;
import dev.redock.store.EngineStore;
import dev.redock.store.ServiceStore;
import dev.redock.store.SettingsStore;
import dev.redock.testenv.CommandTurnHolder;
import dev.redock.testenv.DockerTest;
import dev.redock.testenv.TestEnv;
import dev.redock.testenv.TestImages;
import dev.redock.ui.services.ServiceRow;

/**
 * The window as the app opens it ({@link WindowStart}) on a data folder with services stored: its list shows them from the
 * database while the engine has not answered, and before what a stopped process left unfinished is recovered; the rows
 * say when the engine is unreachable once that is known, or once it has not answered within the list's deadline, while
 * another engine's rows show their state. The engines here are real sockets: one that accepts connections and never
 * answers, one that refuses them, and the test engine.
 */
@ExtendWith({FxExceptions.class, DockerTest.class})
class WindowStartTest {

    private static final Duration SHOWN = Duration.ofSeconds(20);

    @TempDir
    Path home;

    private final FxRobot robot = new FxRobot();
    private final Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    private final List<String> containers = new CopyOnWriteArrayList<>();
    private WindowStart window;
    private Stage stage;

    @AfterEach
    void closeTheWindow() {
        if (window != null) {
            Runnable closeCore = onFx(() -> {
                Runnable r = window.close();
                stage.close();
                return r;
            });
            closeCore.run();
        }
        containers.forEach(TestEnv::removeWithAnonymousVolumes);
    }

    @Test
    void theListShowsTheStoredServicesWhileTheEngineHasNotAnsweredAndBeforeReconcilingEnds() throws Exception {
        try (SilentEngine engine = SilentEngine.open()) {
            store("api", "web", "worker");
            storeADeploymentLeftUnfinished("queue");

            // The list waits for the engine longer than this test runs: its rows stay "checking".
            open(Map.of("DOCKER_HOST", engine.address(), "REDOCK_ENGINE_ANSWER_TIMEOUT", "1h"));

            await().atMost(SHOWN).until(() -> shown().size() == 4);
            assertThat(shown()).as("each row as stored, its container's state not known yet").isEqualTo(Map.of(
                    "api", "checking", "web", "checking", "worker", "checking", "queue", "deploying"));
            await().atMost(SHOWN).until(() -> engine.connections() > 0);
            assertThat(window.started()).as("recovering the deployment left unfinished waits on the engine").isNotDone();
            assertThat(shown()).as("the engine has not answered").containsValues("checking");
            assertThat(ConsoleFixture.text(robot, "#engineStatus")).isEqualTo("Engine: connecting…");
            assertThat(ConsoleFixture.text(robot, "#schedulerStatus")).isEqualTo("Scheduler starting…");
        }
    }

    @Test
    void rowsOfAnEngineThatNeverAnswersSayItIsUnreachableOnceTheListsDeadlinePassesAndAnotherEnginesShowTheirState()
            throws Exception {
        try (SilentEngine engine = SilentEngine.open()) {
            store("web");
            Service api = storeOnAnotherEngine("real", TestEnv.dockerHost().toString(), TestEnv.uniqueName("api"));
            startAContainerOf(api);

            open(Map.of("DOCKER_HOST", engine.address(), "REDOCK_ENGINE_ANSWER_TIMEOUT", "1s"));

            await().atMost(SHOWN).until(() -> shown().equals(Map.of(api.name(), "running", "web", "engine unreachable")));
            assertThat(details()).containsExactlyInAnyOrder(null, "engine \"default\" unreachable: the engine at "
                    + engine.address() + " did not answer within 1 s");
            // The status bar too, rather than "connecting…" for as long as the connection's timeout.
            await().atMost(SHOWN).until(() -> ConsoleFixture.text(robot, "#engineStatus")
                    .startsWith("1 of 2 engines connected"));
        }
    }

    @Test
    void aServicesPageOnAnEngineThatNeverAnswersSaysSoOnceTheDeadlinePasses() throws Exception {
        try (SilentEngine engine = SilentEngine.open()) {
            store("web");
            open(Map.of("DOCKER_HOST", engine.address(), "REDOCK_ENGINE_ANSWER_TIMEOUT", "1s"));
            await().atMost(SHOWN).until(() -> shown().equals(Map.of("web", "engine unreachable")));

            onFx(() -> {
                UiContext context = window.console().context();
                context.navigator().showDetail(context.services().rowNamed("web").orElseThrow().id());
                return null;
            });

            // Before, the page asked the engine for the service's containers after its status, and waited a minute more.
            await().atMost(SHOWN).until(() -> ConsoleFixture.textOr(robot, "#detailProblem", "").equals(
                    "engine \"default\" unreachable: the engine at " + engine.address() + " did not answer within 1 s"));
            assertThat(ConsoleFixture.text(robot, "#detailStatus")).isEqualTo("engine unreachable");
        }
    }

    @Test
    void rowsSayTheEngineIsUnreachableOnceItRefusesAndTheStartGoesOn() throws Exception {
        store("api", "web");
        int refused;
        try (ServerSocket closedAtOnce = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            refused = closedAtOnce.getLocalPort();
        }

        open(Map.of("DOCKER_HOST", "tcp://127.0.0.1:" + refused));

        await().atMost(SHOWN).until(() -> shown().equals(Map.of("api", "engine unreachable", "web", "engine unreachable")));
        window.started().get(30, TimeUnit.SECONDS);
        await().atMost(SHOWN).until(() -> ConsoleFixture.text(robot, "#engineStatus").startsWith("Engine unreachable: "));
    }

    @Test
    void theSkeletonSaysThatOpeningWaitsForACommandInAnotherProcess() throws Exception {
        store("api");
        try (CommandTurnHolder command = CommandTurnHolder.start(home)) {
            open(Map.of("DOCKER_HOST", "tcp://127.0.0.1:1"));

            await().atMost(SHOWN).until(() -> ConsoleFixture.textOr(robot, "#openingText", "").startsWith("Waiting for"));
            assertThat(ConsoleFixture.text(robot, "#openingText")).startsWith("Waiting for another redock command (process "
                    + command.pid() + ") to finish with the data folder ");
            assertThat(shown()).as("the list is not open yet").isEmpty();
        }
        await().atMost(SHOWN).until(() -> shown().containsKey("api"));
    }

    /** Opens the window as the app does, in this environment ({@code DOCKER_HOST}: the engine). */
    private void open(Map<String, String> env) {
        window = WindowStart.begin(home, env, null);
        stage = onFx(() -> {
            Stage s = new Stage();
            window.show(s, WindowState.load(home), () -> { });
            return s;
        });
    }

    /** Services as the CLI would have stored them, and the API on a free port (the window serves it once started). */
    private void store(String... names) {
        try (Database db = Database.open(home)) {
            new ServiceStore(db).insertAll(java.util.Arrays.stream(names).map(this::service).toList());
            new Settings(new SettingsStore(db), null).setApiPort(TestImages.freePort());
        }
    }

    /** An engine added to the list (as {@code engine add} does) and a service on it. */
    private Service storeOnAnotherEngine(String engine, String address, String name) {
        Service s = service(name);
        s = new Service(s.id(), s.name(), s.image(), s.spec(), false, s.digest(), now, now, null, null, engine);
        try (Database db = Database.open(home)) {
            new EngineStore(db).add(new EngineEntry(engine, EngineEntry.Kind.ADDRESS, address, null), now);
            new ServiceStore(db).insertAll(List.of(s));
        }
        return s;
    }

    /** A running container of the service on the test engine, as Redock would have made it (removed after the test). */
    private void startAContainerOf(Service s) {
        Map<String, String> labels = new java.util.HashMap<>(TestEnv.runLabels());
        labels.put(Labels.SERVICE, s.id().toString());
        String id = TestEnv.docker().createContainerCmd(TestImages.baseImage()).withName(s.name()).withLabels(labels)
                .withCmd("sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done").exec().getId();
        containers.add(id);
        TestEnv.docker().startContainerCmd(id).exec();
    }

    /** A service whose deployment a stopped process left after creating the new container. */
    private void storeADeploymentLeftUnfinished(String name) {
        Service s = service(name);
        try (Database db = Database.open(home)) {
            new ServiceStore(db).insertAll(List.of(s));
            DeploymentStore deployments = new DeploymentStore(db);
            long id = deployments.start(s.id(), Trigger.MANUAL, s.digest(), null, now, "999999:1@elsewhere#1");
            deployments.journalPulled(id, "old-" + name, true, "no", s.image().nameWithTag());
            deployments.journalCreated(id, "new-" + name);
        }
    }

    private Service service(String name) {
        return new Service(UUID.randomUUID(), name, ImageRef.parse("127.0.0.1:5000/" + name + ":stable"), ContainerSpec.empty(),
                false, "sha256:" + "1".repeat(64), now, now);
    }

    /** Each row drawn in the list: the service's name and the word its status badge shows. */
    private Map<String, String> shown() {
        return onFx(() -> {
            Map<String, String> rows = new TreeMap<>();
            for (var node : robot.lookup("#services .table-row-cell").queryAll()) {
                if (node instanceof TableRow<?> row && row.getItem() instanceof ServiceRow r && !row.isEmpty()) {
                    rows.put(r.name(), ((StatusBadge) row.lookup(".status-badge")).getText());
                }
            }
            return rows;
        });
    }

    /** The details the rows' services show (why an engine is unreachable, say), each once. */
    private List<String> details() {
        return onFx(() -> {
            List<String> details = new java.util.ArrayList<>();
            for (var node : robot.lookup("#services .table-row-cell").queryAll()) {
                if (node instanceof TableRow<?> row && row.getItem() instanceof ServiceRow r && !row.isEmpty()
                        && !details.contains(r.view().detail())) {
                    details.add(r.view().detail());
                }
            }
            return details;
        });
    }

    /** A real TCP socket that accepts every connection and never answers: an engine that hangs. */
    private static final class SilentEngine implements AutoCloseable {

        private final ServerSocket server;
        private final List<Socket> accepted = new CopyOnWriteArrayList<>();

        private SilentEngine(ServerSocket server) {
            this.server = server;
            Thread t = new Thread(() -> {
                while (!server.isClosed()) {
                    try {
                        accepted.add(server.accept());
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "silent-engine");
            t.setDaemon(true);
            t.start();
        }

        static SilentEngine open() throws IOException {
            return new SilentEngine(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
        }

        String address() {
            return "tcp://127.0.0.1:" + server.getLocalPort();
        }

        int connections() {
            return accepted.size();
        }

        @Override
        public void close() throws IOException {
            server.close();
            for (Socket s : accepted) {
                s.close();
            }
        }
    }
}
