package dev.redock.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import dev.redock.app.ServingFile;
import dev.redock.model.Labels;
import dev.redock.testenv.DockerTest;
import dev.redock.testenv.GitRepos;
import dev.redock.testenv.RawHttpServer;
import dev.redock.testenv.RedockProcess;
import dev.redock.testenv.TestEnv;
import dev.redock.testenv.TestImages;

/**
 * The CLI while an agent serves the data folder, with real {@code redock} processes from the packaged jar: the agent answers
 * each command (its log says so), with the output and exit code the CLI gives by itself; and the CLI runs the command
 * itself, quietly, when the agent cannot answer it as it would (a stale {@code api-serving} file, a Redock that does not
 * know the endpoint, another environment).
 */
@ExtendWith(DockerTest.class)
class AgentAnswersTheCliIT {

    /** How long an agent may take to serve its API. */
    private static final Duration AGENT_UP = Duration.ofSeconds(90);
    private static final Pattern API_ON = Pattern.compile("^API on http");
    private static final String ANSWERED = "for the CLI of another process";

    @TempDir
    Path home;
    @TempDir
    Path elsewhere;

    private RedockProcess.Launcher redock;
    private String image;
    private String web;

    @BeforeEach
    void setUp() {
        redock = RedockProcess.launcher(home, TestEnv.dockerHost())
                .env("REDOCK_MIN_UPTIME", "1s")
                .env("REDOCK_READY_TIMEOUT", "30s");
        String repo = TestEnv.uniqueName("cli-agent/web");
        TestImages.push(TestImages.webImage("one"), repo + ":stable");
        image = TestEnv.registry() + "/" + repo + ":stable";
        web = TestEnv.uniqueName("web");
    }

    @AfterEach
    void removeWhatItMade() {
        RedockProcess.killAll();
        var docker = TestEnv.docker();
        for (var c : docker.listContainersCmd().withShowAll(true).withLabelFilter(Map.of(Labels.SERVICE_NAME, web)).exec()) {
            docker.removeContainerCmd(c.getId()).withForce(true).withRemoveVolumes(true).exec();
        }
        for (var i : docker.listImagesCmd().withLabelFilter(Map.of(Labels.SERVICE_NAME, web)).exec()) {
            docker.removeImageCmd(i.getId()).withForce(true).exec();
        }
    }

    private void launchWeb(RedockProcess.Launcher launcher) {
        launcher.cli("service", "run", "--name", web, "-l", TestEnv.RUN_LABEL + "=" + TestEnv.runId(), "--stop-timeout", "1",
                image);
    }

    private static RedockProcess agent(RedockProcess.Launcher launcher) {
        RedockProcess agent = launcher.start("agent", "--interval", "1h", "--api-port", "0");
        agent.awaitLine(API_ON, AGENT_UP);
        return agent;
    }

    /** The lines of Redock's log in the data folder that contain {@code text}. */
    private List<String> logLines(String text) throws IOException {
        Path log = home.resolve("logs").resolve("redock.log");
        if (!Files.exists(log)) {
            return List.of();
        }
        return Files.readAllLines(log, StandardCharsets.UTF_8).stream().filter(l -> l.contains(text)).toList();
    }

    /**
     * Output that does not depend on when it was printed: how long ago a deployment was, the columns' widths, and when the
     * service was last changed (the commands change it, each round once).
     */
    private static String timeless(String text) {
        return text.replaceAll("\\d+ (second|minute|hour)s? ago", "T ago").replaceAll(" {2,}", "  ")
                .replaceAll("\"updated\" : \"[^\"]+\"", "\"updated\" : T");
    }

    private static void assertSame(String what, RedockProcess.Result expected, RedockProcess.Result actual) {
        assertThat(actual.exit()).as("exit code of `%s`: %s", what, actual).isEqualTo(expected.exit());
        assertThat(timeless(actual.out())).as("stdout of `%s`", what).isEqualTo(timeless(expected.out()));
        assertThat(timeless(actual.err())).as("stderr of `%s`", what).isEqualTo(timeless(expected.err()));
    }

