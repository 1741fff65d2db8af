package dev.redock.engine;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.redock.model.ContainerSpec;
import dev.redock.model.PortBinding;
import dev.redock.model.RestartPolicy;

/**
 * The engine's create request for a container that replaces another on a new image: every setting the engine reports for
 * the old container, whether Redock's spec speaks of it or not, so that a redeploy changes the image and nothing else the
 * user chose. It works on the engine's own JSON, so that settings docker-java's model does not know survive too.
 *
 * <p>Three sources, in this order of authority:
 * <ul>
 * <li>the {@link ContainerSpec}, for what it says: environment, labels, command, published ports, volumes, restart
 *     policy, stop timeout and networks (Redock's forms edit these, and an edit must take effect);</li>
 * <li>the old container, for everything else: user, entrypoint, health check, capabilities, limits, log options, DNS,
 *     tmpfs, devices, network aliases and addresses, and the rest;</li>
 * <li>nothing, where the old container only had what its image gave it: the old image's {@code CMD}, {@code ENTRYPOINT},
 *     {@code WORKDIR}, {@code USER}, {@code STOPSIGNAL}, {@code HEALTHCHECK}, {@code EXPOSE} and {@code VOLUME} are left
 *     for the new image to give anew, so that a new image's own changes take effect.</li>
 * </ul>
 * What cannot be recreated safely is refused with an {@link EngineException} rather than guessed at.
 */
final class ContainerBlueprint {

    /** {@code Config} fields that the engine fills from the image where the user gave none. */
    private static final List<String> FROM_THE_IMAGE = List.of(
            "Entrypoint", "WorkingDir", "User", "StopSignal", "Healthcheck", "Shell", "OnBuild", "ArgsEscaped");

    private final ObjectNode body;
    private final NetworkPlan networks;

    private ContainerBlueprint(ObjectNode body, NetworkPlan networks) {
        this.body = body;
        this.networks = networks;
    }

    /**
     * @param old      the old container, as {@code GET /containers/{id}/json} answers
     * @param oldImage the old container's image, as {@code GET /images/{id}/json} answers
     * @param image    the new image's reference or id
     * @param labels   all the new container's labels: the user's, and those Redock and the engine put beside them
     */
    static ContainerBlueprint of(JsonNode old, JsonNode oldImage, String image, ContainerSpec spec, Map<String, String> labels)
            throws EngineException {
        String name = old.path("Name").asText("").replaceFirst("^/", "");
        if (!old.path("Config").isObject() || !old.path("HostConfig").isObject()) {
            throw new EngineException("container " + name + " cannot be recreated: the engine does not describe its configuration");
        }
        if (old.path("HostConfig").path("AutoRemove").asBoolean(false)) {
            throw new EngineException("container " + name + " cannot be recreated: it was made to be removed as soon as it"
                    + " stops (docker run --rm), so it cannot be kept to fall back on while its replacement starts");
        }
        JsonNode imageConfig = oldImage.path("Config");
        ObjectNode body = config(old, imageConfig, image, spec, labels);
        ObjectNode host = (ObjectNode) old.path("HostConfig").deepCopy();
        NetworkPlan networks = new NetworkPlan(old, spec.networks());
        hostConfig(host, old, spec, networks);
        if (networks.sharesAContainersNetwork()) {
            // The engine gave it that container's host name at its start; a host name of its own is refused in that mode.
            body.remove(List.of("Hostname", "Domainname"));
        }
        body.set("HostConfig", host);
        body.set("NetworkingConfig", networks.networkingConfig());
        return new ContainerBlueprint(body, networks);
    }

    /** The body of {@code POST /containers/create}. */
    ObjectNode body() {
        return body.deepCopy();
    }

    /** The networks to join once the container exists, in the spec's order. */
    List<NetworkPlan.Join> joins() {
        return networks.joins();
    }

