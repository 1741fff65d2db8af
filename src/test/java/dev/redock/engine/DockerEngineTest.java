package dev.redock.engine;

import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import dev.redock.model.ContainerInfo;
import dev.redock.model.ContainerSpec;
import dev.redock.model.ContainerState;
import dev.redock.model.ImageRef;
import dev.redock.model.Labels;
import dev.redock.model.PortBinding;
import dev.redock.model.RestartPolicy;
import dev.redock.model.VolumeBinding;
import dev.redock.testenv.DockerTest;
import dev.redock.testenv.TestEnv;
import dev.redock.testenv.TestImages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

@ExtendWith(DockerTest.class)
class DockerEngineTest {

    private static final Duration DEADLINE = Duration.ofSeconds(20);
    private static final Duration SHORT_UPTIME = Duration.ofMillis(500);

    private final DockerEngine engine = TestEnv.engine();
    private final List<String> made = new ArrayList<>();

    @AfterEach
    void removeContainers() throws EngineException {
        for (String id : made) {
            engine.remove(id);
        }
    }

    private String create(String image, ContainerSpec spec, Map<String, String> redockLabels) throws EngineException {
        String id = engine.create(TestEnv.uniqueName("engine"), image, spec, redockLabels);
        made.add(id);
        return id;
    }

    private String create(String image, ContainerSpec spec) throws EngineException {
        return create(image, spec, Map.of());
    }

    private static ContainerSpec ports(int hostPort) {
        return new ContainerSpec(List.of(new PortBinding("", hostPort, 80, "tcp")), null, null, null, null, null, null, null);
    }

    @Test
    void answersAPingAndSaysWhereItIs() throws EngineException {
        engine.ping();
        assertThat(engine.describeHost()).isEqualTo(TestEnv.dockerHost().toString());
        EngineVersion version = engine.version();
        assertThat(version.product()).isEqualTo("Docker");
        assertThat(version.version()).isNotBlank();
        assertThat(version.apiVersion()).matches("1\\.\\d+");
        assertThat(version).hasToString("Docker " + version.version() + " (API " + version.apiVersion() + ")");
    }

    @Test
    void saysWhichEngineIsUnreachable(@TempDir Path dir) {
        URI nowhere = URI.create("unix://" + dir.resolve("no-such.sock"));
        try (DockerEngine absent = DockerEngine.connect(EngineSettings.defaults().withHost(nowhere))) {
            assertThatThrownBy(absent::ping)
                    .isInstanceOf(EngineUnavailableException.class)
                    .hasMessageStartingWith("Docker engine at " + nowhere + " is unreachable: ");
        }
    }

    @Nested
    class CreatingAContainer {

        @Test
        void makesItExactlyAsTheSpecSays(@TempDir Path hostDir) throws Exception {
            Files.writeString(hostDir.resolve("note.txt"), "from the host");
            String volume = TestEnv.createVolume("engine-data");
            int port = TestImages.freePort();
            Map<String, String> env = new LinkedHashMap<>();
            env.put("ZETA", "last letter");
            env.put("ALPHA", "a=b=c");
            env.put("EMPTY", "");
            ContainerSpec spec = new ContainerSpec(
                    List.of(new PortBinding("127.0.0.1", port, 80, "tcp")),
                    env,
                    List.of(new VolumeBinding(hostDir.toString(), "/host", true), new VolumeBinding(volume, "/data", false)),
                    List.of(),
                    RestartPolicy.parse("on-failure:3"),
                    Map.of("team", "web", "tier", "front"),
                    List.of(),
                    3);
            String service = UUID.randomUUID().toString();

            String id = create(TestImages.webImage("exactly as said"), spec, Map.of(Labels.SERVICE, service));
            engine.start(id);

            assertThat(engine.awaitReady(id, DEADLINE, SHORT_UPTIME).ready()).isTrue();
            assertThat(TestImages.httpGet(port)).isEqualTo("exactly as said");
            ContainerInfo info = engine.inspect(id).orElseThrow();
            assertThat(info.name()).doesNotStartWith("/").startsWith("engine-");
            assertThat(info.state().running()).isTrue();
            assertThat(info.state().status()).isEqualTo("running");
            assertThat(info.state().health()).isNull();
            assertThat(info.labels()).containsEntry("team", "web").containsEntry("tier", "front")
                    .containsEntry(Labels.SERVICE, service).containsAllEntriesOf(TestEnv.runLabels());
            assertThat(info.ports()).containsExactly(new PortBinding("127.0.0.1", port, 80, "tcp"));
            assertThat(info.created()).isNotNull();
            assertThat(info.state().startedAt()).isAfterOrEqualTo(info.created());
            assertThat(EngineReadback.specOf(engine, id)).contains(spec);
        }

