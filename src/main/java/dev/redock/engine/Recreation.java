package dev.redock.engine;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.redock.model.ContainerSpec;

/**
 * Makes the container that replaces another on a new image, for {@link DockerEngine}: reads the old container and its
 * image as the engine describes them, has {@link ContainerBlueprint} make the create request, creates the container (not
 * started) and has it join its other networks. A container that cannot join them all is removed again, so a failed
 * recreation leaves nothing half made.
 *
 * <p>The old container stays as it is: a static address or a published port it holds only conflicts at the new one's
 * start, which the redeploy does only once the old one has stopped.
 */
final class Recreation {

    private static final Logger LOG = LoggerFactory.getLogger(Recreation.class);

    private final EngineContext engine;
    private final EngineJson json;
    private final Containers containers;

    Recreation(EngineContext engine, EngineJson json, Containers containers) {
        this.engine = engine;
        this.json = json;
        this.containers = containers;
    }

    String recreate(String name, String image, ContainerSpec spec, Map<String, String> redockLabels, String previous)
            throws EngineException {
        JsonNode old = json.get("/containers/" + EngineJson.encode(previous) + "/json", "inspecting container " + previous)
                .orElseThrow(() -> new ContainerNotFoundException(previous, null));
        String oldImageId = old.path("Image").asText();
        JsonNode oldImage = json.get("/images/" + EngineJson.encode(oldImageId) + "/json", "inspecting image " + oldImageId)
                .orElseThrow(() -> new EngineException("container " + previous + " cannot be recreated: its image " + oldImageId
                        + " is gone, so what it set itself cannot be told from what the image gave it"));
        Map<String, String> labels = new LinkedHashMap<>(spec.labels());
        labels.putAll(engine.commonLabels());
        labels.putAll(redockLabels);
        ContainerBlueprint blueprint = ContainerBlueprint.of(old, oldImage, image, spec, labels);

        String action = "creating container \"" + name + "\"";
        EngineJson.Answer created = json.post("/containers/create?name=" + EngineJson.encode(name), blueprint.body(), action);
        if (created.status() == 409) {
            throw new NameConflictException(name, null);
        }
        if (created.status() == 404 && created.message().contains("No such image")) {
            throw new ImageNotFoundException("image " + image + " is not on the engine (pull it first)", null);
        }
        if (!created.ok()) {
            throw new EngineException(action + " failed: " + created.message());
        }
        String id = created.body().path("Id").asText();
        for (NetworkPlan.Join join : blueprint.joins()) {
            join(name, id, join);
        }
        LOG.debug("Recreated container {} ({}) from {} on {}", name, id, previous, image);
        return id;
    }

    private void join(String name, String id, NetworkPlan.Join join) throws EngineException {
        ObjectNode request = EngineJson.JSON.createObjectNode().put("Container", id);
        request.set("EndpointConfig", join.endpoint());
        EngineException failure;
        try {
            EngineJson.Answer answer = json.post("/networks/" + EngineJson.encode(join.network()) + "/connect", request,
                    "connecting \"" + name + "\" to network \"" + join.network() + "\"");
            if (answer.ok()) {
                return;
            }
            failure = answer.status() == 404
                    ? new EngineException("network \"" + join.network() + "\" does not exist")
                    : new EngineException("connecting \"" + name + "\" to network \"" + join.network() + "\" failed: "
                            + answer.message());
        } catch (EngineException e) {
            failure = e;
        }
        removeQuietly(id);
        throw failure;
    }

    /** Takes out a container that never ran, with an anonymous volume a new image's VOLUME made for it alone. */
    private void removeQuietly(String id) {
        try {
            containers.remove(id, true);
        } catch (EngineException e) {
            LOG.warn("Could not remove the half-made container {}: {}", id, e.getMessage());
        }
    }
}
