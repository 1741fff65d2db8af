package dev.redock.cli;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import dev.redock.model.ContainerSpec;
import dev.redock.model.EngineEntry;
import dev.redock.model.EnvMask;
import dev.redock.model.ImageRef;
import dev.redock.model.Json;
import dev.redock.model.Service;
import dev.redock.store.Database;
import dev.redock.store.EngineStore;
import dev.redock.store.ServiceStore;
import dev.redock.testenv.DockerTest;
import dev.redock.testenv.RawHttpServer;
import dev.redock.testenv.TestEnv;
import dev.redock.testenv.TestImages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The CLI as users run it, on the real engine and registry. */
@ExtendWith(DockerTest.class)
class CliTest {

    @TempDir
    Path home;

    private CliRunner redock;
    private String image;
    private String label;
    private String web;

    @BeforeEach
    void setUp() {
        redock = new CliRunner(home);
        String repo = TestEnv.uniqueName("cli/web");
        TestImages.push(TestImages.webImage("one"), repo + ":stable");
        image = TestEnv.registry() + "/" + repo + ":stable";
        label = TestEnv.RUN_LABEL + "=" + TestEnv.runId();
        web = TestEnv.uniqueName("web");
    }

    private CliRunner.Result runService(String name, int port, String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("service", "run", "--name", name, "-p", "127.0.0.1:" + port + ":80",
                "-e", "MODE=prod", "-l", label, "--stop-timeout", "1"));
        args.addAll(List.of(extra));
        args.add(image);
        return redock.run(args.toArray(String[]::new));
    }

    @Test
    void launchesAServiceWithAutoredeployOffUnlessAskedAndListsIt() throws Exception {
        int port = TestImages.freePort();
        CliRunner.Result run = runService(web, port);
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(TestImages.httpGet(port)).contains("one");

        CliRunner.Result ls = redock.run("service", "ls");
        assertThat(ls.out().lines().findFirst().orElseThrow().split("\\s{3,}"))
                .containsExactly("NAME", "UUID", "IMAGE", "ENGINE", "STATUS", "AUTOREDEPLOY", "LAST DEPLOY");
        assertThat(ls.out()).containsPattern(web + "\\s+[0-9a-f-]{36}\\s+\\S+:stable\\s+default\\s+running\\s+off\\s+\\d+ seconds ago \\(succeeded\\)");

        assertThat(redock.run("service", "set", "--autoredeploy", web).out()).contains(web + ": autoredeploy on");
        assertThat(redock.run("service", "ls").out()).containsPattern("running\\s+on");
        assertThat(redock.run("service", "set", "--no-autoredeploy", web).out()).contains("autoredeploy off");

        CliRunner.Result redeploy = redock.run("service", "redeploy", web);
        assertThat(redeploy.exitCode()).as(redeploy.toString()).isZero();
        assertThat(TestImages.httpGet(port)).contains("one");

        CliRunner.Result stop = redock.run("service", "stop", web);
        assertThat(stop.exitCode()).as(stop.toString()).isZero();
        assertThat(redock.run("service", "ls").out()).containsPattern(web + "\\s+\\S+\\s+\\S+\\s+default\\s+stopped");
        assertThat(redock.run("service", "start", web).exitCode()).isZero();

        CliRunner.Result rm = redock.run("service", "rm", web);
        assertThat(rm.exitCode()).as(rm.toString()).isZero();
        assertThat(redock.run("service", "ls", "-q").out()).isEmpty();
        assertThat(TestEnv.engine().inspect(web)).isEmpty();
    }

    @Test
    void aServicesMinimumUptimeIsSetAtRunChangedBySetAndShownByInspect() throws Exception {
        int port = TestImages.freePort();
        CliRunner.Result run = runService(web, port, "--min-uptime", "0s");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(Json.mapper().readTree(redock.run("service", "inspect", web).out()).get("min_uptime").asText())
                .isEqualTo("0s");

        assertThat(redock.run("service", "set", web, "--min-uptime", "1500ms").out())
                .isEqualTo(web + ": minimum uptime 1500ms" + System.lineSeparator());
        assertThat(redock.run("service", "set", web, "--min-uptime", "1500ms").out()).contains("nothing to change");
        assertThat(redock.run("service", "set", web, "--min-uptime", "default").out())
                .isEqualTo(web + ": minimum uptime default" + System.lineSeparator());
        assertThat(Json.mapper().readTree(redock.run("service", "inspect", web).out()).get("min_uptime").isNull()).isTrue();
        assertThat(TestImages.httpGet(port)).as("the container is left as it is").contains("one");
    }

    @Test
    void aNewProcessOnTheSameDataFolderSeesTheSameServicesAndHistory() throws Exception {
        int port = TestImages.freePort();
        assertThat(runService(web, port, "--autoredeploy").exitCode()).isZero();
        assertThat(redock.run("service", "redeploy", web).exitCode()).isZero();

        CliRunner.Result inspect = redock.runProcess("service", "inspect", web);
        assertThat(inspect.exitCode()).as(inspect.toString()).isZero();
        JsonNode json = Json.mapper().readTree(inspect.out());
        assertThat(json.get("name").asText()).isEqualTo(web);
        assertThat(json.get("autoredeploy").asBoolean()).isTrue();
        assertThat(json.get("status").asText()).isEqualTo("running");
        assertThat(json.get("spec").get("env").get("MODE").asText()).isEqualTo(EnvMask.MASK);
        assertThat(json.get("history")).hasSize(2);
        assertThat(json.get("history").get(0).get("trigger").asText()).isEqualTo("manual");
        assertThat(json.get("history").get(1).get("trigger").asText()).isEqualTo("launch");
        assertThat(json.get("history").get(1).get("outcome").asText()).isEqualTo("succeeded");

        CliRunner.Result ls = redock.runProcess("service", "ls");
        assertThat(ls.out()).contains(web).contains(json.get("uuid").asText());
    }

    @Test
    void setChangesAnImageServicesSettingsAndRedeploysThemOnlyWhenAsked() throws Exception {
        int port = TestImages.freePort();
        assertThat(runService(web, port).exitCode()).isZero();
        String next = image.replace(":stable", ":next");
        String v2 = TestImages.push(TestImages.webImage("two"), next.substring(TestEnv.registry().length() + 1));

        CliRunner.Result set = redock.run("service", "set", web, "--image", next, "-e", "MODE=test", "-e", "EXTRA=1", "--no-publish");
        assertThat(set.exitCode()).as(set.toString()).isZero();
        assertThat(set.out()).contains(web + ": image " + next + ", ports none, env MODE EXTRA\n")
                .contains("The running container follows at the next redeploy: redock service redeploy " + web);
        JsonNode json = Json.mapper().readTree(redock.run("service", "inspect", "--show-values", web).out());
        assertThat(json.get("image").asText()).isEqualTo(next);
        assertThat(json.get("spec").get("ports")).isEmpty();
        assertThat(json.get("spec").get("env").toString()).isEqualTo("{\"MODE\":\"test\",\"EXTRA\":\"1\"}");
        assertThat(json.get("spec").get("labels").has(TestEnv.RUN_LABEL)).as("labels not given stay").isTrue();
        assertThat(json.get("spec").get("stop_timeout").asInt()).isEqualTo(1);
        assertThat(json.get("autoredeploy").asBoolean()).isFalse();
        assertThat(TestImages.httpGet(port)).as("the running container is left as it is").contains("one");

        CliRunner.Result now = redock.run("service", "set", web, "-p", "127.0.0.1:" + port + ":80", "--autoredeploy", "--redeploy");
        assertThat(now.exitCode()).as(now.toString()).isZero();
        assertThat(now.out()).contains(web + ": ports 127.0.0.1:" + port + ":80, autoredeploy on\n").contains(web + " runs ")
                .doesNotContain("next redeploy");
        assertThat(TestImages.httpGet(port)).contains("two");
        assertThat(TestEnv.docker().inspectContainerCmd(web).exec().getConfig().getEnv()).contains("MODE=test", "EXTRA=1")
                .noneMatch(e -> e.startsWith("MODE=prod"));
        json = Json.mapper().readTree(redock.run("service", "inspect", web).out());
        assertThat(json.get("digest").asText()).isEqualTo(v2);
        assertThat(json.get("history").get(0).get("trigger").asText()).isEqualTo("manual");

        assertThat(redock.run("service", "set", web, "--autoredeploy", "--redeploy").out())
                .isEqualTo(web + ": autoredeploy on\nNo redeploy: the container's configuration did not change.\n");
        assertThat(redock.run("service", "set", web, "-e", "MODE=test", "-e", "EXTRA=1").out())
                .isEqualTo(web + ": nothing to change, its settings already are as given\n");

        CliRunner.Result command = redock.run("service", "set", web, "--command", "sh -c \"echo hi; sleep 1\"");
        assertThat(command.out()).as(command.toString()).startsWith(web + ": command sh -c \"echo hi; sleep 1\"\n");
        json = Json.mapper().readTree(redock.run("service", "inspect", web).out());
        assertThat(json.get("spec").get("command")).extracting(JsonNode::asText).containsExactly("sh", "-c", "echo hi; sleep 1");
        assertThat(redock.run("service", "set", web, "--no-command").out()).startsWith(web + ": the image's own command\n");
    }

    @Test
    void inspectMasksEnvironmentValuesUnlessAskedAndAMaskedValueGivenBackKeepsTheStoredOne() throws Exception {
        int port = TestImages.freePort();
        CliRunner.Result run = runService(web, port, "-e", "TOKEN=s3cret-value", "-e", "EMPTY=");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out() + run.err()).doesNotContain("s3cret-value");

        CliRunner.Result masked = redock.run("service", "inspect", web);
        assertThat(masked.out()).doesNotContain("s3cret-value").doesNotContain("prod");
        assertThat(Json.mapper().readTree(masked.out()).get("spec").get("env").toString())
                .isEqualTo("{\"MODE\":\"" + EnvMask.MASK + "\",\"TOKEN\":\"" + EnvMask.MASK + "\",\"EMPTY\":\"\"}");
        assertThat(Json.mapper().readTree(redock.run("service", "inspect", "--show-values", web).out()).get("spec").get("env")
                .toString()).isEqualTo("{\"MODE\":\"prod\",\"TOKEN\":\"s3cret-value\",\"EMPTY\":\"\"}");
        assertThat(redock.run("service", "ls").out()).doesNotContain("s3cret-value");

        CliRunner.Result set = redock.run("service", "set", web, "-e", "MODE=test", "-e", "TOKEN=" + EnvMask.MASK);
        assertThat(set.exitCode()).as(set.toString()).isZero();
        assertThat(set.out()).startsWith(web + ": env MODE TOKEN\n").doesNotContain("s3cret-value");
        assertThat(Json.mapper().readTree(redock.run("service", "inspect", "--show-values", web).out()).get("spec").get("env")
                .toString()).as("TOKEN kept, EMPTY gone with the list replaced").isEqualTo("{\"MODE\":\"test\",\"TOKEN\":\"s3cret-value\"}");

        String before = redock.run("service", "inspect", "--show-values", web).out();
        CliRunner.Result unknown = redock.run("service", "set", web, "-e", "OTHER=" + EnvMask.MASK);
        assertThat(unknown.exitCode()).as(unknown.toString()).isEqualTo(2);
        assertThat(unknown.err()).contains("the value of OTHER is the mask " + EnvMask.MASK + ", which keeps a stored value");
        assertThat(redock.run("service", "inspect", "--show-values", web).out()).isEqualTo(before);
        CliRunner.Result launch = runService(TestEnv.uniqueName("web"), TestImages.freePort(), "-e", "NEW=" + EnvMask.MASK);
        assertThat(launch.exitCode()).as(launch.toString()).isEqualTo(2);
        assertThat(launch.err()).contains("NEW has none");
        assertThat(TestEnv.docker().inspectContainerCmd(web).exec().getConfig().getEnv())
                .as("the container has the real values").contains("MODE=prod", "TOKEN=s3cret-value");
    }

    @Test
    void refusesBadInputWithOneClearLineAndWritesNothing() throws Exception {
        int port = TestImages.freePort();
        assertThat(runService(web, port).exitCode()).isZero();
        String before = redock.run("service", "ls", "-q").out() + redock.run("service", "inspect", web).out();
        int containersBefore = TestEnv.engine().listByLabel(TestEnv.RUN_LABEL, TestEnv.runId()).size();

        assertRefused(redock.run("service", "run", "-l", label, "Not/A/Valid:Ref"), 2, "must be lowercase");
        assertRefused(redock.run("service", "run", "-l", label, "nginx:"), 2, "invalid tag");
        assertRefused(redock.run("service", "run", "-l", label, "--name", web, image), 2, "a service named \"" + web + "\" already exists");
        assertRefused(redock.run("service", "run", "-l", label, "--name", "bad name", image), 2, "invalid name");
        assertRefused(redock.run("service", "run", "-l", label, "-p", "80", image), 2, "invalid port binding \"80\"");
        assertRefused(redock.run("service", "run", "-l", label, "-p", "70000:80", image), 2, "out of range");
        assertRefused(redock.run("service", "run", "-l", label, "-e", "NOVALUE", image), 2, "KEY=VALUE");
        assertRefused(redock.run("service", "run", "-l", label, "-v", "relative:path", image), 2, "absolute path");
        assertRefused(redock.run("service", "run", "-l", label, "--restart", "sometimes", image), 2, "unknown restart policy");
        assertRefused(redock.run("service", "set", "--autoredeploy", "nope"), 2, "no service named");
        assertRefused(redock.run("service", "set", web), 2, "nothing to change: give at least one setting");
        assertRefused(redock.run("service", "set", web, "--redeploy"), 2, "nothing to change");
        assertRefused(redock.run("service", "set", web, "--branch", "main"), 2, web + " follows an image, so --branch does not apply");
        assertRefused(redock.run("service", "set", web, "-e", "A=1", "--publish", "99999:80"), 2, "out of range");
        assertRefused(redock.run("service", "set", web, "--env", "NOEQUALS"), 2, "KEY=VALUE");
        assertRefused(redock.run("service", "set", web, "--restart", "sometimes"), 2, "unknown restart policy");
        assertRefused(redock.run("service", "set", web, "--image", "Not/A/Valid:Ref"), 2, "must be lowercase");
        assertRefused(redock.run("service", "set", web, "--autoredeploy", "--no-autoredeploy"), 2, "mutually exclusive");
        assertThat(redock.run("service", "set", web, "--autoredeploy", "--no-autoredeploy").err())
                .as("said once").startsWith("redock: --autoredeploy, --no-autoredeploy are mutually exclusive");
        assertRefused(redock.run("service", "set", web, "-e", "A=1", "--no-env"), 2, "mutually exclusive");
        assertRefused(redock.run("service", "set", web, "--no-command", "--command", "sh"), 2, "mutually exclusive");
        assertRefused(redock.run("service", "set", web, "--command", "sh -c \"unclosed"), 2, "unclosed double quote");
        assertRefused(redock.run("service", "set", web, "nginx:1.28"), 2, "Unmatched argument");
        assertRefused(redock.run("service", "inspect", "nope"), 2, "no service named");
        assertRefused(redock.run("service", "rm", "nope"), 2, "no service named");
        assertRefused(redock.run("service", "frobnicate"), 2, "Unmatched argument");
        assertRefused(redock.run("agent", "--interval", "soon"), 2, "invalid duration");

        assertThat(redock.run("service", "ls", "-q").out() + redock.run("service", "inspect", web).out()).isEqualTo(before);
        assertThat(TestEnv.engine().listByLabel(TestEnv.RUN_LABEL, TestEnv.runId())).hasSize(containersBefore);
    }

    @Test
    void saysSoWhenAPortIsTakenAndLeavesNoContainerBehind() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            String name = TestEnv.uniqueName("clash");
            CliRunner.Result r = runService(name, taken.getLocalPort());
            assertRefused(r, 1, "port " + taken.getLocalPort());
            assertThat(redock.run("service", "ls", "-q").out()).isEmpty();
            assertThat(TestEnv.engine().inspect(name)).isEmpty();
        }
    }

    @Test
    void saysSoWhenTheEngineIsUnreachable() {
        CliRunner offline = new CliRunner(home).with("DOCKER_HOST", "unix://" + home.resolve("no-engine.sock"));
        CliRunner.Result r = offline.run("service", "run", "-l", label, "--name", web, image);
        assertRefused(r, 1, "unreachable");
        assertThat(offline.run("service", "ls", "-q").out()).isEmpty();
    }

    @Test
    void listsTheServicesOfAnEngineThatNeverAnswersAsUnreachableOnceTheDeadlinePassesAndTheOthersAsTheyAre() {
        int port = TestImages.freePort();
        assertThat(runService(web, port).exitCode()).isZero();
        String far = TestEnv.uniqueName("far");
        try (RawHttpServer silent = RawHttpServer.start(RawHttpServer.Connection::stall)) {
            storeOn("silent", "tcp://" + silent.address(), far);

            CliRunner.Result ls = new CliRunner(home).with("REDOCK_ENGINE_ANSWER_TIMEOUT", "1s").run("service", "ls");

            assertThat(ls.exitCode()).as(ls.toString()).isZero();
            assertThat(ls.out()).containsPattern(web + "\\s+[0-9a-f-]{36}\\s+\\S+:stable\\s+default\\s+running\\s");
            assertThat(ls.out()).containsPattern(far + "\\s+[0-9a-f-]{36}\\s+\\S+\\s+silent\\s+engine unreachable\\s");
            assertThat(ls.err()).isEqualTo("redock: engine \"silent\" unreachable: the engine at tcp://" + silent.address()
                    + " did not answer within 1 s" + System.lineSeparator());
        }
    }

    /** An engine added to the data folder's list as {@code engine add} does, and a service on it, written directly. */
    private void storeOn(String engine, String address, String service) {
        try (Database db = Database.open(home)) {
            new EngineStore(db).add(new EngineEntry(engine, EngineEntry.Kind.ADDRESS, address, null), Instant.now());
            new ServiceStore(db).insertAll(List.of(new Service(UUID.randomUUID(), service, ImageRef.parse(image),
                    ContainerSpec.empty(), false, null, Instant.now(), Instant.now(), null, null, engine)));
        }
    }

    @Test
    void theAgentFollowsChangesMadeByTheCliAndRefusesASecondAgent() throws Exception {
        int port = TestImages.freePort();
        assertThat(runService(web, port).exitCode()).isZero();

        Process agent = redock.start("agent", "--interval", "2s", "--api-port", "0");
        List<String> agentOut = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> new BufferedReader(new InputStreamReader(agent.getInputStream(), StandardCharsets.UTF_8))
                .lines().forEach(agentOut::add));
        reader.setDaemon(true);
        reader.start();
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> agentOut.stream().anyMatch(l -> l.startsWith("API on http://127.0.0.1:")));

            // The agent serves the API: the service is there, for the token in the data folder only.
            String api = agentOut.stream().filter(l -> l.startsWith("API on ")).findFirst().orElseThrow().split(" ")[2];
            String token = java.nio.file.Files.readString(home.resolve("api-token")).strip();
            java.net.http.HttpResponse<String> listed = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create(api + "service/"))
                            .header("Authorization", "Bearer " + token).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(listed.statusCode()).isEqualTo(200);
            assertThat(Json.mapper().readTree(listed.body()).get("objects").get(0).get("name").asText()).isEqualTo(web);

            CliRunner.Result second = redock.runProcess("agent", "--interval", "2s");
            assertRefused(second, 1, "a scheduler already runs on " + home);

            // While the agent runs: the CLI turns autoredeploy on, then a push arrives.
            assertThat(redock.run("service", "set", "--autoredeploy", web).exitCode()).isZero();
            String image2 = image.substring(TestEnv.registry().length() + 1);
            String v2 = TestImages.push(TestImages.webImage("two"), image2);
            await().atMost(Duration.ofSeconds(30)).until(() -> "two".equals(strip(TestImages.httpGet(port))));
            await().atMost(Duration.ofSeconds(10)).until(() -> agentOut.stream().anyMatch(l -> l.contains(web + ": succeeded")));
            JsonNode json = Json.mapper().readTree(redock.run("service", "inspect", web).out());
            assertThat(json.get("digest").asText()).isEqualTo(v2);
            assertThat(json.get("history").get(0).get("trigger").asText()).isEqualTo("registry-poll");
        } finally {
            agent.destroy();
            agent.waitFor();
        }
    }

    private static void assertRefused(CliRunner.Result r, int exitCode, String message) {
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(exitCode);
        assertThat(r.err()).as(r.toString()).contains(message);
        assertThat(r.err().lines().filter(l -> l.startsWith("redock:")).count()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).as(r.toString()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    private static String strip(String s) {
        return s == null ? null : s.strip();
    }
}