    @Test
    void theAgentAnswersEveryKindOfCommandAsTheCliDoesByItself() throws Exception {
        launchWeb(redock);
        List<List<String>> commands = List.of(
                List.of("service", "ls"),
                List.of("service", "ls", "-q"),
                List.of("service", "inspect", web),
                List.of("service", "set", "--autoredeploy", web),
                List.of("service", "set", "--no-autoredeploy", web),
                List.of("service", "set", web),
                List.of("service", "stop", "no-such-service"),
                List.of("service", "ls", "--bogus"),
                List.of("service", "trigger", "ls", web),
                List.of("settings", "interval"),
                List.of("engine", "ls", "-q"),
                List.of("service", "--help"),
                List.of("--version"));
        Map<String, RedockProcess.Result> alone = new LinkedHashMap<>();
        for (List<String> command : commands) {
            alone.put(String.join(" ", command), redock.run(command.toArray(String[]::new)));
        }
        assertThat(alone.get("service ls").out()).contains(web);
        assertThat(alone.get("service ls --bogus").exit()).isEqualTo(2);
        assertThat(logLines(ANSWERED)).isEmpty();

        RedockProcess agent = agent(redock);
        assertThat(ServingFile.read(home)).as("the agent says where it serves").isPresent();
        for (List<String> command : commands) {
            String words = String.join(" ", command);
            assertSame(words, alone.get(words), redock.run(command.toArray(String[]::new)));
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(logLines(ANSWERED)).as("the agent's log").hasSize(commands.size()));
        assertThat(logLines("Ran `redock service ls` " + ANSWERED + " (exit 0)")).as("ls and ls -q").hasSize(2);
        assertThat(logLines("Ran `redock service stop` " + ANSWERED + " (exit 2)")).hasSize(1);

        agent.sigterm();
        agent.awaitExit(Duration.ofSeconds(60));
        assertThat(home.resolve(ServingFile.NAME)).as("removed when the agent stops").doesNotExist();
        assertSame("service ls, after the agent", alone.get("service ls"), redock.run("service", "ls"));
        assertThat(logLines(ANSWERED)).hasSize(commands.size());
    }

    @Test
    void aStaleFileIsPassedOverQuietly() throws Exception {
        launchWeb(redock);
        RedockProcess.Result alone = redock.run("service", "ls");

        Process ended = new ProcessBuilder("true").start();
        ended.waitFor();
        int closedPort = TestImages.freePort();
        Files.writeString(home.resolve(ServingFile.NAME),
                "url=http://127.0.0.1:" + closedPort + "\npid=" + ended.pid() + "\nstarted=\n");
        assertSame("service ls, the process gone", alone, redock.run("service", "ls"));

        // A live pid that the system has given to another process since (this JVM, started at another time).
        Files.writeString(home.resolve(ServingFile.NAME), "url=http://127.0.0.1:" + closedPort + "\npid="
                + ProcessHandle.current().pid() + "\nstarted=2001-01-01T00:00:00Z\n");
        assertSame("service ls, the pid reused", alone, redock.run("service", "ls"));
    }

    @Test
    void aRedockThatDoesNotKnowTheEndpointLeavesTheCommandHere() throws Exception {
        launchWeb(redock);
        RedockProcess.Result alone = redock.run("service", "ls");
        // An older Redock: its API answers 404 to what it does not know (the real server cannot be made older on demand).
        try (RawHttpServer older = RawHttpServer.start(c -> c.send("HTTP/1.1 404 Not Found\r\nContent-Type: application/json"
                + "\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}"))) {
            ProcessHandle self = ProcessHandle.current();
            Files.writeString(home.resolve("api-token"), "a".repeat(43) + "\n");
            Files.writeString(home.resolve(ServingFile.NAME), "url=http://" + older.address() + "\npid=" + self.pid()
                    + "\nstarted=" + self.info().startInstant().orElseThrow() + "\n");
            assertSame("service ls, refused", alone, redock.run("service", "ls"));
            assertThat(older.requests()).as("asked first").anyMatch(r -> r.contains("/api/v1/cli"));
        }
    }

