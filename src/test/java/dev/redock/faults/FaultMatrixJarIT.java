package dev.redock.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.InspectVolumeResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Event;

import dev.redock.testenv.DatabaseServer;
import dev.redock.testenv.DockerTest;
import dev.redock.testenv.RedockProcess;
import dev.redock.testenv.TestDockerd;
import dev.redock.testenv.TestEnv;
import dev.redock.testenv.TestImages;

/**
 * The fault matrix: Redock's promise (a redeploy never loses data and never leaves a service down, whatever fails and
 * whenever Redock stops) tried against real faults, with real {@code redock} processes from the packaged jar, real
 * signals, and a real Docker engine of the tests' own ({@link TestDockerd}), which the engine cases stop and restart.
 * After the last case it prints the table (case, what was done, serving after, data intact) between {@code [fault-matrix]}
 * lines.
 *
 * <p>Every service runs an image with an anonymous volume ({@code VOLUME /data}, as databases have), holding a file written
 * before the fault; "data intact" means the container that serves afterwards still reads it.
 *
 * <p>A deployment is stopped at a given step with {@code REDOCK_PAUSE_AT=<step>}: the deploying process says
 * {@code redock: paused at <step>} and waits there to be killed. With {@code -Dredock.faults.steps=events} the cases watch
 * the engine's events for the step instead (for a build of Redock without that switch).
 *
 * <p>Run it alone with
 * {@code bash src/test/scripts/run-tests.sh -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=FaultMatrixJarIT};
 * each process's output is in {@code target/redock-processes/}, the table also in {@code target/fault-matrix.md}.
 */
