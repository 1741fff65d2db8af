package dev.redock.deploy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import dev.redock.model.ContainerSpec;
import dev.redock.model.Labels;
import dev.redock.model.PortBinding;
import dev.redock.model.RestartPolicy;
import dev.redock.model.VolumeBinding;

/**
 * For the tests: the {@link ContainerSpec} a container already has, read from {@code docker inspect} and its image's, as
 * adopting a container that Redock did not make would read it. Only what the spec can say; what came from the image
 * (its ENV, LABELs, CMD) is left out, as it is not the user's.
 */
final class AdoptedSpecs {

    private AdoptedSpecs() {
    }

    static ContainerSpec of(JsonNode container, JsonNode image) {
        JsonNode config = container.path("Config");
        JsonNode host = container.path("HostConfig");
        JsonNode imageConfig = image.path("Config");

        List<PortBinding> ports = new ArrayList<>();
        host.path("PortBindings").fields().forEachRemaining(e -> {
            String[] port = e.getKey().split("/");
            for (JsonNode b : e.getValue()) {
                ports.add(new PortBinding(b.path("HostIp").asText(""), b.path("HostPort").asInt(),
                        Integer.parseInt(port[0]), port[1]));
            }
        });
        List<String> imageEnv = new ArrayList<>();
        imageConfig.path("Env").forEach(e -> imageEnv.add(e.asText()));
        Map<String, String> env = new LinkedHashMap<>();
        for (JsonNode e : config.path("Env")) {
            if (!imageEnv.contains(e.asText())) {
                Map.Entry<String, String> kv = ContainerSpec.parseKeyValue("env", e.asText());
                env.put(kv.getKey(), kv.getValue());
            }
        }
        List<VolumeBinding> volumes = new ArrayList<>();
        for (JsonNode b : host.path("Binds")) {
            String[] parts = b.asText().split(":", 3);
            volumes.add(new VolumeBinding(parts[0], parts[1], parts.length == 3 && List.of(parts[2].split(",")).contains("ro")));
        }
        for (JsonNode m : host.path("Mounts")) {
            if (List.of("bind", "volume").contains(m.path("Type").asText()) && !m.path("Source").asText("").isEmpty()) {
                volumes.add(new VolumeBinding(m.path("Source").asText(), m.path("Target").asText(), m.path("ReadOnly").asBoolean()));
            }
        }
        List<String> command = new ArrayList<>();
        if (!config.path("Cmd").equals(imageConfig.path("Cmd")) || !config.path("Entrypoint").equals(imageConfig.path("Entrypoint"))) {
            config.path("Cmd").forEach(c -> command.add(c.asText()));
        }
        JsonNode restart = host.path("RestartPolicy");
        String restartName = restart.path("Name").asText("");
        Map<String, String> labels = new LinkedHashMap<>();
        config.path("Labels").fields().forEachRemaining(e -> {
            if (!e.getValue().equals(imageConfig.path("Labels").path(e.getKey())) && !Labels.RESERVED.contains(e.getKey())) {
                labels.put(e.getKey(), e.getValue().asText());
            }
        });
        List<String> networks = new ArrayList<>();
        String mode = host.path("NetworkMode").asText("");
        if (!List.of("", "default", "bridge", "host", "none").contains(mode) && !mode.startsWith("container:")) {
            networks.add(mode);
            container.path("NetworkSettings").path("Networks").fieldNames().forEachRemaining(n -> {
                if (!n.equals(mode)) {
                    networks.add(n);
                }
            });
        }
        Integer stopTimeout = config.path("StopTimeout").isInt() ? config.path("StopTimeout").asInt() : null;
        return new ContainerSpec(ports, env, volumes, command,
                restartName.isEmpty() ? RestartPolicy.NO : new RestartPolicy(restartName, restart.path("MaximumRetryCount").asInt()),
                labels, networks, stopTimeout);
    }
}
