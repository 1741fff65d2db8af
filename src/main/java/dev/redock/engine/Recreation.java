package dev.redock.engine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.redock.model.ContainerSpec;
import dev.redock.model.VolumeBinding;

/**
 * Makes the container that replaces another on a new image, for {@link DockerEngine}: reads the old container and its
 * image as the engine describes them, has {@link ContainerBlueprint} make the create request, creates the container (not
 * started) and has it join its other networks. A container that cannot join them all is removed again, so a failed
 * recreation leaves nothing half made.
 *
 * <p>On Podman, which cannot say which settings came from the image, the new container is made from the spec, with the
 * old one's volumes mounted again ({@link Podman#RECREATION}).
 *
 * <p>The old container stays as it is: a static address or a published port it holds only conflicts at the new one's
 * start, which the redeploy does only once the old one has stopped.
 */
final class Recreation {

    private static final Logger LOG = LoggerFactory.getLogger(Recreation.class);

    private final EngineContext engine;
    private final EngineJson json;
    private final Containers containers;
    private final ContainerCreator creator;
    private final Podman podman;

    /** @param creator makes the container from the spec alone where the old one cannot be read well enough (Podman) */
    Recreation(EngineContext engine, EngineJson json, Containers containers, ContainerCreator creator, Podman podman) {
        this.engine = engine;
        this.json = json;
        this.containers = containers;
        this.creator = creator;
        this.podman = podman;
    }

    String recreate(String name, String image, ContainerSpec spec, Map<String, String> redockLabels, String previous)
            throws EngineException {
        if (podman.isPodman()) {
            return fromTheSpec(name, image, spec, redockLabels, previous);
        }
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

    /**
     * Podman cannot say which settings came from the image ({@link Podman#RECREATION}): freezing them would keep an old
     * image's HEALTHCHECK or WORKDIR over a new image's own. The new container is made from the spec, with every volume of
     * the old one that the spec does not name mounted again by name.
     */
    private String fromTheSpec(String name, String image, ContainerSpec spec, Map<String, String> redockLabels, String previous)
            throws EngineException {
        Set<String> named = spec.volumes().stream().map(VolumeBinding::target).collect(Collectors.toSet());
        List<VolumeBinding> carried = new ArrayList<>();
        for (VolumeMount m : containers.volumeMounts(previous)) {
            if (!named.contains(m.destination())) {
                carried.add(new VolumeBinding(m.name(), m.destination(), m.readOnly()));
            }
        }
        return creator.create(name, image, spec, redockLabels, carried);
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