@ExtendWith(DockerTest.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultMatrixJarIT {

    @RegisterExtension
    static final FaultMatrix MATRIX = new FaultMatrix();

    /** How long a stopped Redock may take to let a deployment reach a safe point and exit (documented bound). */
    static final Duration STOP_BOUND = Duration.ofSeconds(120);
    /** How long a service may take to be whole again after a fault that Redock has to repair. */
    static final Duration REPAIR = Duration.ofSeconds(60);
    /** How long a service may take to settle after a command that has ended. */
    static final Duration SETTLE = Duration.ofSeconds(20);
    /** How long a deployment may take to get to the step a case stops it at. */
    static final Duration STEP = Duration.ofSeconds(90);
    static final Pattern AGENT_POLLING = Pattern.compile("polling every");
    static final boolean STEPS_BY_EVENTS = "events".equals(System.getProperty("redock.faults.steps"));
    /** The deployment lock's lease in the lock cases: short, so that running out of it takes little of the suite's time. */
    static final String LEASE = "10s";

    static TestDockerd engine;

    @TempDir
    Path home;
    RedockProcess.Launcher redock;
    EngineEvents events;

    @BeforeAll
    static void startTheTestEngine() {
        engine = TestDockerd.start();
    }

    @AfterAll
    static void removeTheTestEngine() {
        if (engine != null) {
            engine.close();
        }
    }

    @BeforeEach
    void redockOnTheTestEngine() {
        redock = RedockProcess.launcher(home, engine.host())
                .env("REDOCK_MIN_UPTIME", "1s")
                .env("REDOCK_READY_TIMEOUT", "30s");
        events = EngineEvents.follow(engine.docker());
    }

    @AfterEach
    void leaveAnEmptyEngine(TestInfo test) throws Exception {
        RedockProcess.killAll();
        // Redock's own log of the case, kept beside the processes' output (the data folder goes with the case).
        Path log = home.resolve("logs").resolve("redock.log");
        if (Files.exists(log)) {
            Files.createDirectories(RedockProcess.LOGS);
            String name = (test.getTestMethod().map(java.lang.reflect.Method::getName).orElse("case") + "-" + test.getDisplayName())
                    .replaceAll("[^A-Za-z0-9._-]+", "_");
            Files.copy(log, RedockProcess.LOGS.resolve(name.substring(0, Math.min(name.length(), 150)) + ".redock.log"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        events.close();
        if (!engine.running()) {
            engine.startAgain();
        }
        engine.removeContainersAndVolumes();
    }

    // --------------------------------------------------------------------------------------------- 1. anonymous volumes

    @Test
    @Order(10)
    void aRedeployCarriesTheAnonymousVolumeOverSoItsDataIsStillThere() {
        MATRIX.row("1 volume: redeploy", "data in `VOLUME /data` of v1; `redock service redeploy` to v2");
        FaultService s = launch(FaultImages.V1);
        s.push(FaultImages.V2);
        RedockProcess.Result r = redock.run("service", "redeploy", s.name);
        MATRIX.did("exit " + r.exit());
        FaultService.State after = s.awaitGood("v2", SETTLE);
        observed(after);

        assertThat(r.exit()).as("redeploy: %s", r).isZero();
        assertThat(after.good()).as("after the redeploy: %s", after).isTrue();
        assertThat(after.version()).as("the version that serves").isEqualTo("v2");
    }

    @Test
    @Order(11)
    void aRollbackKeepsTheDataAndOrphansNoVolume() {
        MATRIX.row("1 volume: rollback", "data in `VOLUME /data` of v1; `redock service redeploy` to an image that exits at once");
        FaultService s = launch(FaultImages.V1);
        s.push(FaultImages.CRASHING);
        RedockProcess.Result r = redock.run("service", "redeploy", s.name);
        MATRIX.did("exit " + r.exit());
        FaultService.State after = s.awaitGood("v1", SETTLE);
        observed(after);
        List<String> orphans = danglingVolumes();
        MATRIX.note("volumes left without a container: " + orphans.size());
        List<JsonNode> history = s.history(redock);
        MATRIX.note("history: " + FaultService.describe(history));

        assertThat(after.good()).as("after the rollback: %s", after).isTrue();
        assertThat(after.version()).as("the version that serves").isEqualTo("v1");
        assertThat(history).as("history").isNotEmpty();
        assertThat(history.get(0).path("outcome").asText()).as("the deployment's outcome").isEqualTo("rolled back");
        assertThat(orphans).as("volumes no container uses after the rollback (the failed container's, orphaned)").isEmpty();
    }

    @Test
    @Order(12)
    void removingAServiceKeepsItsVolumesAndSaysWhichByDefault() throws Exception {
        MATRIX.row("1 volume: rm", "data in `VOLUME /data`; `redock service rm NAME`");
        FaultService s = launch(FaultImages.V1);
        String volume = anonymousVolume(s);
        RedockProcess.Result r = redock.run("service", "rm", s.name);
        MATRIX.explainWith(null); // no history: the service is gone
        MATRIX.did("exit " + r.exit());
        Optional<String> data = volumeFile(volume, "marker");
        boolean kept = data.isPresent();
        boolean intact = data.map(d -> d.strip().equals(s.token)).orElse(false);
        // Named in full, or by the first 12 characters as docker prints ids.
        boolean named = (r.out() + r.err()).contains(volume.substring(0, Math.min(12, volume.length())));
        MATRIX.observed(null, intact);
        MATRIX.note("volume kept: " + yes(kept) + ", named in the output: " + yes(named));

        assertThat(r.exit()).as("rm: %s", r).isZero();
        assertThat(s.containers()).as("the service's containers after rm").isEmpty();
        assertThat(kept).as("the volume %s is kept", volume).isTrue();
        assertThat(intact).as("the data in the kept volume").isTrue();
        assertThat(named).as("rm says which volume it kept: %s", r).isTrue();
    }

    @Test
    @Order(13)
    void removingAServiceWithVolumesRemovesThem() {
        MATRIX.row("1 volume: rm --volumes", "data in `VOLUME /data`; `redock service rm --volumes NAME`");
        FaultService s = launch(FaultImages.V1);
        String volume = anonymousVolume(s);
        RedockProcess.Result r = redock.run("service", "rm", "--volumes", s.name);
        MATRIX.explainWith(null); // no history: the service is gone
        MATRIX.did("exit " + r.exit());
        boolean gone = volumeMountpoint(volume).isEmpty();
        MATRIX.observed(null, null);
        MATRIX.note("volume removed as asked: " + yes(gone));

        assertThat(r.exit()).as("rm --volumes: %s", r).isZero();
        assertThat(s.containers()).as("the service's containers after rm").isEmpty();
        assertThat(gone).as("the volume %s is removed", volume).isTrue();
    }

    // ------------------------------------------------------------------------------------------- 2. SIGKILL at each step

    /** Who finds the deployment a SIGKILL cut short. */
    enum Next {
        LS("the next `redock service ls`"),
        AGENT("the next `redock agent`"),
        POLL("the next poll of an agent already running");

        final String words;

        Next(String words) {
            this.words = words;
        }
    }

    static Stream<Arguments> steps() {
        return Stream.of(
                Arguments.of("created", Next.LS),
                Arguments.of("old-stopped", Next.AGENT),
                Arguments.of("old-aside", Next.LS),
                Arguments.of("new-named", Next.POLL),
                Arguments.of("new-started", Next.AGENT),
                Arguments.of("ready-wait", Next.LS),
                Arguments.of("committed", Next.POLL),
                Arguments.of("rolling-back", Next.LS));
    }

    @ParameterizedTest(name = "a SIGKILL at {0}, then {1}, leaves one container running the new or the previous version and history says interrupted")
    @MethodSource("steps")
    @Order(20)
    void aSigkillAtAnyStepIsRepairedByWhicheverRedockLooksNext(String step, Next next) {
        boolean rollback = step.equals("rolling-back");
        MATRIX.row("2 SIGKILL at " + step, "SIGKILL of `redock service redeploy` at " + step
                + (rollback ? " (of a rollback: the new version exits at once)" : "") + "; then " + next.words);
        FaultService s = launch(FaultImages.V1);
        RedockProcess agent = null;
        if (next == Next.POLL) {
            agent = startAgent(redock);
        }
        s.push(rollback ? FaultImages.CRASHING : FaultImages.V2);
        int mark = events.mark();
        // A readiness wait long enough to be caught in.
        RedockProcess deploying = redock.env("REDOCK_PAUSE_AT", step)
                .env("REDOCK_MIN_UPTIME", step.equals("ready-wait") && STEPS_BY_EVENTS ? "20s" : "1s")
                .start("service", "redeploy", s.name);
        awaitStep(deploying, step, s, mark);
        deploying.sigkill();
        deploying.awaitExit(Duration.ofSeconds(30));
        MATRIX.did("killed; left: " + s.state().containers());

        switch (next) {
            case LS -> MATRIX.did("`service ls` exit " + redock.run("service", "ls").exit());
            case AGENT -> agent = startAgent(redock);
            case POLL -> { }
        }
        FaultService.State after = s.awaitGood(REPAIR);
        observed(after);
        List<JsonNode> history = s.history(redock);
        boolean interrupted = saysInterrupted(history);
        MATRIX.note("history: " + FaultService.describe(history));
        if (agent != null) {
            agent.sigterm();
            agent.awaitExit(STOP_BOUND);
        }

        assertThat(after.exactlyOneContainer()).as("one container, running: %s", after).isTrue();
        assertThat(after.version()).as("the version that runs").isIn(rollback ? List.of("v1") : List.of("v1", "v2"));
        assertThat(after.serving()).as("serving: %s", after).isTrue();
        assertThat(after.dataIntact()).as("data: %s", after).isTrue();
        assertThat(interrupted).as("history says the deployment was interrupted: %s", FaultService.describe(history)).isTrue();
        assertThat(history).as("history says what was done: that the deployment got to %s", step)
                .anyMatch(d -> d.path("error").asText("").contains("at " + step));
    }

    static Stream<Arguments> adoptedSteps() {
        return Stream.of(Arguments.of("old-aside", Next.LS), Arguments.of("new-started", Next.AGENT));
    }

    /**
     * The same for a service adopted from a container that the engine's API started as {@code docker run} would: until its
     * first redeploy goes live, its container carries no label of Redock's, and recovery knows it by its id.
     */
    @ParameterizedTest(name = "an adopted service: a SIGKILL at {0}, then {1}, leaves one container running and its data")
    @MethodSource("adoptedSteps")
    @Order(25)
    void anAdoptedServiceKilledAtAStepIsRepairedToo(String step, Next next) {
        MATRIX.row("2 adopted: SIGKILL at " + step, "a container started through the engine's API, adopted with `redock"
                + " service adopt`; SIGKILL of `redock service redeploy` at " + step + "; then " + next.words);
        FaultService s = explainedWithHistory(FaultService.adopt(redock, engine.docker(), TestEnv.registry(), FaultImages.V1));
        s.push(FaultImages.V2);
        int mark = events.mark();
        RedockProcess deploying = redock.env("REDOCK_PAUSE_AT", step).start("service", "redeploy", s.name);
        awaitStep(deploying, step, s, mark);
        deploying.sigkill();
        deploying.awaitExit(Duration.ofSeconds(30));
        MATRIX.did("killed; left: " + s.state().containers());
        RedockProcess agent = null;
        switch (next) {
            case LS -> MATRIX.did("`service ls` exit " + redock.run("service", "ls").exit());
            case AGENT -> agent = startAgent(redock);
            case POLL -> { }
        }
        FaultService.State after = s.awaitGood(REPAIR);
        observed(after);
        List<JsonNode> history = s.history(redock);
        MATRIX.note("history: " + FaultService.describe(history));
        if (agent != null) {
            agent.sigterm();
            agent.awaitExit(STOP_BOUND);
        }
        assertThat(after.exactlyOneContainer()).as("one container, running: %s", after).isTrue();
        assertThat(after.serving()).as("serving: %s", after).isTrue();
        assertThat(after.dataIntact()).as("data: %s", after).isTrue();
        assertThat(saysInterrupted(history)).as("history says the deployment was interrupted: %s",
                FaultService.describe(history)).isTrue();
    }

    // ----------------------------------------------------------------------------------------- 3. SIGTERM and Ctrl-C

    @Test
    @Order(30)
    void aSigtermOfTheAgentDuringARedeployLetsItCompleteThenExitsWithinTheBound() {
        MATRIX.row("3 SIGTERM agent", "SIGTERM of `redock agent` during the readiness wait of a redeploy to v2 (min uptime 10 s)");
        FaultService s = launch(FaultImages.V1, "--autoredeploy");
        RedockProcess agent = startAgent(redock.env("REDOCK_MIN_UPTIME", "10s"));
        String digest = s.push(FaultImages.V2);
        awaitNewContainerStarted(s, digest);
        agent.sigterm();
        RedockProcess.Exit exit = agent.awaitExit(STOP_BOUND.plusSeconds(30));
        MATRIX.did("exited " + exit.code() + " after " + exit.took().toSeconds() + " s");
        FaultService.State after = s.awaitGood("v2", SETTLE);
        observed(after);
        List<JsonNode> history = s.history(redock);
        MATRIX.note("history: " + FaultService.describe(history));

        assertThat(exit.took()).as("the time from SIGTERM to exit").isLessThanOrEqualTo(STOP_BOUND);
        assertThat(after.good()).as("after the agent stopped: %s", after).isTrue();
        assertThat(after.version()).as("the version that serves").isEqualTo("v2");
        assertThat(history.get(0).path("outcome").asText()).as("the deployment completed").isEqualTo("succeeded");
    }

    @Test
    @Order(31)
    void aSecondSigtermExitsAtOnceAndTheNextStartFinishesTheDeployment() {
        MATRIX.row("3 SIGTERM twice", "SIGTERM of `redock agent` during a redeploy's readiness wait (min uptime 30 s), then SIGTERM"
                + " again; then `redock service ls`");
        FaultService s = launch(FaultImages.V1, "--autoredeploy");
        RedockProcess agent = startAgent(redock.env("REDOCK_MIN_UPTIME", "30s"));
        String digest = s.push(FaultImages.V2);
        awaitNewContainerStarted(s, digest);
        int before = agent.lines().size();
        agent.sigterm();
        awaitSignalTakenIn(agent, before);
        agent.sigterm();
        RedockProcess.Exit exit = agent.awaitExit(STOP_BOUND);
        MATRIX.did("exited " + exit.code() + " " + exit.took().toSeconds() + " s after the second");
        MATRIX.did("`service ls` exit " + redock.run("service", "ls").exit());
        FaultService.State after = s.awaitGood(REPAIR);
        observed(after);
        List<JsonNode> history = s.history(redock);
        boolean interrupted = saysInterrupted(history);
        MATRIX.note("history: " + FaultService.describe(history));

        assertThat(exit.took()).as("the time from the second SIGTERM to exit").isLessThan(Duration.ofSeconds(20));
        assertThat(after.good()).as("after the next start: %s", after).isTrue();
        assertThat(interrupted).as("history says the deployment was interrupted: %s", FaultService.describe(history)).isTrue();
    }

    @Test
    @Order(32)
    void ctrlCOfARedeployLetsItCompleteThenExitsWithinTheBound() {
        MATRIX.row("3 Ctrl-C redeploy", "SIGINT of `redock service redeploy` during the readiness wait (min uptime 10 s)");
        FaultService s = launch(FaultImages.V1);
        String digest = s.push(FaultImages.V2);
        RedockProcess deploying = redock.env("REDOCK_MIN_UPTIME", "10s").start("service", "redeploy", s.name);
        awaitNewContainerStarted(s, digest);
        deploying.sigint();
        RedockProcess.Exit exit = deploying.awaitExit(STOP_BOUND.plusSeconds(30));
        MATRIX.did("exited " + exit.code() + " after " + exit.took().toSeconds() + " s");
        FaultService.State after = s.awaitGood("v2", SETTLE);
        observed(after);
        List<JsonNode> history = s.history(redock);
        MATRIX.note("history: " + FaultService.describe(history));

        assertThat(exit.took()).as("the time from SIGINT to exit").isLessThanOrEqualTo(STOP_BOUND);
        assertThat(after.good()).as("after Ctrl-C: %s", after).isTrue();
        assertThat(after.version()).as("the version that serves").isEqualTo("v2");
        assertThat(history.get(0).path("outcome").asText()).as("the deployment completed").isEqualTo("succeeded");
    }

    // -------------------------------------------------------------------------------------- 4. the engine stops and restarts

    @Test
    @Order(40)
    void anEngineStoppedMidPullAndRestartedLeavesTheServiceServingAndTheVersionIsRetried() throws Exception {
        MATRIX.row("4 engine stop mid-pull", "agent running; engine stopped while it pulls v2's 3 MB layer (held half way), then"
                + " started; service `--restart always`");
        try (GatedRegistryProxy proxy = GatedRegistryProxy.start(TestEnv.registry())) {
            FaultService s = explainedWithHistory(FaultService.launch(redock, engine.docker(), proxy.address(), FaultImages.V1,
                    "--autoredeploy", "--restart", "always"));
            RedockProcess agent = startAgent(redock);
            proxy.hold("/v2/" + s.repository + "/blobs/");
            String digest = s.push(FaultImages.BIG_V2);
            proxy.awaitHeld(STEP);
            engineStopAndStart(s);
            proxy.release();
            engineCaseEnd(s, agent, digest);
        }
    }

    @Test
    @Order(41)
    void anEngineStoppedMidSwapAndRestartedLeavesTheServiceServingAndTheVersionIsRetried() {
        MATRIX.row("4 engine stop mid-swap", "agent running; engine stopped while the old container is being stopped (it ignores"
                + " SIGTERM, stop timeout 10 s), then started; service `--restart always`");
        FaultService s = launch(FaultImages.STUBBORN_V1, "--autoredeploy", "--restart", "always", "--stop-timeout", "10");
        RedockProcess agent = startAgent(redock);
        String digest = s.push(FaultImages.V2);
        events.await("stop of the old container", e -> EngineEvents.action(e).equals("kill")
                && s.name.equals(EngineEvents.attributes(e).get("name"))
                && s.id.equals(EngineEvents.attributes(e).get(FaultService.SERVICE_LABEL)), STEP);
        engineStopAndStart(s);
        engineCaseEnd(s, agent, digest);
    }

    @Test
    @Order(42)
    void anEngineStoppedMidReadinessAndRestartedLeavesTheServiceServingAndTheVersionIsRetried() {
        MATRIX.row("4 engine stop mid-readiness", "agent running; engine stopped during v2's readiness wait (min uptime 10 s),"
                + " then started; service `--restart always`");
        FaultService s = launch(FaultImages.V1, "--autoredeploy", "--restart", "always");
        RedockProcess agent = startAgent(redock.env("REDOCK_MIN_UPTIME", "10s"));
        String digest = s.push(FaultImages.V2);
        awaitNewContainerStarted(s, digest);
        engineStopAndStart(s);
        engineCaseEnd(s, agent, digest);
    }

    /**
     * Stops the engine and starts it again; notes whether it started a container set aside next to the service's. Which of
     * two containers with {@code always} the engine starts first, and so which one gets the port, is the engine's race: a
     * set-aside container is held first to have its restart policy off when the engine stops.
     */
    private void engineStopAndStart(FaultService s) {
        List<String> asideWithRestart = s.containers().stream()
                .filter(c -> c.getNames()[0].endsWith("-redock-previous"))
                .filter(c -> !"no".equals(engine.docker().inspectContainerCmd(c.getId()).exec().getHostConfig()
                        .getRestartPolicy().getName()))
                .map(c -> c.getNames()[0].replaceFirst("^/", ""))
                .toList();
        MATRIX.note("set-aside container's restart policy off: " + (asideWithRestart.isEmpty() ? "yes" : "**no**"));
        assertThat(asideWithRestart).as("containers set aside with a restart policy still on").isEmpty();
        engine.stop();
        MATRIX.did("engine stopped");
        engine.startAgain();
        // The engine restarts containers by their restart policy before it answers: what runs now is its doing.
        List<String> asideRunning = s.containers().stream()
                .filter(c -> "running".equals(c.getState()))
                .map(c -> c.getNames()[0].replaceFirst("^/", ""))
                .filter(n -> n.endsWith("-redock-previous"))
                .toList();
        MATRIX.did("engine started");
        MATRIX.note("set-aside container started by the engine: " + (asideRunning.isEmpty() ? "no" : "**yes**"));
        assertThat(asideRunning).as("containers set aside that the engine started again").isEmpty();
    }

    private void engineCaseEnd(FaultService s, RedockProcess agent, String digest) {
        FaultService.State after = s.awaitGood("v2", REPAIR.plus(REPAIR));
        observed(after);
        assertThat(agent.alive()).as("the agent still runs after the engine came back").isTrue();
        assertThat(after.good()).as("after the engine came back: %s", after).isTrue();
        assertThat(after.version()).as("the version that serves: %s was retried", digest).isEqualTo("v2");
    }

    // ------------------------------------------------------------------------------- 5. the swap fails on the old container

    @Test
    @Order(50)
    void whenTheOldContainerCannotBeRenamedAsideTheOldOneServesAgain() {
        MATRIX.row("5 rename fails", "a container that is not the service's squats `<name>-redock-previous`; `redock service"
                + " redeploy` to v2");
        FaultService s = launch(FaultImages.V1);
        String squatter = s.name + "-redock-previous";
        String image = engine.docker().inspectContainerCmd(s.name).exec().getImageId();
        engine.docker().createContainerCmd(image).withName(squatter).withLabels(TestEnv.runLabels()).exec();
        s.push(FaultImages.V2);
        RedockProcess.Result r = redock.run("service", "redeploy", s.name);
        MATRIX.did("exit " + r.exit());
        FaultService.State after = s.awaitGood(SETTLE);
        observed(after);
        boolean squatterKept = exists(squatter);
        MATRIX.note("the squatting container kept: " + yes(squatterKept));

        assertThat(after.good()).as("after the failed swap: %s", after).isTrue();
        assertThat(after.version()).as("the version that serves").isEqualTo("v1");
        assertThat(squatterKept).as("the container that is not the service's is left alone").isTrue();
    }

    @Test
    @Order(51)
    void whenStoppingTheOldContainerFailsTheOldOneServesAgain() {
        MATRIX.row("5 stop fails", "the engine call that stops the old container fails (simulated: REDOCK_FAIL_AT=old-stopped);"
                + " `redock service redeploy` to v2");
        FaultService s = launch(FaultImages.V1);
        s.push(FaultImages.V2);
        RedockProcess.Result r = redock.env("REDOCK_FAIL_AT", "old-stopped").run("service", "redeploy", s.name);
        MATRIX.did("exit " + r.exit());
        FaultService.State after = s.awaitGood("v1", SETTLE);
        observed(after);

        assertThat(after.good()).as("after the failed stop: %s", after).isTrue();
        assertThat(after.version()).as("the version that serves").isEqualTo("v1");
    }

    // ------------------------------------------------------------------------------------------------ 6. the lock's lease

    @Test
    @Order(60)
    void aLockHeldByADeadProcessOnAnotherHostIsTakenOverAfterItsLease() throws Exception {
        redock = redock.env("REDOCK_LOCK_LEASE", LEASE);
        MATRIX.row("6 lock: other host", "`redock service redeploy` on host name fm-other-host killed (SIGKILL) holding the lock;"
                + " then `redock service redeploy` here until it deploys");
        FaultService s = launch(FaultImages.V1);
        s.push(FaultImages.V2);
        // Another host: its own host name (in a UTS namespace), which it can resolve as hosts do (its own /etc/hosts, bound in
        // a mount namespace; H2's server looks its host up).
        Path hosts = Files.createTempFile("fm-hosts", "");
        RedockProcess other = redock.env("REDOCK_PAUSE_AT", "pulled")
                .wrappedIn("unshare", "--uts", "--mount", "sh", "-c", "hostname fm-other-host"
                        + " && { cat /etc/hosts; echo '127.0.1.1 fm-other-host'; } > \"$0\""
                        + " && mount --bind \"$0\" /etc/hosts && exec \"$@\"", hosts.toString())
                .start("service", "redeploy", s.name);
        other.awaitLine(paused("pulled"), STEP);
        other.sigkill();
        other.awaitExit(Duration.ofSeconds(30));
        Files.delete(hosts);
        long killed = System.nanoTime();
        RedockProcess.Result during = redock.run("service", "redeploy", s.name);
        MATRIX.did("a redeploy at once: exit " + during.exit() + " (" + firstLine(during) + ")");
        FaultService.State after = redeployUntil(s, "v2");
        observed(after);
        MATRIX.did("deployed " + Duration.ofNanos(System.nanoTime() - killed).toSeconds() + " s after the kill");

        assertThat(after.good()).as("after the lease ran out: %s", after).isTrue();
        assertThat(after.version()).as("the version that serves").isEqualTo("v2");
    }

    @Test
    @Order(61)
    void aLockHeldByAProcessWhosePidIsReusedIsTakenOverAndUnlockBreaksIt() {
        redock = redock.env("REDOCK_LOCK_LEASE", LEASE);
        MATRIX.row("6 lock: reused pid", "`redock service redeploy` as pid 1 of its own pid namespace killed (SIGKILL) holding the"
                + " lock (pid 1 lives on here); `redock service unlock NAME`; `redock service redeploy`");
        FaultService s = launch(FaultImages.V1);
        s.push(FaultImages.V2);
        RedockProcess holder = redock.env("REDOCK_PAUSE_AT", "pulled")
                .wrappedIn("unshare", "--pid", "--fork", "--mount-proc")
                .start("service", "redeploy", s.name);
        holder.awaitLine(paused("pulled"), STEP);
        holder.sigkill();
        holder.awaitExit(Duration.ofSeconds(30));
        RedockProcess.Result unlock = unlockUntilItWorks(s);
        MATRIX.did("unlock: exit " + unlock.exit() + " (" + firstLine(unlock) + ")");
        FaultService.State after = redeployUntil(s, "v2");
        observed(after);

        assertThat(unlock.exit()).as("unlock of a lock nobody renews: %s", unlock).isZero();
        assertThat(after.good()).as("after unlock: %s", after).isTrue();
        assertThat(after.version()).as("the version that serves").isEqualTo("v2");
    }

    @Test
    @Order(62)
    void unlockRefusesWhileTheHolderRenewsItsLease() {
        redock = redock.env("REDOCK_LOCK_LEASE", LEASE);
        MATRIX.row("6 lock: unlock refused", "`redock service unlock NAME` while a live `redock service redeploy` holds the lock"
                + " (paused at ready-wait); then SIGKILL of the holder, then unlock");
        FaultService s = launch(FaultImages.V1);
        s.push(FaultImages.V2);
        RedockProcess holder = redock.env("REDOCK_PAUSE_AT", "ready-wait").start("service", "redeploy", s.name);
        holder.awaitLine(paused("ready-wait"), STEP);
        RedockProcess.Result refused = redock.run("service", "unlock", s.name);
        MATRIX.did("unlock while it renews: exit " + refused.exit() + " (" + firstLine(refused) + ")");
        holder.sigkill();
        holder.awaitExit(Duration.ofSeconds(30));
        RedockProcess.Result unlock = unlockUntilItWorks(s);
        MATRIX.did("after the kill: exit " + unlock.exit());
        FaultService.State after = s.awaitGood(REPAIR);
        observed(after);

        assertThat(refused.exit()).as("unlock while the holder renews: %s", refused).isNotZero();
        assertThat(holder.alive()).isFalse();
        assertThat(unlock.exit()).as("unlock once nobody renews: %s", unlock).isZero();
        assertThat(after.good()).as("after unlock: %s", after).isTrue();
    }

    // ------------------------------------------------------------------------------------------------------ helpers

    private FaultService launch(FaultImages first, String... options) {
        return explainedWithHistory(FaultService.launch(redock, engine.docker(), TestEnv.registry(), first, options));
    }

    /** Has the table say what history says of the service, should the case fail. */
    private FaultService explainedWithHistory(FaultService s) {
        MATRIX.explainWith(() -> "history: " + FaultService.describe(s.history(redock)));
        return s;
    }

    /**
     * Whether history says a deployment was interrupted: its outcome, or, for one that recovery finished (a deployment cut
     * short after it committed still succeeded), what it says was done.
     */
    private static boolean saysInterrupted(List<JsonNode> history) {
        return history.stream().anyMatch(d -> d.path("outcome").asText().equals("interrupted")
                || d.path("error").asText("").contains("interrupted"));
    }

    // ------------------------------------------------------------------------------------ 8. the data folder and git URLs

    @Test
    @Order(80)
    void theDatabaseServerAnswersOnLoopbackOnlyTheDataFolderIsTheUsersAndGitUrlsWithSecretsAreRefused() throws Exception {
        MATRIX.row("8 security", "`redock agent` running; its database server tried on 127.0.0.1 and on a non-loopback address;"
                + " the data folder's modes; `service run --git` with `%0A` and with a token in the URL");
        java.net.InetAddress outside = DatabaseServer.nonLoopbackAddress();
        RedockProcess agent = startAgent(redock);
        int port = DatabaseServer.inLockFile(home).getPort();
        boolean onLoopback = DatabaseServer.accepts(java.net.InetAddress.getLoopbackAddress(), port);
        boolean onOutside = DatabaseServer.accepts(outside, port);
        MATRIX.did("server on 127.0.0.1:" + port + ": " + (onLoopback ? "answers" : "refused") + "; on "
                + outside.getHostAddress() + ":" + port + ": " + (onOutside ? "answers" : "refused"));
        String folder = mode(home);
        String database = mode(home.resolve("redock.mv.db"));
        String password = mode(home.resolve("db-password"));
        MATRIX.did("modes: folder " + folder + ", redock.mv.db " + database + ", db-password " + password);
        RedockProcess.Result newline = redock.run("service", "run", "--git", "https://git.example.com/a%0Ab.git", "--branch", "main");
        RedockProcess.Result token = redock.run("service", "run", "--git", "https://ghp_secret@git.example.com/a/b.git",
                "--branch", "main");
        MATRIX.did("`%0A`: exit " + newline.exit() + "; token: exit " + token.exit());
        String listed = redock.cli("service", "ls");
        MATRIX.observed(null, null);
        MATRIX.note("nothing written: " + yes(listed.lines().count() == 1));
        agent.sigterm();
        agent.awaitExit(STOP_BOUND);

        assertThat(onLoopback).as("the database server on 127.0.0.1").isTrue();
        assertThat(onOutside).as("the database server on %s, not loopback", outside.getHostAddress()).isFalse();
        assertThat(List.of(folder, database, password)).containsExactly("rwx------", "rw-------", "rw-------");
        assertThat(newline.exit()).as(newline.err()).isEqualTo(2);
        assertThat(newline.err()).as("the URL is not echoed").contains("control character").doesNotContain("a%0Ab");
        assertThat(token.exit()).as(token.err()).isEqualTo(2);
        assertThat(token.err()).contains("credentials").doesNotContain("ghp_secret");
        assertThat(listed.lines().count()).as("service ls: %s", listed).isEqualTo(1);
    }

    private static String mode(Path p) throws java.io.IOException {
        return java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    private static RedockProcess startAgent(RedockProcess.Launcher redock) {
        RedockProcess agent = redock.start("agent", "--interval", "2s", "--no-api");
        agent.awaitLine(AGENT_POLLING, STEP);
        return agent;
    }

    private static void observed(FaultService.State after) {
        MATRIX.observed(after.serving(), after.dataIntact());
        MATRIX.note(after.serving() ? "serves " + after.version() : after.toString());
        if (after.serving() && !after.exactlyOneContainer()) {
            MATRIX.note(after.toString());
        }
    }

    private static Pattern paused(String step) {
        return Pattern.compile("redock: paused at " + Pattern.quote(step) + "\\b");
    }

    /**
     * Waits until the deployment in {@code deploying} is at {@code step}: its own word ({@code REDOCK_PAUSE_AT}), or what the
     * engine shows of that step.
     */
    private void awaitStep(RedockProcess deploying, String step, FaultService s, int mark) {
        if (!STEPS_BY_EVENTS) {
            deploying.awaitLine(paused(step), STEP);
            return;
        }
        String name = s.name;
        Predicate<Event> ours = e -> s.id.equals(EngineEvents.attributes(e).get(FaultService.SERVICE_LABEL))
                || s.wasAdoptedFrom(e.getId());
        Predicate<Event> named = e -> name.equals(EngineEvents.attributes(e).get("name"));
        Predicate<Event> at = switch (step) {
            case "created" -> e -> EngineEvents.action(e).equals("create");
            case "old-stopped" -> e -> EngineEvents.action(e).equals("die") && named.test(e);
            case "old-aside" -> e -> EngineEvents.action(e).equals("rename")
                    && (name + "-redock-previous").equals(EngineEvents.attributes(e).get("name"));
            case "new-named" -> e -> EngineEvents.action(e).equals("rename") && named.test(e);
            case "new-started", "ready-wait" -> e -> EngineEvents.action(e).equals("start") && named.test(e);
            case "committed" -> e -> EngineEvents.action(e).equals("destroy")
                    && (name + "-redock-previous").equals(EngineEvents.attributes(e).get("name"));
            case "rolling-back" -> e -> EngineEvents.action(e).equals("destroy") && named.test(e);
            default -> throw new IllegalArgumentException(step);
        };
        events.await("step " + step, ours.and(at), STEP, mark);
        if (step.equals("ready-wait")) {
            // Under way: the new version answers while Redock waits out its minimum uptime.
            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
                    .until(() -> FaultImages.V2.page().equals(TestImages.httpGet(s.port)));
        }
    }

    /** Waits until the engine has started a container of the service at this digest. */
    private void awaitNewContainerStarted(FaultService s, String digest) {
        events.await("start of the new container", e -> EngineEvents.action(e).equals("start")
                && s.id.equals(EngineEvents.attributes(e).get(FaultService.SERVICE_LABEL))
                && digest.equals(EngineEvents.attributes(e).get(FaultService.DIGEST_LABEL)), STEP);
    }

    /**
     * Waits (briefly) until the process shows it took the signal in: a line of output since line {@code before}, or its log
     * saying so.
     */
    private void awaitSignalTakenIn(RedockProcess p, int before) {
        Path log = home.resolve("logs").resolve("redock.log");
        try {
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                    .until(() -> p.lines().size() > before || !p.alive()
                            || (Files.exists(log) && Files.readString(log).contains("SIGTERM received")));
        } catch (ConditionTimeoutException silent) {
            // It says nothing of it: the second signal comes anyway.
        }
    }

    /** Runs {@code service redeploy} until the service serves {@code version} (within the lease and a margin). */
    private FaultService.State redeployUntil(FaultService s, String version) {
        FaultService.State[] last = {s.state()};
        try {
            await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofSeconds(2))
                    .until(() -> {
                        redock.run("service", "redeploy", s.name);
                        last[0] = s.state();
                        return last[0].good() && version.equals(last[0].version());
                    });
        } catch (ConditionTimeoutException notYet) {
            // last[0] says how it is
        }
        return last[0];
    }

    /** Runs {@code service unlock} until it succeeds (a holder is known to be gone once its lease ran out). */
    private RedockProcess.Result unlockUntilItWorks(FaultService s) {
        RedockProcess.Result[] last = {null};
        try {
            await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofSeconds(2))
                    .until(() -> (last[0] = redock.run("service", "unlock", s.name)).exit() == 0);
        } catch (ConditionTimeoutException notYet) {
            // last[0] says why
        }
        return last[0];
    }

    private static String firstLine(RedockProcess.Result r) {
        String text = (r.out() + "\n" + r.err()).strip();
        return text.lines().findFirst().orElse("");
    }

    /** The name of the anonymous volume mounted at {@code /data} in the service's running container. */
    private static String anonymousVolume(FaultService s) {
        Container c = s.containers().get(0);
        InspectContainerResponse inspect = engine.docker().inspectContainerCmd(c.getId()).exec();
        return inspect.getMounts().stream()
                .filter(m -> m.getDestination() != null && m.getDestination().getPath().equals("/data"))
                .map(InspectContainerResponse.Mount::getName)
                .findFirst().orElseThrow(() -> new AssertionError("no volume at /data in " + c.getNames()[0]));
    }

    /** Where the volume's files are on this machine (the test engine's data root), if it exists. */
    private static Optional<Path> volumeMountpoint(String volume) {
        try {
            InspectVolumeResponse v = engine.docker().inspectVolumeCmd(volume).exec();
            return Optional.of(Path.of(v.getMountpoint()));
        } catch (NotFoundException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> volumeFile(String volume, String file) throws Exception {
        Optional<Path> dir = volumeMountpoint(volume);
        if (dir.isEmpty() || !Files.exists(dir.get().resolve(file))) {
            return Optional.empty();
        }
        return Optional.of(Files.readString(dir.get().resolve(file), StandardCharsets.UTF_8));
    }

    /** Volumes that no container uses: on this engine, only what a deployment left behind. */
    private static List<String> danglingVolumes() {
        var volumes = engine.docker().listVolumesCmd().withDanglingFilter(true).exec().getVolumes();
        return volumes == null ? List.of() : volumes.stream().map(InspectVolumeResponse::getName).toList();
    }

    private static boolean exists(String container) {
        try {
            engine.docker().inspectContainerCmd(container).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    private static String yes(boolean b) {
        return b ? "yes" : "**no**";
    }
}