    @Test
    void aCallerWhoseEnvironmentChoosesOtherwiseRunsTheCommandItself() throws Exception {
        launchWeb(redock);
        RedockProcess.Launcher otherConfig = redock.env("DOCKER_CONFIG", elsewhere.toString());
        RedockProcess.Result alone = otherConfig.run("service", "ls");
        agent(redock);

        assertSame("service ls, DOCKER_CONFIG set", alone, otherConfig.run("service", "ls"));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(logLines("Left a CLI command to its own"
                + " process: the CLI's environment sets DOCKER_CONFIG otherwise")).hasSize(1));
        assertThat(logLines(ANSWERED)).isEmpty();
    }

    @Test
    void ctrlCLeavesARedeployToTheAgentAndExitsAsBefore() throws Exception {
        RedockProcess.Launcher slow = redock.env("REDOCK_MIN_UPTIME", "8s");
        launchWeb(slow);
        String repository = image.substring(TestEnv.registry().length() + 1);
        String v2 = TestImages.push(TestImages.webImage("two"), repository);
        RedockProcess agent = agent(slow);

        RedockProcess redeploy = slow.start("service", "redeploy", web);
        agent.awaitLine(Pattern.compile(Pattern.quote(web) + ": deploying"), Duration.ofSeconds(60));
        redeploy.sigint();
        assertThat(redeploy.awaitExit(Duration.ofSeconds(10)).code()).as("Ctrl-C: %s", redeploy.output()).isEqualTo(130);

        // The deployment goes on in the agent, to its end.
        agent.awaitLine(Pattern.compile(Pattern.quote(web) + ": succeeded"), Duration.ofSeconds(90));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(logLines("Ran `redock service redeploy` " + ANSWERED + " (exit 0)")).hasSize(1));
        assertThat(slow.cli("service", "inspect", web)).contains(v2);
    }

    @Test
    void progressArrivesAsItHappensAndPathsAreFromWhereTheCommandWasTyped() throws Exception {
        try (GitRepos repo = GitRepos.create(elsewhere)) {
            repo.commit("main", Map.of(
                    "Dockerfile", "FROM " + TestImages.baseImage() + "\nRUN sleep 3\nCOPY index.html /www/index.html\n",
                    "index.html", "one"), "First page");
            agent(redock);
            // Typed in the folder that holds the repository; the agent runs elsewhere.
            RedockProcess run = redock.in(elsewhere).start("service", "run", "--git", "remote.git", "--branch", "main",
                    "--name", web, "-l", TestEnv.RUN_LABEL + "=" + TestEnv.runId(), "--stop-timeout", "1");
            run.awaitLine(Pattern.compile("^Launched "), Duration.ofSeconds(120));
            assertThat(run.awaitExit(Duration.ofSeconds(10)).code()).as(run.output()).isZero();
            assertThat(run.stderr()).contains("Launched " + web + " (git:" + elsewhere.resolve("remote.git") + "#main");

            // The build's steps reach the terminal as the build takes them, not all at its end.
            RedockProcess.Line sleep = line(run, " : RUN sleep 3");
            RedockProcess.Line copy = line(run, " : COPY index.html");
            assertThat(Duration.between(sleep.at(), copy.at())).as(run.output()).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(logLines("Ran `redock service run` " + ANSWERED + " (exit 0)")).hasSize(1));
    }

    private static RedockProcess.Line line(RedockProcess process, String text) {
        return process.lines().stream().filter(l -> l.text().contains(text)).findFirst()
                .orElseThrow(() -> new AssertionError("no line with \"" + text + "\" in:\n" + process.output()));
    }
}
