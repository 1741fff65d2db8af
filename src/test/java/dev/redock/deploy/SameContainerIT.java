package dev.redock.deploy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import dev.redock.app.Redock;
import dev.redock.engine.DockerEngine;
import dev.redock.model.ContainerSpec;
import dev.redock.model.DeployResult;
import dev.redock.model.ImageRef;
import dev.redock.model.Outcome;
import dev.redock.model.Service;
import dev.redock.model.Labels;
import dev.redock.model.PortBinding;
import dev.redock.model.RestartPolicy;
import dev.redock.model.VolumeBinding;
import dev.redock.service.AdoptRequest;
import dev.redock.service.LaunchRequest;
import dev.redock.testenv.DockerCli;
import dev.redock.testenv.DockerTest;
import dev.redock.testenv.Redocks;
import dev.redock.testenv.TestEnv;
import dev.redock.testenv.TestImages;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A redeploy changes the image and nothing else: the container made on the new image has every setting the engine reports
 * for the old one ({@code docker inspect}, field by field), keeps the data of its anonymous volumes, and takes the new
 * image's own defaults where the user set none.
 */
@ExtendWith(DockerTest.class)
class SameContainerIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration READY = Duration.ofSeconds(60);
    private static final Duration UPTIME = Duration.ofMillis(500);
    private static final String SERVE_80 = "CMD [\"sh\", \"-c\", \"trap 'exit 0' TERM; httpd -f -p 80 -h /www & wait\"]";

    private final DockerEngine engine = TestEnv.engine();
    private final List<String> made = new ArrayList<>();
    private DockerCli docker;
    private Redock redock;

    @TempDir
    Path dir;

    @BeforeEach
    void cli() {
        docker = DockerCli.on(dir.resolve("docker-config"));
    }

    @BeforeEach
    void open() {
        redock = Redocks.open(dir.resolve("data"));
    }

    @AfterEach
    void removeContainers() {
        redock.close();
        made.forEach(TestEnv::removeWithAnonymousVolumes);
    }

    @Test
    void aContainerTheCliMadeIsAdoptedThenRedeployedWithEveryOptionItWasGiven() throws Exception {
        String oldImage = TestImages.custom("same-cli-old", "old page", "ENV COLOR=old KEEP=same", "VOLUME /cache", "EXPOSE 9000");
        String newImage = TestImages.custom("same-cli-new", "new page", "ENV COLOR=new KEEP=same", "VOLUME /cache", "EXPOSE 9000");
        String repo = TestEnv.uniqueName("it/same-cli");
        TestImages.push(oldImage, repo + ":stable");
        String tag = TestEnv.registry() + "/" + repo + ":stable";
        String[] subnet = new String[1];
        String front = networkWithSubnet(subnet);
        String back = TestEnv.createNetwork("same-back");
        String volume = TestEnv.createVolume("same-named");
        String more = TestEnv.createVolume("same-more");
        Path hostDir = Files.createDirectories(dir.resolve("host"));
        Files.writeString(hostDir.resolve("note.txt"), "from the host");
        int port = TestImages.freePort();
        String staticIp = subnet[0] + ".10";

        String name = TestEnv.uniqueName("same-cli");
        String oldId = docker.run("run", "-d", "--name", name, "-l", TestEnv.RUN_LABEL + "=" + TestEnv.runId(), "-l", "team=web",
                "--network", front, "--network-alias", "web-alias", "--ip", staticIp,
                "--mac-address", "02:42:0a:0b:0c:0d", "--hostname", "web-host", "--domainname", "example.test",
                "-v", "/data", "-v", volume + ":/named:nocopy", "--tmpfs", "/scratch:size=1m", "-v", hostDir + ":/host:ro",
                "--mount", "type=volume,src=" + more + ",dst=/more,volume-nocopy", "--device", "/dev/zero:/dev/myzero",
                "--read-only", "-t", "--expose", "7000", "--restart", "on-failure:2", "--stop-timeout", "5",
                "--cpu-shares", "512", "--cpus", "1", "--oom-score-adj", "100",
                "--user", "1000:1000", "--workdir", "/www", "--entrypoint", "sh",
                "--health-cmd", "wget -q -O /dev/null http://127.0.0.1:8080/", "--health-interval", "1s",
                "--memory", "64m", "--pids-limit", "100", "--cap-drop", "ALL", "--cap-add", "NET_BIND_SERVICE",
                "--add-host", "db.example:10.1.2.3", "--log-opt", "max-size=1m", "-e", "A=1", "-e", "B=two words",
                "-p", "127.0.0.1:" + port + ":8080/tcp", "--init", "--sysctl", "net.ipv4.ip_forward=1",
                "--ulimit", "nofile=1024:2048", "--stop-signal", "SIGINT", "--dns", "9.9.9.9",
                "--security-opt", "no-new-privileges", "--shm-size", "16m",
                tag, "-c", "trap 'exit 0' INT TERM; httpd -f -p 8080 -h /www & wait").strip();
        made.add(oldId);
        docker.run("network", "connect", "--alias", "back-alias", back, oldId);
        docker.run("exec", "-u", "0", oldId, "sh", "-c", "echo kept > /data/note");
        assertThat(engine.awaitReady(oldId, READY, UPTIME).ready()).isTrue();

        JsonNode before = inspect("container", oldId);
        Service adopted = redock.services().adoptions().adopt(AdoptRequest.container(null, name, false)).get(0);
        assertThat(adopted.spec()).as("the settings the forms edit, as adopting reads them")
                .isEqualTo(AdoptedSpecs.of(before, inspect("image", oldImage)));
        assertThat(inspect("container", name).path("State").path("StartedAt")).as("adopting restarts nothing")
                .isEqualTo(before.path("State").path("StartedAt"));

        TestImages.push(newImage, repo + ":stable");
        DeployResult redeployed = redock.services().redeploy(name);
        assertThat(redeployed.deployment().outcome()).as(redeployed.message()).isEqualTo(Outcome.SUCCEEDED);
        JsonNode after = inspect("container", name);
        String newId = after.path("Id").asText();
        made.add(newId);
        assertThat(newId).isNotEqualTo(oldId);

        assertThat(differences(before, after)).as("what the recreation changed besides the image").isEmpty();
        assertThat(after.path("NetworkSettings").path("Networks").path(front).path("IPAddress").asText()).isEqualTo(staticIp);
        assertThat(TestImages.exec(newId, "cat", "/data/note")).as("the anonymous volume, mounted again").isEqualTo("kept\n");
        assertThat(TestImages.exec(newId, "cat", "/host/note.txt")).isEqualTo("from the host");
        assertThat(env(after)).as("the new image's ENV, which the user did not set").contains("COLOR=new", "KEEP=same", "A=1");
        assertThat(TestImages.httpGet(port)).isEqualTo("new page");
    }

    @Test
    void aServiceRedockLaunchedWithEveryOptionOfItsFormsIsRedeployedWithEverySetting() throws Exception {
        String oldImage = TestImages.custom("same-redock-old", "old two", "ENV COLOR=old", "VOLUME /data", SERVE_80);
        String newImage = TestImages.custom("same-redock-new", "new two", "ENV COLOR=new", "VOLUME /data", SERVE_80);
        String repo = TestEnv.uniqueName("it/same-redock");
        TestImages.push(oldImage, repo + ":stable");
        Path hostDir = Files.createDirectories(dir.resolve("host"));
        Files.writeString(hostDir.resolve("note.txt"), "from the host");
        int port = TestImages.freePort();
        Map<String, String> env = new LinkedHashMap<>();
        env.put("A", "1");
        env.put("B", "x=y");
        ContainerSpec spec = new ContainerSpec(
                List.of(new PortBinding("127.0.0.1", port, 80, "tcp")),
                env,
                List.of(new VolumeBinding(TestEnv.createVolume("same-named"), "/named", false),
                        new VolumeBinding(hostDir.toString(), "/host", true)),
                List.of("sh", "-c", "trap 'exit 0' TERM INT; httpd -f -p 80 -h /www & wait"),
                RestartPolicy.parse("on-failure:3"),
                Map.of("team", "web"),
                List.of(TestEnv.createNetwork("same-a"), TestEnv.createNetwork("same-b")),
                7);
        String name = TestEnv.uniqueName("same-redock");
        Service launched = redock.services().launch(new LaunchRequest(name,
                ImageRef.parse(TestEnv.registry() + "/" + repo + ":stable"), spec, false), null);
        String oldId = redock.services().container(launched).orElseThrow().id();
        made.add(oldId);
        TestImages.exec(oldId, "sh", "-c", "echo kept > /data/note");

        JsonNode before = inspect("container", oldId);
        assertThat(AdoptedSpecs.of(before, inspect("image", oldImage))).as("the spec, read back").isEqualTo(spec);
        TestImages.push(newImage, repo + ":stable");
        DeployResult redeployed = redock.services().redeploy(name);
        assertThat(redeployed.deployment().outcome()).as(redeployed.message()).isEqualTo(Outcome.SUCCEEDED);
        JsonNode after = inspect("container", name);
        String newId = after.path("Id").asText();
        made.add(newId);

        assertThat(differences(before, after)).as("what the recreation changed besides the image").isEmpty();
        assertThat(TestImages.exec(newId, "cat", "/data/note")).as("the image's VOLUME, mounted again").isEqualTo("kept\n");
        assertThat(env(after)).contains("COLOR=new");
        assertThat(TestImages.httpGet(port)).isEqualTo("new two");
    }

    @Test
    void letsTheNewImagesOwnDefaultsTakeEffectWhereTheUserSetNone() throws Exception {
        String oldImage = TestImages.custom("same-defaults-old", "old", "ENV COLOR=old", "LABEL flavour=old", "WORKDIR /www",
                "STOPSIGNAL SIGTERM", "EXPOSE 80", "HEALTHCHECK --interval=5s CMD [\"true\"]", SERVE_80);
        String newImage = TestImages.custom("same-defaults-new", "new", "ENV COLOR=new", "LABEL flavour=new", "WORKDIR /",
                "STOPSIGNAL SIGINT", "EXPOSE 81", "HEALTHCHECK --interval=7s CMD [\"sh\", \"-c\", \"true\"]", "USER 0:0",
                "CMD [\"sh\", \"-c\", \"trap 'exit 0' TERM INT; httpd -f -p 81 -h /www & wait\"]");
        ContainerSpec spec = new ContainerSpec(List.of(new PortBinding("127.0.0.1", TestImages.freePort(), 80, "tcp")),
                Map.of("A", "1"), null, null, null, null, null, null);
        String oldId = engine.create(TestEnv.uniqueName("same-defaults"), oldImage, spec, Map.of());
        made.add(oldId);

        String newId = engine.recreate(TestEnv.uniqueName("same-defaults-next"), newImage, spec, Map.of(), oldId);
        made.add(newId);

        JsonNode config = inspect("container", newId).path("Config");
        JsonNode imageConfig = inspect("image", newImage).path("Config");
        for (String field : List.of("Cmd", "Entrypoint", "WorkingDir", "User", "StopSignal", "Healthcheck")) {
            assertThat(config.path(field)).as(field).isEqualTo(imageConfig.path(field));
        }
        assertThat(env(inspect("container", newId))).contains("A=1", "COLOR=new").doesNotContain("COLOR=old");
        assertThat(config.path("Labels").path("flavour").asText()).isEqualTo("new");
        assertThat(fieldNames(config.path("ExposedPorts"))).containsExactlyInAnyOrder("80/tcp", "81/tcp");
    }

    /**
     * Where two inspections differ in Config, HostConfig, Mounts and the networks' settings, leaving out what has to differ:
     * the image, the ids (the engine's host name, the short id among the aliases), the new image's COLOR, and the old
     * container's anonymous volumes, which the new one mounts by name (in its HostConfig.Mounts, and with the relabelling
     * mode the engine reports for a volume mounted by name).
     */
    private static List<String> differences(JsonNode before, JsonNode after) {
        Set<String> anonymous = new java.util.HashSet<>();
        before.path("Mounts").forEach(m -> {
            if (m.path("Name").asText("").matches("[0-9a-f]{64}")) {
                anonymous.add(m.path("Name").asText());
            }
        });
        List<String> found = new ArrayList<>();
        ObjectNode[] configs = {settled(before, anonymous), settled(after, anonymous)};
        for (String part : List.of("Config", "HostConfig", "Mounts", "Networks")) {
            found.addAll(JsonDifferences.between(part, configs[0].get(part), configs[1].get(part)));
        }
        return found;
    }

    private static ObjectNode settled(JsonNode inspection, Set<String> anonymous) {
        String shortId = inspection.path("Id").asText().substring(0, 12);
        ObjectNode config = (ObjectNode) inspection.path("Config").deepCopy();
        config.remove("Image");
        // Redock's own labels name the service and the version it runs: an adopted container gets them at its first
        // redeploy, and the digest is the new one.
        if (config.path("Labels").isObject()) {
            Labels.RESERVED.forEach(((ObjectNode) config.path("Labels"))::remove);
        }
        if (config.path("Hostname").asText().equals(shortId)) {
            config.remove("Hostname");
        }
        ArrayNode env = config.putArray("Env");
        inspection.path("Config").path("Env").forEach(e -> {
            if (!e.asText().startsWith("COLOR=")) {
                env.add(e);
            }
        });
        ObjectNode host = (ObjectNode) inspection.path("HostConfig").deepCopy();
        ArrayNode mounts = JSON.createArrayNode();
        host.path("Mounts").forEach(m -> {
            if (!anonymous.contains(m.path("Source").asText())) {
                mounts.add(m);
            }
        });
        host.set("Mounts", mounts.isEmpty() ? JSON.nullNode() : mounts);
        List<JsonNode> actual = new ArrayList<>();
        for (JsonNode m : inspection.path("Mounts")) {
            ObjectNode mount = m.deepCopy();
            if (anonymous.contains(mount.path("Name").asText())) {
                // The engine reports the default SELinux relabelling ("z") for a volume mounted by name and none for one
                // it made itself: the same volume at the same place, relabelled only where SELinux runs.
                mount.remove("Mode");
            }
            actual.add(mount);
        }
        actual.sort(Comparator.comparing(m -> m.path("Destination").asText()));
        ObjectNode networks = JSON.createObjectNode();
        inspection.path("NetworkSettings").path("Networks").fields().forEachRemaining(e -> {
            ObjectNode n = networks.putObject(e.getKey());
            ArrayNode aliases = n.putArray("Aliases");
            e.getValue().path("Aliases").forEach(a -> {
                if (!a.asText().equals(shortId)) {
                    aliases.add(a);
                }
            });
            n.set("IPAMConfig", e.getValue().path("IPAMConfig"));
            n.set("MacAddress", e.getValue().path("MacAddress"));
        });
        ObjectNode settled = JSON.createObjectNode();
        settled.set("Config", config);
        settled.set("HostConfig", host);
        settled.set("Mounts", JSON.valueToTree(actual));
        settled.set("Networks", networks);
        return settled;
    }

    private JsonNode inspect(String type, String idOrName) throws Exception {
        return JSON.readTree(docker.run("inspect", "--type", type, idOrName)).get(0);
    }

    private static List<String> env(JsonNode inspection) {
        List<String> env = new ArrayList<>();
        inspection.path("Config").path("Env").forEach(e -> env.add(e.asText()));
        return env;
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** A bridge network with a subnet of its own (for a static address), labelled for this run; its prefix goes in {@code subnet[0]}. */
    private String networkWithSubnet(String[] subnet) {
        String name = TestEnv.uniqueName("same-front");
        IllegalStateException last = null;
        for (int attempt = 0; attempt < 8; attempt++) {
            String prefix = "10." + (200 + ThreadLocalRandom.current().nextInt(50)) + "." + ThreadLocalRandom.current().nextInt(256);
            try {
                docker.run("network", "create", "--label", TestEnv.RUN_LABEL + "=" + TestEnv.runId(), "--subnet", prefix + ".0/24", name);
                subnet[0] = prefix;
                return name;
            } catch (IllegalStateException e) {
                last = e; // another network has that subnet: another one
            }
        }
        throw last;
    }
}