        @Test
        void runsItsCommandWithItsEnvironmentInOrder() throws Exception {
            Map<String, String> env = new LinkedHashMap<>();
            env.put("SECOND", "2");
            env.put("FIRST", "1");
            ContainerSpec spec = new ContainerSpec(null, env, null,
                    List.of("sh", "-c", "echo \"first=$FIRST second=$SECOND\"; env | grep -E '^(FIRST|SECOND)='; sleep 30"),
                    null, null, null, 1);

            String id = create(TestImages.webImage("command"), spec);
            engine.start(id);

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(engine.logTail(id, 10)).contains("first=1 second=2"));
            assertThat(EngineReadback.specOf(engine, id).orElseThrow().env())
                    .containsExactly(Map.entry("SECOND", "2"), Map.entry("FIRST", "1"));
            assertThat(EngineReadback.specOf(engine, id).orElseThrow().command()).isEqualTo(spec.command());
            assertThat(engine.logTail(id, 1)).hasSize(1);
        }

        @Test
        void joinsEveryNetworkOfTheSpec() throws Exception {
            String first = TestEnv.createNetwork("engine-front");
            String second = TestEnv.createNetwork("engine-back");
            ContainerSpec spec = new ContainerSpec(null, null, null, null, null, null, List.of(first, second), null);

            String id = create(TestImages.webImage("networks"), spec);

            assertThat(EngineReadback.specOf(engine, id).orElseThrow().networks()).containsExactlyInAnyOrder(first, second);
            assertThat(EngineReadback.specOf(engine, id).orElseThrow().networks().get(0)).isEqualTo(first);
        }

        @Test
        void refusesANameThatIsTaken() throws Exception {
            String name = TestEnv.uniqueName("engine-taken");
            made.add(engine.create(name, TestImages.webImage("first"), ContainerSpec.empty(), Map.of()));

            assertThatThrownBy(() -> made.add(engine.create(name, TestImages.webImage("second"), ContainerSpec.empty(), Map.of())))
                    .isInstanceOf(NameConflictException.class)
                    .hasMessage("a container named \"" + name + "\" already exists");
        }

        @Test
        void refusesToRenameOntoATakenName() throws Exception {
            String taken = TestEnv.uniqueName("engine-taken");
            made.add(engine.create(taken, TestImages.webImage("first"), ContainerSpec.empty(), Map.of()));
            String other = create(TestImages.webImage("first"), ContainerSpec.empty());

            assertThatThrownBy(() -> engine.rename(other, taken)).isInstanceOf(NameConflictException.class);
            String free = TestEnv.uniqueName("engine-free");
            engine.rename(other, free);
            assertThat(engine.inspect(free)).map(ContainerInfo::id).contains(other);
        }

