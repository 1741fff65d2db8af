package dev.redock.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.redock.model.Json;
import dev.redock.model.Outcome;
import dev.redock.testenv.DockerTest;
import dev.redock.testenv.TestEnv;
import dev.redock.testenv.TestImages;

/**
 * Prints how a redeploy of a changed tag through a running agent's API compares with the same steps by hand with the
 * docker CLI, side by side in one run: the median time of each, their ratio, and the longest stretch of refused
 * connections on the service's port during each ({@link RedeployMeasure}).
 *
 * <p>Not a test: its name matches no test pattern. The README's benchmark command runs it after {@code mvn package}, as
 * the agent it starts is the packaged jar. The service's minimum
 * uptime is {@code -Dredock.bench.minUptime} (default {@code 0s}; empty leaves it to the agent's default, which
 * {@code -Dredock.bench.agentMinUptime} sets through {@code REDOCK_MIN_UPTIME}); the rounds {@code -Dredock.bench.rounds}
 * (default 5).
 */
@ExtendWith(DockerTest.class)
class RedeployBenchmark {

    private static final Duration DEPLOY_TIMEOUT = Duration.ofSeconds(120);

    @TempDir
    Path home;

    @Test
    void aRedeployThroughTheAgentBesideTheSameStepsByHand() throws Exception {
        int rounds = Integer.getInteger("redock.bench.rounds", 5);
        String minUptime = System.getProperty("redock.bench.minUptime", "0s");
        String agentMinUptime = System.getProperty("redock.bench.agentMinUptime", "");
        String runLabel = TestEnv.RUN_LABEL + "=" + TestEnv.runId();

        String redockRepo = TestEnv.registry() + "/" + TestEnv.uniqueName("bench/redeploy");
        String handRepo = TestEnv.registry() + "/" + TestEnv.uniqueName("bench/by-hand");
        String redockRef = redockRepo + ":stable";
        String handRef = handRepo + ":stable";
        TestImages.push(TestImages.webImage("bench 0"), redockRef);
        TestImages.push(TestImages.webImage("bench 0"), handRef);

        int redockPort = TestImages.freePort();
        int handPort = TestImages.freePort();
        String handName = TestEnv.uniqueName("bench-by-hand");
        List<String> handCreate = List.of("-p", handPort + ":80", "-l", runLabel);

        Map<String, String> env = agentMinUptime.isBlank() ? Map.of() : Map.of("REDOCK_MIN_UPTIME", agentMinUptime);
        try (RedeployMeasure.Agent agent = RedeployMeasure.Agent.start(home, env, List.of())) {
            ObjectNode body = Json.mapper().createObjectNode();
            body.put("image", redockRef);
            body.put("name", TestEnv.uniqueName("bench-redock"));
            body.putArray("ports").add(redockPort + ":80");
            body.putObject("labels").put(TestEnv.RUN_LABEL, TestEnv.runId());
            if (!minUptime.isBlank()) {
                body.put("min_uptime", minUptime);
            }
            UUID service = UUID.fromString(agent.call("POST", "/api/v1/service/", body).get("uuid").asText());
            List<String> run = new ArrayList<>(List.of("run", "-d", "--name", handName));
            run.addAll(handCreate);
            run.add(handRef);
            RedeployMeasure.docker(run.toArray(String[]::new));
            awaitServing(redockPort);
            awaitServing(handPort);

            List<RedeployMeasure.Round> redock = new ArrayList<>();
            List<RedeployMeasure.Round> byHand = new ArrayList<>();
            for (int i = 0; i <= rounds; i++) {
                TestImages.push(TestImages.webImage("bench " + (i + 1)), redockRef);
                TestImages.push(TestImages.webImage("bench " + (i + 1)), handRef);
                RedeployMeasure.Round r;
                RedeployMeasure.Round h;
                if (i % 2 == 0) {
                    r = viaAgent(agent, service, redockPort);
                    h = RedeployMeasure.watched(handPort, () -> RedeployMeasure.byHand(handName, handRef, handCreate));
                } else {
                    h = RedeployMeasure.watched(handPort, () -> RedeployMeasure.byHand(handName, handRef, handCreate));
                    r = viaAgent(agent, service, redockPort);
                }
                if (i == 0) {
                    continue; // a round to warm up both sides (the agent's JIT, the engine's caches)
                }
                redock.add(r);
                byHand.add(h);
                System.out.printf("[bench] round %d: Redock %d ms (refused %d ms), by hand %d ms (refused %d ms)%n", i,
                        r.took().toMillis(), r.refused().toMillis(), h.took().toMillis(), h.refused().toMillis());
            }
            Duration redockMedian = RedeployMeasure.median(redock.stream().map(RedeployMeasure.Round::took).toList());
            Duration handMedian = RedeployMeasure.median(byHand.stream().map(RedeployMeasure.Round::took).toList());
            Duration redockRefused = RedeployMeasure.median(redock.stream().map(RedeployMeasure.Round::refused).toList());
            Duration handRefused = RedeployMeasure.median(byHand.stream().map(RedeployMeasure.Round::refused).toList());
            System.out.printf("[bench] redeploy of a changed tag (min uptime %s), request to a running agent until recorded:"
                            + " Redock median %d ms, by hand with the docker CLI %d ms, ratio %.2fx (%d rounds)%n",
                    minUptime.isBlank() ? "the agent's default" : minUptime, redockMedian.toMillis(), handMedian.toMillis(),
                    (double) redockMedian.toNanos() / handMedian.toNanos(), rounds);
            System.out.printf("[bench] connection-refused window during that redeploy: Redock median %d ms, by hand %d ms,"
                            + " ratio %.2fx%n", redockRefused.toMillis(), handRefused.toMillis(),
                    (double) redockRefused.toNanos() / Math.max(1, handRefused.toNanos()));
        } finally {
            RedeployMeasure.docker("rm", "-f", handName);
        }
    }

    private static RedeployMeasure.Round viaAgent(RedeployMeasure.Agent agent, UUID service, int port) {
        RedeployMeasure.Recorded[] recorded = new RedeployMeasure.Recorded[1];
        RedeployMeasure.Round round = RedeployMeasure.watched(port, () -> {
            recorded[0] = agent.redeploy(service, DEPLOY_TIMEOUT);
            return recorded[0].took();
        });
        assertThat(recorded[0].deployment().outcome()).as("%s\n%s", recorded[0].deployment(), agent.output())
                .isEqualTo(Outcome.SUCCEEDED);
        return round;
    }

    private static void awaitServing(int port) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (TestImages.httpGet(port) == null) {
            assertThat(System.nanoTime()).as("port %d serves within 30 s", port).isLessThan(deadline);
            RedeployMeasure.pause(Duration.ofMillis(20));
        }
    }
}