    private static ObjectNode config(JsonNode old, JsonNode imageConfig, String image, ContainerSpec spec,
                                     Map<String, String> labels) {
        ObjectNode config = (ObjectNode) old.path("Config").deepCopy();
        String id = old.path("Id").asText("");
        if (id.length() >= 12 && config.path("Hostname").asText().equals(id.substring(0, 12))) {
            config.remove("Hostname"); // the engine's own choice, the old id: the new one gets its own id
        }
        // Without an entrypoint of the user's the engine takes the image's CMD where the user gave none; with one, it
        // takes no CMD at all. A CMD without a user's entrypoint is only the image's, or the spec's.
        boolean ownEntrypoint = !same(config.get("Entrypoint"), imageConfig.get("Entrypoint"))
                || absent(config.get("Cmd")) && !absent(imageConfig.get("Cmd"));
        for (String field : FROM_THE_IMAGE) {
            if (same(config.get(field), imageConfig.get(field))) {
                config.remove(field);
            }
        }
        if (!spec.command().isEmpty()) {
            ArrayNode cmd = config.putArray("Cmd");
            spec.command().forEach(cmd::add);
        } else if (!ownEntrypoint) {
            config.remove("Cmd");
        }
        ArrayNode env = config.putArray("Env");
        spec.env().forEach((key, value) -> env.add(key + "=" + value));
        ObjectNode labelNode = config.putObject("Labels");
        labels.forEach(labelNode::put);
        config.set("ExposedPorts", exposedPorts(old, imageConfig, spec));
        config.set("Volumes", without(config.path("Volumes"), imageConfig.path("Volumes")));
        config.put("Image", image);
        if (spec.stopTimeoutSeconds() != null) {
            config.put("StopTimeout", spec.stopTimeoutSeconds());
        }
        return config;
    }

    /**
     * The old container's exposed ports that neither its image exposed nor its published ports brought (the user's
     * {@code --expose}), and the spec's published ports.
     */
    private static JsonNode exposedPorts(JsonNode old, JsonNode imageConfig, ContainerSpec spec) {
        Set<String> ports = new LinkedHashSet<>();
        old.path("Config").path("ExposedPorts").fieldNames().forEachRemaining(ports::add);
        imageConfig.path("ExposedPorts").fieldNames().forEachRemaining(ports::remove);
        old.path("HostConfig").path("PortBindings").fieldNames().forEachRemaining(ports::remove);
        spec.ports().forEach(p -> ports.add(portKey(p)));
        ObjectNode result = EngineJson.JSON.createObjectNode();
        ports.forEach(result::putObject);
        return result.isEmpty() ? EngineJson.JSON.nullNode() : result;
    }

    private static void hostConfig(ObjectNode host, JsonNode old, ContainerSpec spec, NetworkPlan networks) {
        ObjectNode bindings = EngineJson.JSON.createObjectNode();
        for (PortBinding p : spec.ports()) {
            if (!bindings.has(portKey(p))) {
                bindings.putArray(portKey(p));
            }
            ObjectNode binding = ((ArrayNode) bindings.get(portKey(p))).addObject();
            binding.put("HostIp", p.hostIp().replace("[", "").replace("]", ""));
            binding.put("HostPort", Integer.toString(p.hostPort()));
        }
        host.set("PortBindings", bindings);
        RestartPolicy restart = spec.restart();
        host.putObject("RestartPolicy").put("Name", restart.name()).put("MaximumRetryCount", restart.maxRetries());
        MountPlan mounts = new MountPlan(old.path("HostConfig"), old.path("Mounts"), spec.volumes());
        host.set("Binds", mounts.binds());
        host.set("Mounts", mounts.mounts());
        host.put("NetworkMode", networks.mode());
        host.set("Links", links(old.path("HostConfig").path("Links")));
    }

    /**
     * The engine reports a link as {@code /other:/this/alias} and takes it as {@code other:alias}; the old container's name
     * in it is not the new one's.
     */
    private static JsonNode links(JsonNode oldLinks) {
        if (!oldLinks.isArray() || oldLinks.isEmpty()) {
            return EngineJson.JSON.nullNode();
        }
        ArrayNode links = EngineJson.JSON.createArrayNode();
        for (JsonNode link : oldLinks) {
            String[] parts = link.asText().split(":", 2);
            String target = parts[0].replaceFirst("^/", "");
            String alias = parts.length == 2 ? parts[1].substring(parts[1].lastIndexOf('/') + 1) : target;
            links.add(target + ":" + alias);
        }
        return links;
    }

    private static String portKey(PortBinding p) {
        return p.containerPort() + "/" + p.protocol();
    }

    /** The entries of a JSON object ({@code Config.Volumes}) that the image's does not have; null when none are left. */
    private static JsonNode without(JsonNode entries, JsonNode imageEntries) {
        ObjectNode result = EngineJson.JSON.createObjectNode();
        entries.fields().forEachRemaining(e -> {
            if (!imageEntries.has(e.getKey())) {
                result.set(e.getKey(), e.getValue());
            }
        });
        return result.isEmpty() ? EngineJson.JSON.nullNode() : result;
    }

    /** Whether two settings are the same, "none" being one value however the engine writes it (absent, null, "", []). */
    static boolean same(JsonNode a, JsonNode b) {
        return absent(a) ? absent(b) : a.equals(b);
    }

    static boolean absent(JsonNode value) {
        return value == null || value.isNull() || value.isMissingNode()
                || value.isContainerNode() && value.isEmpty() || value.isTextual() && value.asText().isEmpty();
    }
}
