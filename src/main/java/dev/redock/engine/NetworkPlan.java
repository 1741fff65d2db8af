package dev.redock.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The networks of a recreated container, for {@link ContainerBlueprint}: the spec's networks, in its order, each with the
 * settings the old container had on it (aliases, static addresses, links, driver options), or the old container's built-in
 * network mode when the spec names none.
 *
 * <p>An engine before API 1.44 takes one network at creation, the one the network mode names; the others are joined
 * afterwards ({@link #joins()}). A configured MAC address is not carried per network: API 1.41 keeps it in
 * {@code Config.MacAddress}, which is carried with the rest of the configuration, and reports a MAC of its own making
 * on every network, which must not be frozen.
 */
final class NetworkPlan {

    /** A network the container joins after its creation, with its settings ({@code EndpointConfig}). */
    record Join(String network, ObjectNode endpoint) {
    }

    private static final Set<String> BUILT_IN = Set.of("bridge", "default", "host", "none");

    private final String mode;
    private final ObjectNode first;
    private final List<Join> joins = new ArrayList<>();

    /**
     * @param old      the old container as the engine describes it
     * @param networks the spec's networks; empty for the engine's default
     */
    NetworkPlan(JsonNode old, List<String> networks) {
        String oldMode = old.path("HostConfig").path("NetworkMode").asText("");
        JsonNode oldNetworks = old.path("NetworkSettings").path("Networks");
        String shortId = old.path("Id").asText("").substring(0, Math.min(12, old.path("Id").asText("").length()));
        if (networks.isEmpty()) {
            mode = builtIn(oldMode) ? oldMode : "bridge";
            first = mode.equals("bridge") || mode.equals("default") ? endpoint(oldNetworks.path("bridge"), shortId) : null;
        } else {
            mode = networks.get(0);
            first = endpoint(oldNetworks.path(mode), shortId);
            for (String network : networks.subList(1, networks.size())) {
                joins.add(new Join(network, endpoint(oldNetworks.path(network), shortId)));
            }
        }
    }

    static boolean builtIn(String networkMode) {
        return networkMode.isEmpty() || BUILT_IN.contains(networkMode) || networkMode.startsWith("container:");
    }

    /** {@code HostConfig.NetworkMode}. */
    String mode() {
        return mode;
    }

    /** Whether the network mode shares another container's network, and so its host name too. */
    boolean sharesAContainersNetwork() {
        return mode.startsWith("container:");
    }

    /** {@code NetworkingConfig} for the creation: the network mode's network and its settings; null for none. */
    JsonNode networkingConfig() {
        if (first == null) {
            return EngineJson.JSON.nullNode();
        }
        ObjectNode config = EngineJson.JSON.createObjectNode();
        config.putObject("EndpointsConfig").set(mode.equals("default") ? "bridge" : mode, first);
        return config;
    }

    /** The networks to join once the container exists, in the spec's order. */
    List<Join> joins() {
        return List.copyOf(joins);
    }

    /**
     * What the user gave the old container on a network. The engine lists the container's short id among the aliases on a
     * user network itself; that one belongs to the old container and is left out.
     */
    private static ObjectNode endpoint(JsonNode old, String shortId) {
        ObjectNode endpoint = EngineJson.JSON.createObjectNode();
        if (old.isMissingNode() || old.isNull()) {
            return endpoint;
        }
        ArrayNode aliases = EngineJson.JSON.createArrayNode();
        for (JsonNode alias : old.path("Aliases")) {
            if (!alias.asText().equals(shortId)) {
                aliases.add(alias);
            }
        }
        if (!aliases.isEmpty()) {
            endpoint.set("Aliases", aliases);
        }
        for (String field : List.of("IPAMConfig", "Links", "DriverOpts")) {
            JsonNode value = old.path(field);
            if (!value.isMissingNode() && !value.isNull()) {
                endpoint.set(field, value.deepCopy());
            }
        }
        return endpoint;
    }
}
