package dev.redock.engine;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import dev.redock.model.ContainerSpec;
import dev.redock.model.VolumeBinding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The rules of a recreation on the engine's own words, for the cases a real engine is slow or unable to show (SELinux
 * options, links, a shared network namespace, {@code --rm}); {@code SameContainerIT} shows the whole on a real engine.
 */
class ContainerBlueprintTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ID = "0123456789ab" + "c".repeat(52);

    private static ObjectNode container(String hostConfig) throws Exception {
        return (ObjectNode) JSON.readTree("""
                {"Id": "%s", "Name": "/web", "Image": "sha256:old",
                 "Config": {"Hostname": "0123456789ab", "Cmd": ["serve"], "Env": ["A=1"], "WorkingDir": "/srv",
                            "User": "", "Labels": {}},
                 "HostConfig": %s,
                 "Mounts": [],
                 "NetworkSettings": {"Networks": {}}}
                """.formatted(ID, hostConfig));
    }

    private static JsonNode image() throws Exception {
        return JSON.readTree("{\"Config\": {\"Cmd\": [\"serve\"], \"WorkingDir\": \"/srv\", \"Env\": [\"PATH=/bin\"]}}");
    }

    private static ContainerSpec volumes(VolumeBinding... volumes) {
        return new ContainerSpec(null, null, List.of(volumes), null, null, null, null, null);
    }

    @Test
    void keepsTheOldContainersOwnWordsForAVolumeTheSpecStillHas() throws Exception {
        ObjectNode old = container("""
                {"Binds": ["/srv/site:/site:ro,z", "data:/data:nocopy", "/gone:/gone"],
                 "Mounts": [{"Type": "volume", "Source": "cache", "Target": "/cache", "VolumeOptions": {"NoCopy": true}},
                            {"Type": "tmpfs", "Target": "/run", "TmpfsOptions": {"SizeBytes": 1024}}],
                 "Tmpfs": {"/tmp": "size=1m"}}""");
        ContainerSpec spec = volumes(new VolumeBinding("/srv/site", "/site", true), new VolumeBinding("data", "/data", false),
                new VolumeBinding("cache", "/cache", false), new VolumeBinding("/new", "/new", false));

        JsonNode host = ContainerBlueprint.of(old, image(), "web:2", spec, Map.of()).body().path("HostConfig");

        assertThat(host.path("Binds")).containsExactly(JSON.valueToTree("/srv/site:/site:ro,z"), JSON.valueToTree("data:/data:nocopy"),
                JSON.valueToTree("/new:/new"));
        assertThat(host.path("Mounts")).hasSize(2);
        assertThat(host.path("Mounts").get(0).path("VolumeOptions").path("NoCopy").asBoolean()).isTrue();
        assertThat(host.path("Mounts").get(1).path("Type").asText()).isEqualTo("tmpfs");
        assertThat(host.path("Tmpfs").path("/tmp").asText()).isEqualTo("size=1m");
    }

    @Test
    void leavesWhatTheEngineOrTheImageChoseToTheNewContainer() throws Exception {
        JsonNode config = ContainerBlueprint.of(container("{}"), image(), "web:2", ContainerSpec.empty(), Map.of()).body();

        assertThat(config.has("Hostname")).as("the old id as host name").isFalse();
        assertThat(config.has("Cmd")).isFalse();
        assertThat(config.has("WorkingDir")).isFalse();
        assertThat(config.path("Image").asText()).isEqualTo("web:2");
    }

    @Test
    void keepsTheOldCommandWhereTheUserGaveAnEntrypoint() throws Exception {
        ObjectNode old = container("{}");
        ((ObjectNode) old.path("Config")).set("Entrypoint", JSON.valueToTree(List.of("sh")));
        ((ObjectNode) old.path("Config")).set("Cmd", JSON.valueToTree(List.of("-c", "serve")));

        JsonNode config = ContainerBlueprint.of(old, image(), "web:2", ContainerSpec.empty(), Map.of()).body();

        assertThat(config.path("Entrypoint")).containsExactly(JSON.valueToTree("sh"));
        assertThat(config.path("Cmd")).containsExactly(JSON.valueToTree("-c"), JSON.valueToTree("serve"));
    }

    @Test
    void givesLinksInTheWordsTheEngineTakesThem() throws Exception {
        JsonNode host = ContainerBlueprint.of(container("{\"Links\": [\"/db:/web/database\"]}"), image(), "web:2",
                ContainerSpec.empty(), Map.of()).body().path("HostConfig");

        assertThat(host.path("Links")).containsExactly(JSON.valueToTree("db:database"));
    }

    @Test
    void leavesTheHostNameToTheContainerWhoseNetworkItShares() throws Exception {
        ObjectNode old = container("{\"NetworkMode\": \"container:proxy\"}");
        ((ObjectNode) old.path("Config")).put("Hostname", "proxy-host");

        JsonNode body = ContainerBlueprint.of(old, image(), "web:2", ContainerSpec.empty(), Map.of()).body();

        assertThat(body.has("Hostname")).isFalse();
        assertThat(body.path("HostConfig").path("NetworkMode").asText()).isEqualTo("container:proxy");
        assertThat(body.path("NetworkingConfig").isNull()).isTrue();
    }

    @Test
    void refusesAContainerTheEngineRemovesWhenItStops() throws Exception {
        assertThatThrownBy(() -> ContainerBlueprint.of(container("{\"AutoRemove\": true}"), image(), "web:2",
                ContainerSpec.empty(), Map.of()))
                .isInstanceOf(EngineException.class)
                .hasMessageContaining("container web cannot be recreated")
                .hasMessageContaining("--rm");
    }
}