        @Test
        void saysWhenTheImageIsMissing() {
            assertThatThrownBy(() -> create("redock-test/no-such-image:" + TestEnv.runId(), ContainerSpec.empty()))
                    .isInstanceOf(ImageNotFoundException.class)
                    .hasMessageContaining("is not on the engine");
        }
    }

    @Nested
    class StartingOnATakenPort {

        @Test
        void failsWithTheHostPortWhenAnotherContainerHasIt() throws Exception {
            int port = TestImages.freePort();
            String first = create(TestImages.webImage("first"), ports(port));
            engine.start(first);
            String second = create(TestImages.webImage("second"), ports(port));

            assertThatThrownBy(() -> engine.start(second))
                    .isInstanceOf(PortInUseException.class)
                    .hasMessage("host port " + port + " is already in use");
            assertLeftCreatedAndRemovable(second);
        }

        @Test
        void failsWithTheHostPortWhenAnotherProcessHasIt() throws Exception {
            try (ServerSocket taken = new ServerSocket(0)) {
                int port = taken.getLocalPort();
                String id = create(TestImages.webImage("blocked"), ports(port));

                assertThatThrownBy(() -> engine.start(id))
                        .isInstanceOf(PortInUseException.class)
                        .hasMessage("host port " + port + " is already in use");
                assertLeftCreatedAndRemovable(id);
            }
        }

        private void assertLeftCreatedAndRemovable(String id) throws EngineException {
            assertThat(engine.inspect(id)).map(c -> c.state().running()).contains(false);
            assertThat(engine.remove(id)).isTrue();
            assertThat(engine.inspect(id)).isEmpty();
            assertThat(engine.remove(id)).isFalse();
        }
    }

    @Nested
    class AwaitingReadiness {

        @Test
        void isReadyWhenAWebServerStaysUp() throws Exception {
            String id = create(TestImages.webImage("ready"), ContainerSpec.empty());
            engine.start(id);

            ReadyResult result = engine.awaitReady(id, DEADLINE, Duration.ofSeconds(1));

            assertThat(result.ready()).as(result.reason()).isTrue();
            assertThat(result.waited()).as("it waited for the minimum uptime").isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        }

        @Test
        void waitsForAHealthCheckToPass() throws Exception {
            String id = create(TestImages.healthyWebImage("healthy"), ContainerSpec.empty());
            engine.start(id);

            ReadyResult result = engine.awaitReady(id, DEADLINE, SHORT_UPTIME);

            assertThat(result.ready()).as(result.reason()).isTrue();
            assertThat(result.last().state().health()).isEqualTo("healthy");
            assertThat(EngineReadback.image(engine, TestImages.healthyWebImage("healthy")).orElseThrow().healthcheck()).isTrue();
        }

        @Test
        void failsAtOnceWhenTheProcessExits() throws Exception {
            String id = create(TestImages.crashingImage(), ContainerSpec.empty());
            engine.start(id);

            ReadyResult result = engine.awaitReady(id, DEADLINE, Duration.ofSeconds(5));

            assertThat(result.ready()).isFalse();
            assertThat(result.reason()).isEqualTo("exited with code 1");
            assertThat(result.waited()).as("long before the deadline").isLessThan(DEADLINE.dividedBy(2));
            assertThat(engine.logTail(id, 5)).containsExactly("crashing on purpose");
        }

        @Test
        void failsAtOnceWhenTheEngineKeepsRestartingIt() throws Exception {
            ContainerSpec always = new ContainerSpec(null, null, null, null, RestartPolicy.parse("always"), null, null, null);
            String id = create(TestImages.crashingImage(), always);
            engine.start(id);

            ReadyResult result = engine.awaitReady(id, DEADLINE, Duration.ofSeconds(5));

            assertThat(result.ready()).isFalse();
            assertThat(result.reason()).startsWith("exited with code 1");
            assertThat(result.waited()).as("long before the deadline").isLessThan(DEADLINE.dividedBy(2));
        }

        @Test
        void failsWhenTheHealthCheckFails() throws Exception {
            String id = create(TestImages.unhealthyImage("unhealthy"), ContainerSpec.empty());
            engine.start(id);

            ReadyResult result = engine.awaitReady(id, DEADLINE, SHORT_UPTIME);

            assertThat(result.ready()).isFalse();
            // The reason says it is the check's own output, not the deadline, that ended the wait.
            assertThat(result.reason()).isEqualTo("unhealthy: health check failed on purpose");
        }

        @Test
        void givesUpAtTheDeadline() throws Exception {
            String id = create(TestImages.webImage("never started"), ContainerSpec.empty());

            ReadyResult result = engine.awaitReady(id, Duration.ofSeconds(1), SHORT_UPTIME);

            assertThat(result.ready()).isFalse();
            assertThat(result.reason()).isEqualTo("not running after 1 s (created)");
        }
    }

    @Nested
    class Stopping {

        @Test
        void waitsNoLongerThanTheContainersOwnStopTimeout() throws Exception {
            ContainerSpec twoSeconds = new ContainerSpec(null, null, null, null, null, null, null, 2);
            String id = create(TestImages.stubbornWebImage("stubborn"), twoSeconds);
            engine.start(id);
            assertThat(engine.awaitReady(id, DEADLINE, Duration.ZERO).ready()).isTrue();

            long begin = System.nanoTime();
            engine.stop(id);
            Duration took = Duration.ofNanos(System.nanoTime() - begin);

            assertThat(took).isBetween(Duration.ofMillis(1800), Duration.ofSeconds(8));
            ContainerState state = engine.inspect(id).orElseThrow().state();
            assertThat(state.running()).isFalse();
            assertThat(state.exitCode()).isEqualTo(137); // killed after the timeout
        }

        @Test
        void isQuickForAProcessThatEndsOnSigterm() throws Exception {
            String id = create(TestImages.webImage("polite"), ContainerSpec.empty());
            engine.start(id);
            assertThat(engine.awaitReady(id, DEADLINE, Duration.ZERO).ready()).isTrue();

            long begin = System.nanoTime();
            engine.stop(id);
            engine.stop(id); // stopping a stopped container is fine

            assertThat(Duration.ofNanos(System.nanoTime() - begin)).as("well within the 10 s a stop waits for a process that stays")
                    .isLessThan(Duration.ofSeconds(8));
            assertThat(engine.inspect(id).orElseThrow().state().exitCode()).isZero();
        }

        @Test
        void saysWhenTheContainerIsGone() {
            assertThatThrownBy(() -> engine.stop("redock-no-such-container-" + TestEnv.runId()))
                    .isInstanceOf(ContainerNotFoundException.class);
        }

        @Test
        void aRestartPolicyTurnedOffIsOffOnTheEngine() throws Exception {
            ContainerSpec always = new ContainerSpec(null, null, null, null, RestartPolicy.parse("always"), null, null, null);
            String id = create(TestImages.webImage("aside"), always);
            engine.start(id);

            // What a redeploy does to the container it sets aside, so that an engine restart does not start it again.
            assertThat(engine.setRestartPolicy(id, RestartPolicy.NO)).isTrue();
            assertThat(engine.restartPolicy(id)).contains(RestartPolicy.NO);
            assertThat(TestEnv.docker().inspectContainerCmd(id).exec().getHostConfig().getRestartPolicy().getName())
                    .as("the policy's name as the engine keeps it").isEqualTo("no");

            assertThat(engine.setRestartPolicy(id, RestartPolicy.parse("on-failure:3"))).isTrue();
            assertThat(engine.restartPolicy(id)).contains(RestartPolicy.parse("on-failure:3"));
        }
    }

    @Nested
    class Images {

        @Test
        void pullsByDigestFromTheRegistry() throws Exception {
            String content = "pulled " + UUID.randomUUID();
            String local = TestImages.custom("pull", content, "CMD [\"httpd\", \"-f\", \"-p\", \"80\", \"-h\", \"/www\"]");
            String repository = TestEnv.registry() + "/engine-test/pull";
            String digest = TestImages.push(local, repository + ":v1");
            String imageId = EngineReadback.image(engine, local).orElseThrow().id();
            TestEnv.docker().removeImageCmd(imageId).withForce(true).exec(); // so that the pull really fetches it
            List<String> statuses = new CopyOnWriteArrayList<>();

            ImageInfo pulled = engine.pull(repository + "@" + digest, null, Duration.ofSeconds(60),
                    (layer, status, current, total) -> statuses.add(status));

            assertThat(pulled.id()).isEqualTo(imageId);
            assertThat(pulled.repoDigests()).contains(repository + "@" + digest);
            assertThat(pulled.labels()).containsAllEntriesOf(TestEnv.runLabels());
            assertThat(statuses).anyMatch(s -> s.startsWith("Pull complete") || s.startsWith("Digest") || s.startsWith("Status"));

            engine.tag(repository + "@" + digest, ImageRef.parse(repository + ":current"));
            assertThat(EngineReadback.image(engine, repository + ":current")).map(ImageInfo::id).contains(imageId);
        }

        @Test
        void saysWhenTheRegistryHasNoSuchTag() {
            assertThatThrownBy(() -> engine.pull(TestEnv.registry() + "/engine-test/absent:nope", null, Duration.ofSeconds(30), null))
                    .isInstanceOf(ImageNotFoundException.class);
        }

        @Test
        void knowsNothingOfAnImageItDoesNotHave() throws EngineException {
            assertThat(EngineReadback.image(engine, "redock-test/no-such-image:" + TestEnv.runId())).isEmpty();
        }
    }

    @Nested
    class Listing {

        @Test
        void findsContainersByLabelInAnyState() throws Exception {
            String service = UUID.randomUUID().toString();
            String running = create(TestImages.webImage("listed"), ContainerSpec.empty(), Map.of(Labels.SERVICE, service));
            engine.start(running);
            String created = create(TestImages.webImage("listed"), ContainerSpec.empty(), Map.of(Labels.SERVICE, service));
            create(TestImages.webImage("listed"), ContainerSpec.empty(), Map.of(Labels.SERVICE, UUID.randomUUID().toString()));

            assertThat(engine.listByLabel(Labels.SERVICE, service)).extracting(ContainerInfo::id)
                    .containsExactlyInAnyOrder(running, created);
            assertThat(engine.listByLabel(Labels.SERVICE, null)).extracting(ContainerInfo::id)
                    .contains(running, created).hasSizeGreaterThanOrEqualTo(3);
        }

        @Test
        void givesTheStatusOfAContainerThatDoesNotRunAsItsInspectionDoes() throws Exception {
            Map<String, String> label = Map.of(Labels.SERVICE, UUID.randomUUID().toString());
            String exited = create(TestImages.crashingImage(), ContainerSpec.empty(), label);
            engine.start(exited);
            String unhealthy = create(TestImages.unhealthyImage("listed-unhealthy"), ContainerSpec.empty(), label);
            engine.start(unhealthy);
            String created = create(TestImages.webImage("listed"), ContainerSpec.empty(), label);
            // Adopted: without Redock's label, found by its id.
            String unlabelled = create(TestImages.crashingImage(), ContainerSpec.empty());
            engine.start(unlabelled);
            await().atMost(DEADLINE).until(() -> engine.inspect(exited).orElseThrow().state().exited()
                    && engine.inspect(unlabelled).orElseThrow().state().exited()
                    && "unhealthy".equals(engine.inspect(unhealthy).orElseThrow().state().health()));
            engine.stop(unhealthy);

            List<ContainerInfo> listed = engine.statuses(Labels.SERVICE, List.of(unlabelled));

            for (String id : List.of(exited, unhealthy, created, unlabelled)) {
                assertThat(listed).filteredOn(c -> c.id().equals(id)).as(id)
                        .containsExactly(engine.inspect(id).orElseThrow());
            }
            assertThat(engine.inspect(unhealthy).orElseThrow().state().healthOutput())
                    .isEqualTo("health check failed on purpose");
        }

        @Test
        void readsAnInspectionAsJsonAsDockerJavasModelOfIt() throws Exception {
            int port = TestImages.freePort();
            String running = create(TestImages.webImage("inspected"), ports(port), Map.of(Labels.SERVICE, "inspected"));
            engine.start(running);
            Containers containers = new Containers(engine.context());
            var client = (com.github.dockerjava.core.DockerClientImpl) engine.context().client();

            ContainerInfo read = containers.inspected(client, running).orElseThrow();

            assertThat(read).isEqualTo(engine.inspect(running).orElseThrow());
            assertThat(read.ports()).extracting(PortBinding::hostPort).contains(port);
            assertThat(read.state().startedAt()).isNotNull();
            assertThat(containers.inspected(client, "redock-no-such-container-" + TestEnv.runId())).isEmpty();
        }

        @Test
        void findsNothingOfAContainerThatIsGone() throws EngineException {
            assertThat(engine.inspect("redock-no-such-container-" + TestEnv.runId())).isEmpty();
        }
    }
}
