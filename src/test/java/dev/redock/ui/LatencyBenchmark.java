package dev.redock.ui;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;

import dev.redock.api.ApiServer;
import dev.redock.app.Redock;
import dev.redock.cli.CliRunner;
import dev.redock.service.ApiToken;
import dev.redock.testenv.DockerTest;
import dev.redock.testenv.Redocks;
import dev.redock.testenv.TestEnv;
import dev.redock.testenv.TestImages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Prints how soon things happen, measured on the real engine, registry and window: how soon a change made by another
 * process shows in the open window ("within a second"), how soon a CI announcement has the new version serving ("in
 * seconds"), how soon a push is serving by polling alone ("within two intervals"), how long the API takes to answer a
 * call that has little to do, and how long a CLI command that has little to do takes in a process of its own.
 *
 * <p>Not a test: its name matches no test pattern, so only the README's benchmark command runs it. Each figure is printed on a
 * line starting with {@code [bench]}.
 */
@ExtendWith({DockerTest.class, FxExceptions.class})
class LatencyBenchmark {

    private static final int CHANGES = 20;
    private static final int ANNOUNCEMENTS = 5;
    private static final int POLLED_PUSHES = 3;
    private static final int API_CALLS = 100;
    private static final int CLI_PROCESSES = 10;
    private static final Duration INTERVAL = Duration.ofSeconds(5);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path home;

    private final FxRobot robot = new FxRobot();

    @Test
    void aChangeMadeByTheCliShowsInTheOpenWindow() {
        String repo = TestEnv.uniqueName("bench/window");
        TestImages.push(TestImages.webImage("window"), repo + ":stable");
        CliRunner cli = new CliRunner(home);
        String name = TestEnv.uniqueName("bench");
        ConsoleFixture console = ConsoleFixture.open(home);
        try {
            CliRunner.Result run = cli.run("service", "run", "--name", name, "-l", TestEnv.RUN_LABEL + "=" + TestEnv.runId(),
                    "--stop-timeout", "1", TestEnv.registry() + "/" + repo + ":stable");
            assertThat(run.exitCode()).as(run.toString()).isZero();
            await().atMost(Duration.ofSeconds(10)).until(() -> ConsoleFixture.rowSwitchOn(robot, name), Optional::isPresent);

            List<Long> millis = new ArrayList<>();
            for (int i = 0; i < CHANGES; i++) {
                boolean on = i % 2 == 0;
                assertThat(cli.run("service", "set", on ? "--autoredeploy" : "--no-autoredeploy", name).exitCode()).isZero();
                long written = System.nanoTime();
                await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5))
                        .until(() -> ConsoleFixture.rowSwitchOn(robot, name), shown -> shown.equals(Optional.of(on)));
                millis.add((System.nanoTime() - written) / 1_000_000);
            }
            print("a change by the CLI shows in the open window's list", millis, CHANGES + " changes");
            assertThat(cli.run("service", "rm", name).exitCode()).isZero();
        } finally {
            console.close();
        }
    }

    @Test
    void aCiAnnouncementHasTheNewVersionServing() throws Exception {
        String repo = TestEnv.uniqueName("bench/announce");
        TestImages.push(TestImages.webImage("announce 0"), repo + ":stable");
        String image = TestEnv.registry() + "/" + repo + ":stable";
        int port = TestImages.freePort();
        try (Redock redock = Redocks.open(home)) {
            ApiServer api = redock.startApi(0);
            String token = ApiToken.loadOrCreate(home).value();
            HttpResponse<String> created = post(api, token, "/api/v1/service/", "{\"image\": \"" + image + "\", \"name\": \""
                    + TestEnv.uniqueName("bench") + "\", \"ports\": [\"127.0.0.1:" + port + ":80\"], \"stop_timeout\": 1,"
                    + " \"autoredeploy\": true, \"labels\": {\"" + TestEnv.RUN_LABEL + "\": \"" + TestEnv.runId() + "\"}}");
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);

            List<Long> millis = new ArrayList<>();
            for (int i = 1; i <= ANNOUNCEMENTS; i++) {
                String content = "announce " + i;
                TestImages.push(TestImages.webImage(content), repo + ":stable");
                long announced = System.nanoTime();
                HttpResponse<String> r = post(api, token, "/api/v1/image-push", "{\"image\": \"" + image + "\"}");
                assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
                await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(20))
                        .until(() -> serves(port, content));
                millis.add((System.nanoTime() - announced) / 1_000_000);
            }
            print("an image-push announcement to the new version serving", millis, ANNOUNCEMENTS + " pushes");
        }
    }

    @Test
    void anApiCallIsAnswered() throws Exception {
        try (Redock redock = Redocks.open(home)) {
            ApiServer api = redock.startApi(0);
            String token = ApiToken.loadOrCreate(home).value();
            List<Long> listed = new ArrayList<>();
            List<Long> refused = new ArrayList<>();
            for (int i = 0; i < API_CALLS; i++) {
                long asked = System.nanoTime();
                HttpResponse<String> list = HTTP.send(HttpRequest.newBuilder(URI.create(api.baseUrl() + "/api/v1/service/"))
                        .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
                listed.add((System.nanoTime() - asked) / 1_000_000);
                assertThat(list.statusCode()).as(list.body()).isEqualTo(200);
                asked = System.nanoTime();
                HttpResponse<String> guessed = post(api, null, "/api/v1/service/" + UUID.randomUUID() + "/trigger/"
                        + ApiToken.randomToken(32) + "/call/", "");
                refused.add((System.nanoTime() - asked) / 1_000_000);
                assertThat(guessed.statusCode()).as(guessed.body()).isEqualTo(404);
            }
            print("an API call (GET /api/v1/service/) answered", listed, API_CALLS + " calls");
            print("a trigger URL with a wrong token refused", refused, API_CALLS + " calls");
        }
    }

    @Test
    void aCliCommandInAProcessOfItsOwnEnds() throws Exception {
        CliRunner cli = new CliRunner(home);
        assertThat(cli.runProcess("service", "ls").exitCode()).isZero(); // the database is made once
        List<Long> millis = new ArrayList<>();
        for (int i = 0; i < CLI_PROCESSES; i++) {
            long started = System.nanoTime();
            CliRunner.Result ls = cli.runProcess("service", "ls");
            millis.add((System.nanoTime() - started) / 1_000_000);
            assertThat(ls.exitCode()).as(ls.toString()).isZero();
        }
        print("`redock service ls` in a process of its own, from start to exit", millis, CLI_PROCESSES + " processes");
    }

    @Test
    void aPushIsServingByPollingAlone() {
        String repo = TestEnv.uniqueName("bench/poll");
        TestImages.push(TestImages.webImage("poll 0"), repo + ":stable");
        CliRunner cli = new CliRunner(home);
        int port = TestImages.freePort();
        String name = TestEnv.uniqueName("bench");
        CliRunner.Result run = cli.run("service", "run", "--name", name, "-p", "127.0.0.1:" + port + ":80", "--autoredeploy",
                "-l", TestEnv.RUN_LABEL + "=" + TestEnv.runId(), "--stop-timeout", "1",
                TestEnv.registry() + "/" + repo + ":stable");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        try (Redock redock = Redocks.open(home)) {
            redock.scheduler(INTERVAL).start();
            List<Long> millis = new ArrayList<>();
            for (int i = 1; i <= POLLED_PUSHES; i++) {
                String content = "poll " + i;
                TestImages.push(TestImages.webImage(content), repo + ":stable");
                long pushed = System.nanoTime();
                await().atMost(INTERVAL.multipliedBy(4)).pollInterval(Duration.ofMillis(20))
                        .until(() -> serves(port, content));
                millis.add((System.nanoTime() - pushed) / 1_000_000);
            }
            print("a registry push to the new version serving, polling every " + INTERVAL.toSeconds() + " s", millis,
                    POLLED_PUSHES + " pushes; two intervals are " + INTERVAL.multipliedBy(2).toMillis() + " ms");
        }
    }

    private static boolean serves(int port, String content) {
        String body = TestImages.httpGet(port);
        return body != null && body.strip().equals(content);
    }

    private static HttpResponse<String> post(ApiServer api, String token, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(api.baseUrl() + path)).timeout(Duration.ofMinutes(2))
                .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void print(String what, List<Long> millis, String over) {
        List<Long> sorted = new ArrayList<>(millis);
        Collections.sort(sorted);
        long median = sorted.get(sorted.size() / 2);
        long p95 = sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(sorted.size() * 0.95) - 1));
        System.out.printf(Locale.ROOT, "[bench] %s: median %d ms, 95th percentile %d ms, max %d ms (%s)%n", what, median, p95,
                sorted.get(sorted.size() - 1), over);
    }
}
