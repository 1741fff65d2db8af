package dev.redock.engine;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.transport.DockerHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.redock.model.ContainerInfo;
import dev.redock.model.ContainerSummary;
import dev.redock.model.RestartPolicy;

/**
 * The containers on the engine once they exist, for {@link DockerEngine}: finding them, starting, stopping, renaming and
 * removing them, their restart policies, and the volumes they mount. Making one from a spec is {@link ContainerCreator}'s
 * job.
 */
final class Containers {

    private static final Logger LOG = LoggerFactory.getLogger(Containers.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** How often a removal is tried while the engine is restarting the container, and how long apart. */
    private static final int REMOVE_ATTEMPTS = 10;
    private static final Duration REMOVE_RETRY_PAUSE = Duration.ofMillis(200);
    /** The engine's own default stop timeout, used when a container sets none. */
    private static final int DEFAULT_STOP_TIMEOUT_SECONDS = 10;

    private final EngineContext engine;

    Containers(EngineContext engine) {
        this.engine = engine;
    }

    Optional<ContainerInfo> inspect(String idOrName) throws EngineException {
        return inspectContainer(idOrName, ContainerInfos::of);
    }

    /** What {@code reading} makes of the engine's own description of the container, or empty when there is none. */
    <T> Optional<T> inspectContainer(String idOrName, Function<InspectContainerResponse, T> reading) throws EngineException {
        return engine.lookUp("inspecting container " + idOrName,
                () -> reading.apply(engine.client().inspectContainerCmd(idOrName).exec()));
    }

    List<ContainerInfo> listByLabel(String key, String value) throws EngineException {
        List<com.github.dockerjava.api.model.Container> found;
        try {
            var cmd = engine.client().listContainersCmd().withShowAll(true);
            found = value == null ? cmd.withLabelFilter(List.of(key)).exec() : cmd.withLabelFilter(Map.of(key, value)).exec();
        } catch (RuntimeException e) {
            throw engine.failed("listing containers", e);
        }
        List<ContainerInfo> result = new ArrayList<>();
        for (var container : found) {
            inspect(container.getId()).ifPresent(result::add); // a container removed meanwhile is left out
        }
        return result;
    }

    /**
     * The containers carrying the label (any value) and those of these ids, each with as much as a status needs: one list
     * call (two when some ids lack the label), read as the engine's JSON (docker-java's model of a listed container costs
     * a process that reads it once more than the call), and an inspection (read as JSON too) only of those that do
     * not run, for their exit code and whether the engine restarts them. Of a running one the list gives its id, name,
     * image, labels, creation and state; its published ports, start time and health are left empty.
     */
    List<ContainerInfo> statuses(String key, Collection<String> ids) throws EngineException {
        if (!(engine.client() instanceof DockerClientImpl impl) || impl.getHttpClient() == null) {
            List<ContainerInfo> all = new ArrayList<>(listByLabel(key, null));
            for (String id : ids) {
                if (all.stream().noneMatch(c -> c.id().equals(id))) {
                    inspect(id).ifPresent(all::add);
                }
            }
            return all;
        }
        List<JsonNode> found = listed(impl, "label", List.of(key));
        List<String> unlabelled = ids.stream()
                .filter(id -> found.stream().noneMatch(c -> c.path("Id").asText().equals(id))).toList();
        if (!unlabelled.isEmpty()) {
            listed(impl, "id", unlabelled).stream()
                    .filter(c -> unlabelled.contains(c.path("Id").asText()))
                    .forEach(found::add);
        }
        List<ContainerInfo> result = new ArrayList<>();
        for (JsonNode c : found) {
            String state = c.path("State").asText();
            if (state.equals("running") || state.equals("paused")) {
                result.add(ContainerInfos.running(c));
            } else {
                inspected(impl, c.path("Id").asText()).ifPresent(result::add); // one removed meanwhile is left out
            }
        }
        return result;
    }

    /** {@code GET /containers/{id}/json}, read as JSON ({@link ContainerInfos#inspected}); empty when there is none. */
    Optional<ContainerInfo> inspected(DockerClientImpl impl, String id) throws EngineException {
        Raw answer;
        try {
            answer = get(impl, "/containers/" + URLEncoder.encode(id, StandardCharsets.UTF_8) + "/json");
        } catch (IOException e) {
            throw engine.unavailable(e);
        } catch (RuntimeException e) {
            throw engine.failed("inspecting container " + id, e);
        }
        if (answer.status() == 404) {
            return Optional.empty();
        }
        if (answer.status() != 200) {
            throw new EngineException("inspecting container " + id + ": the engine answered " + answer.status() + " "
                    + answer.json().path("message").asText(""));
        }
        return Optional.of(ContainerInfos.inspected(answer.json()));
    }

    /** {@code GET /containers/json?all=1} with one filter, as the engine's JSON. */
    private List<JsonNode> listed(DockerClientImpl impl, String filter, List<String> values) throws EngineException {
        String filters = JSON.createObjectNode().set(filter, JSON.valueToTree(values)).toString();
        Raw answer;
        try {
            answer = get(impl, "/containers/json?all=1&filters=" + URLEncoder.encode(filters, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw engine.unavailable(e);
        } catch (RuntimeException e) {
            throw engine.failed("listing containers", e);
        }
        if (answer.status() != 200 || !answer.json().isArray()) {
            throw new EngineException("listing containers: the engine answered " + answer.status() + " "
                    + answer.json().path("message").asText(""));
        }
        List<JsonNode> containers = new ArrayList<>();
        answer.json().forEach(containers::add);
        return containers;
    }

    /** An answer of the engine's API read as JSON (the missing node when its body is none). */
    private record Raw(int status, JsonNode json) {
    }

    /** A {@code GET} of the engine's API, read as JSON: for what docker-java's model lacks, or reads too slowly. */
    private static Raw get(DockerClientImpl impl, String path) throws IOException {
        DockerHttpClient.Request request = DockerHttpClient.Request.builder()
                .method(DockerHttpClient.Request.Method.GET)
                .path(path)
                .build();
        try (DockerHttpClient.Response response = impl.getHttpClient().execute(request);
             InputStream body = response.getBody()) {
            JsonNode json = JSON.readTree(body);
            return new Raw(response.getStatusCode(), json == null ? MissingNode.getInstance() : json);
        }
    }

    /** @param labelKey only those with this label (any value), or null for all */
    List<ContainerSummary> summaries(String labelKey) throws EngineException {
        List<com.github.dockerjava.api.model.Container> found;
        try {
            var cmd = engine.client().listContainersCmd().withShowAll(true);
            found = (labelKey == null ? cmd : cmd.withLabelFilter(List.of(labelKey))).exec();
        } catch (RuntimeException e) {
            throw engine.failed("listing containers", e);
        }
        List<ContainerSummary> result = new ArrayList<>();
        for (var c : found) {
            String name = c.getNames() == null || c.getNames().length == 0 ? c.getId() : c.getNames()[0].replaceFirst("^/", "");
            result.add(new ContainerSummary(c.getId(), name, c.getImage(), c.getImageId(), c.getState(), c.getStatus(),
                    c.getLabels() == null ? Map.of() : c.getLabels(),
                    c.getCreated() == null ? null : java.time.Instant.ofEpochSecond(c.getCreated())));
        }
        return result;
    }

    void start(String id) throws EngineException {
        try {
            engine.client().startContainerCmd(id).exec();
        } catch (NotModifiedException alreadyRunning) {
            // nothing to do
        } catch (NotFoundException e) {
            throw new ContainerNotFoundException(id, e);
        } catch (DockerException e) {
            String message = DockerErrors.daemonMessage(e);
            if (DockerErrors.isPortInUse(message)) {
                throw new PortInUseException(DockerErrors.portInUse(message), message, e);
            }
            throw new EngineException("starting container " + id + " failed: " + message, e);
        } catch (RuntimeException e) {
            throw engine.failed("starting container " + id, e);
        }
    }

    void stop(String id) throws EngineException {
        int timeout = stopTimeoutOf(id).orElse(DEFAULT_STOP_TIMEOUT_SECONDS);
        boolean slow = Duration.ofSeconds(timeout).plusSeconds(15).compareTo(engine.responseTimeout()) > 0;
        try {
            (slow ? engine.slowClient() : engine.client()).stopContainerCmd(id).withTimeout(timeout).exec();
        } catch (NotModifiedException alreadyStopped) {
            // nothing to do
        } catch (NotFoundException e) {
            throw new ContainerNotFoundException(id, e);
        } catch (RuntimeException e) {
            throw engine.failed("stopping container " + id, e);
        }
    }

    /**
     * Removes a container, stopping it first if it runs (SIGKILL).
     *
     * @param withAnonymousVolumes whether the anonymous volumes the engine made for it alone go too; volumes mounted by
     *                             name and bind mounts always stay
     * @return false when there was no such container
     */
    boolean remove(String id, boolean withAnonymousVolumes) throws EngineException {
        for (int attempt = 1; ; attempt++) {
            try {
                engine.client().removeContainerCmd(id).withForce(true).withRemoveVolumes(withAnonymousVolumes).exec();
                return true;
            } catch (NotFoundException e) {
                return false;
            } catch (DockerException e) {
                // Podman cannot kill a container that its restart policy is restarting right then ("container state
                // improper"); a moment later it can.
                if (attempt >= REMOVE_ATTEMPTS || !DockerErrors.daemonMessage(e).contains("container state improper")) {
                    throw engine.failed("removing container " + id, e);
                }
                LOG.debug("Removing container {} failed while the engine restarts it; trying again: {}", id, DockerErrors.daemonMessage(e));
                try {
                    Thread.sleep(REMOVE_RETRY_PAUSE.toMillis());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw engine.failed("removing container " + id, e);
                }
            } catch (RuntimeException e) {
                throw engine.failed("removing container " + id, e);
            }
        }
    }

    void rename(String id, String newName) throws EngineException {
        try {
            engine.client().renameContainerCmd(id).withName(newName).exec();
        } catch (ConflictException e) {
            throw new NameConflictException(newName, e);
        } catch (NotFoundException e) {
            throw new ContainerNotFoundException(id, e);
        } catch (RuntimeException e) {
            throw engine.failed("renaming container " + id + " to \"" + newName + "\"", e);
        }
    }

    Optional<RestartPolicy> restartPolicy(String idOrName) throws EngineException {
        return inspectContainer(idOrName, c -> RestartPolicies.fromEngine(c.getHostConfig().getRestartPolicy()));
    }

    /**
     * Changes the container's restart policy in place.
     *
     * @return false when the engine has no way to (Podman before 5.1 answers "Not Found" for the container update it lacks,
     *         of a container that is there): the container keeps its own
     */
    boolean setRestartPolicy(String id, RestartPolicy policy) throws EngineException {
        try {
            engine.client().updateContainerCmd(id).withRestartPolicy(RestartPolicies.forEngine(policy)).exec();
            return true;
        } catch (NotFoundException e) {
            if (inspect(id).isEmpty()) {
                throw new ContainerNotFoundException(id, e);
            }
            LOG.info("The engine cannot change the restart policy of container {} (it has no container update: {}); it keeps its own",
                    id, DockerErrors.daemonMessage(e));
            return false;
        } catch (RuntimeException e) {
            throw engine.failed("changing the restart policy of container " + id, e);
        }
    }

    List<VolumeMount> volumeMounts(String idOrName) throws EngineException {
        Optional<InspectContainerResponse> found = inspectContainer(idOrName, Function.identity());
        if (found.isEmpty()) {
            return List.of();
        }
        InspectContainerResponse c = found.get();
        List<VolumeMount> result = new ArrayList<>();
        for (InspectContainerResponse.Mount m : c.getMounts() == null ? List.<InspectContainerResponse.Mount>of() : c.getMounts()) {
            if (m.getName() != null && !m.getName().isBlank() && m.getDestination() != null) {
                result.add(new VolumeMount(m.getName(), m.getDestination().getPath(), Boolean.FALSE.equals(m.getRW())));
            }
        }
        return result;
    }

    boolean removeVolume(String name) throws EngineException {
        return engine.remove("volume " + name, () -> engine.client().removeVolumeCmd(name).exec());
    }

    /**
     * The container's own stop timeout. docker-java's model does not carry {@code Config.StopTimeout}, so this reads the
     * engine's JSON itself.
     */
    Optional<Integer> stopTimeoutOf(String id) throws EngineException {
        if (!(engine.client() instanceof DockerClientImpl impl) || impl.getHttpClient() == null) {
            return Optional.empty();
        }
        Raw answer;
        try {
            answer = get(impl, "/containers/" + URLEncoder.encode(id, StandardCharsets.UTF_8) + "/json");
        } catch (IOException | RuntimeException e) {
            throw engine.unavailable(e);
        }
        if (answer.status() == 404) {
            throw new ContainerNotFoundException(id, null);
        }
        if (answer.status() != 200) {
            return Optional.empty();
        }
        JsonNode timeout = answer.json().path("Config").path("StopTimeout");
        return timeout.isInt() ? Optional.of(timeout.asInt()) : Optional.empty();
    }

}
