package dev.redock.engine;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.HealthStateLog;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.command.PullImageCmd;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.AuthConfig;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.BuildResponseItem;
import com.github.dockerjava.api.model.ContainerConfig;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.InternetProtocol;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.PullResponseItem;
import com.github.dockerjava.api.model.Version;
import com.github.dockerjava.api.model.Volume;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import com.github.dockerjava.transport.DockerHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.redock.model.BuildProgress;
import dev.redock.model.ContainerSpec;
import dev.redock.model.ImageRef;
import dev.redock.model.PortBinding;
import dev.redock.model.PullProgress;
import dev.redock.model.RestartPolicy;
import dev.redock.model.VolumeBinding;

/**
 * The Docker engine, as Redock needs it: pull, create a container from a {@link ContainerSpec}, start, watch it come up, stop,
 * remove. Every call has a timeout and every stream is closed; failures come out as {@link EngineException}s whose messages a
 * user can read.
 *
 * <p>Thread-safe: docker-java's client is, and this class keeps no mutable state.
 */
public final class DockerEngine implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DockerEngine.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The engine's own default stop timeout, used when a container sets none. */
    private static final int DEFAULT_STOP_TIMEOUT_SECONDS = 10;
    /** Longest stop timeout a container may have ({@link ContainerSpec} allows up to an hour). */
    private static final Duration LONGEST_STOP = Duration.ofSeconds(3600);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(250);
    private static final Duration LOG_TIMEOUT = Duration.ofSeconds(10);

    private final DockerClient client;
    /** For the calls that may rightly take longer than an ordinary answer: stopping a container with a long stop timeout. */
    private final DockerClient slowClient;
    private final URI host;
    private final Duration responseTimeout;
    private final Map<String, String> commonLabels;

    /**
     * An engine over a client someone else made (tests do). Calls are bounded by that client's own timeouts.
     *
     * @param commonLabels labels put on every container this engine creates
     */
    public DockerEngine(DockerClient client, URI host, Map<String, String> commonLabels) {
        this(client, client, host, LONGEST_STOP, commonLabels);
    }

    private DockerEngine(DockerClient client, DockerClient slowClient, URI host, Duration responseTimeout, Map<String, String> commonLabels) {
        this.client = client;
        this.slowClient = slowClient;
        this.host = host;
        this.responseTimeout = responseTimeout;
        this.commonLabels = Map.copyOf(commonLabels);
    }

    /** Connects (lazily: nothing is sent until the first call; use {@link #ping()} to check). */
    public static DockerEngine connect(EngineSettings settings) {
        DefaultDockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(settings.host().toString())
                .build();
        DockerClient client = DockerClientImpl.getInstance(config, httpClient(settings, settings.responseTimeout()));
        DockerClient slow = DockerClientImpl.getInstance(config, httpClient(settings, LONGEST_STOP.plus(settings.responseTimeout())));
        return new DockerEngine(client, slow, settings.host(), settings.responseTimeout(), settings.commonLabels());
    }

    private static DockerHttpClient httpClient(EngineSettings settings, Duration responseTimeout) {
        return new ApacheDockerHttpClient.Builder()
                .dockerHost(settings.host())
                .connectionTimeout(settings.connectTimeout())
                .responseTimeout(responseTimeout)
                .maxConnections(32)
                .build();
    }

    /** Where the engine is, e.g. {@code unix:///var/run/docker.sock}. */
    public String describeHost() {
        return host.toString();
    }

    /** Checks that the engine answers. */
    public void ping() throws EngineException {
        try {
            client.pingCmd().exec();
        } catch (RuntimeException e) {
            if (e instanceof DockerException de) {
                throw new EngineUnavailableException("Docker engine at " + host + " is unreachable: " + DockerErrors.daemonMessage(de), e);
            }
            throw DockerErrors.unavailable(host, e);
        }
    }

    /** The engine's version, e.g. {@code Docker 20.10.24 (API 1.41)}. */
    public String version() throws EngineException {
        try {
            Version v = client.versionCmd().exec();
            return "Docker " + v.getVersion() + " (API " + v.getApiVersion() + ")";
        } catch (RuntimeException e) {
            throw DockerErrors.generic(host, "asking the engine for its version", e);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------- images

    /**
     * Pulls an image by tag or by digest ({@code host/repo@sha256:...}) and waits for it.
     *
     * @param auth     credentials for the image's registry, or null
     * @param timeout  how long the whole pull may take
     * @param listener hears the progress; may be null
     * @return the pulled image
     */
    public ImageInfo pull(String reference, RegistryAuth auth, Duration timeout, PullProgress listener) throws EngineException {
        ImageRef ref = ImageRef.parse(reference);
        PullImageCmd cmd = client.pullImageCmd(ref.name()).withTag(ref.digest() != null ? ref.digest() : ref.tag());
        if (auth != null) {
            cmd.withAuthConfig(new AuthConfig().withRegistryAddress(auth.registry()).withUsername(auth.username()).withPassword(auth.password()));
        }
        PullCallback callback = new PullCallback(listener == null ? PullProgress.NONE : listener);
        try (callback) {
            cmd.exec(callback);
            if (!callback.awaitCompletion(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new EngineException("pulling " + reference + " did not finish within " + seconds(timeout));
            }
            callback.rethrowFailure();
        } catch (NotFoundException e) {
            throw new ImageNotFoundException("image " + reference + " was not found: " + DockerErrors.daemonMessage(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineException("pulling " + reference + " was interrupted", e);
        } catch (IOException e) {
            LOG.debug("Closing the pull stream of {} failed", reference, e);
        } catch (RuntimeException e) {
            throw DockerErrors.generic(host, "pulling " + reference, e);
        }
        if (callback.error != null) {
            String error = callback.error;
            if (error.contains("not found") || error.contains("manifest unknown")) {
                throw new ImageNotFoundException("image " + reference + " was not found: " + error, null);
            }
            throw new EngineException("pulling " + reference + " failed: " + error);
        }
        String pulled = ref.digest() != null ? ref.withDigest(ref.digest()) : ref.nameWithTag();
        return image(pulled).orElseThrow(() -> new EngineException("pulling " + reference + " ended, but the engine has no such image"));
    }

    private static final class PullCallback extends StreamCallback<PullResponseItem> {
        private final PullProgress listener;

        PullCallback(PullProgress listener) {
            this.listener = listener;
        }

        @Override
        public void onNext(PullResponseItem item) {
            if (item.isErrorIndicated()) {
                error = errorOf(item);
                return;
            }
            if (item.getStatus() != null) {
                long current = 0;
                long total = 0;
                if (item.getProgressDetail() != null) {
                    current = item.getProgressDetail().getCurrent() == null ? 0 : item.getProgressDetail().getCurrent();
                    total = item.getProgressDetail().getTotal() == null ? 0 : item.getProgressDetail().getTotal();
                }
                try {
                    listener.progress(item.getId(), item.getStatus(), current, total);
                } catch (RuntimeException e) {
                    LOG.warn("A pull progress listener failed", e);
                }
            }
        }
    }

    /** Tags an image (by id or reference) as {@code registry/repository:tag}; moves the tag if it exists. */
    public void tag(String sourceRef, ImageRef target) throws EngineException {
        try {
            client.tagImageCmd(sourceRef, target.name(), target.tag()).withForce(true).exec();
        } catch (NotFoundException e) {
            throw new ImageNotFoundException("image " + sourceRef + " is not on the engine", e);
        } catch (RuntimeException e) {
            throw DockerErrors.generic(host, "tagging " + sourceRef + " as " + target.nameWithTag(), e);
        }
    }

    /** The image with that id or reference, or empty when the engine does not have it. */
    Optional<ImageInfo> image(String ref) throws EngineException {
        return inspectImage(ref, image -> {
            ContainerConfig config = image.getConfig();
            Map<String, String> labels = config == null || config.getLabels() == null ? Map.of() : config.getLabels();
            boolean healthcheck = config != null && config.getHealthcheck() != null && config.getHealthcheck().getTest() != null
                    && !config.getHealthcheck().getTest().isEmpty() && !"NONE".equals(config.getHealthcheck().getTest().get(0));
            return new ImageInfo(image.getId(), orEmpty(image.getRepoTags()), orEmpty(image.getRepoDigests()), labels, healthcheck);
        });
    }

    /** What {@code reading} makes of the engine's own description of the image, or empty when it does not have it. */
    <T> Optional<T> inspectImage(String ref, Function<InspectImageResponse, T> reading) throws EngineException {
        try {
            return Optional.of(reading.apply(client.inspectImageCmd(ref).exec()));
        } catch (NotFoundException e) {
            return Optional.empty();
        } catch (RuntimeException e) {
            throw DockerErrors.generic(host, "inspecting image " + ref, e);
        }
    }

    /** Removes an image (not forced: an image a container uses stays). Returns false when it was not there. */
    public boolean removeImage(String ref) throws EngineException {
        try {
            client.removeImageCmd(ref).withForce(false).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        } catch (ConflictException e) {
            throw new EngineException("image " + ref + " is still in use: " + DockerErrors.daemonMessage(e), e);
        } catch (RuntimeException e) {
            throw DockerErrors.generic(host, "removing image " + ref, e);
        }
    }

    /** How many lines of build output a failed build reports. */
    static final int BUILD_LOG_TAIL = 20;
    private static final Pattern BUILD_STEP = Pattern.compile("^Step (\\d+)/(\\d+) : ");

    /**
     * Builds an image from a build context and waits for it.
     *
     * @param tarContext     the build context as a tar stream (read to its end, not closed)
     * @param dockerfilePath the Dockerfile's path inside the context
     * @param tags           the references to tag the image as, e.g. {@code redock/web:1a2b3c4}
     * @param labels         labels for the image, besides the engine's common labels
     * @param timeout        how long the whole build may take
     * @param listener       hears the output; may be null
     * @return the image's id ({@code sha256:...})
     * @throws BuildFailedException when a step fails, with the output's last {@value #BUILD_LOG_TAIL} lines
     */
    public String build(InputStream tarContext, String dockerfilePath, Set<String> tags, Map<String, String> labels,
                        Duration timeout, BuildProgress listener) throws EngineException {
        Map<String, String> allLabels = new LinkedHashMap<>(labels);
        allLabels.putAll(commonLabels);
        BuildCallback callback = new BuildCallback(listener == null ? BuildProgress.NONE : listener);
        String what = "building " + String.join(", ", tags);
        try (callback) {
            // A build step may be silent for longer than an ordinary answer takes: the slow client waits, the deadline bounds it.
            slowClient.buildImageCmd(tarContext)
                    .withDockerfilePath(dockerfilePath)
                    .withTags(tags)
                    .withLabels(allLabels)
                    .withPull(false)
                    .withRemove(true)
                    .withForcerm(true)
                    .exec(callback);
            if (!callback.awaitCompletion(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new BuildFailedException(what + " did not finish within " + seconds(timeout), callback.tail());
            }
            callback.rethrowFailure();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineException(what + " was interrupted", e);
        } catch (IOException e) {
            LOG.debug("Closing the build stream failed", e);
        } catch (RuntimeException e) {
            if (e instanceof DockerException de && !DockerErrors.isConnectionFailure(e)) {
                throw new BuildFailedException("the build failed: " + DockerErrors.daemonMessage(de), callback.tail());
            }
            throw DockerErrors.generic(host, what, e);
        }
        if (callback.error != null) {
            throw new BuildFailedException("the build failed: " + callback.error, callback.tail());
        }
        // The full id, from the engine: the build's own output may only name a short one.
        String id = tags.isEmpty() ? callback.imageId : image(tags.iterator().next()).map(ImageInfo::id).orElse(null);
        if (id == null) {
            throw new BuildFailedException(what + " ended without an image", callback.tail());
        }
        return id;
    }

    private static final class BuildCallback extends StreamCallback<BuildResponseItem> {
        private final BuildProgress listener;
        private final Deque<String> tail = new ArrayDeque<>();
        private final StringBuilder partial = new StringBuilder();
        private volatile String imageId;

        BuildCallback(BuildProgress listener) {
            this.listener = listener;
        }

        @Override
        public void onNext(BuildResponseItem item) {
            if (item.isErrorIndicated()) {
                error = errorOf(item);
                line(error);
                return;
            }
            if (item.isBuildSuccessIndicated() && item.getImageId() != null && !item.getImageId().isBlank()) {
                imageId = item.getImageId().strip();
            }
            if (item.getStream() != null) {
                text(item.getStream());
            }
        }

        @Override
        public void onComplete() {
            synchronized (partial) {
                if (partial.length() > 0) {
                    line(partial.toString());
                    partial.setLength(0);
                }
            }
            super.onComplete();
        }

        private void text(String chunk) {
            synchronized (partial) {
                partial.append(chunk);
                int nl;
                while ((nl = partial.indexOf("\n")) >= 0) {
                    String line = partial.substring(0, nl).replace("\r", "");
                    partial.delete(0, nl + 1);
                    line(line);
                }
            }
        }

        private void line(String line) {
            if (line.isBlank()) {
                return;
            }
            synchronized (tail) {
                if (tail.size() == BUILD_LOG_TAIL) {
                    tail.removeFirst();
                }
                tail.addLast(line);
            }
            if (imageId == null && line.startsWith("Successfully built ")) {
                imageId = line.substring("Successfully built ".length()).strip();
            }
            try {
                Matcher step = BUILD_STEP.matcher(line);
                if (step.find()) {
                    listener.step(Integer.parseInt(step.group(1)), Integer.parseInt(step.group(2)));
                }
                listener.line(line);
            } catch (RuntimeException e) {
                LOG.warn("A build progress listener failed", e);
            }
        }

        List<String> tail() {
            synchronized (tail) {
                return List.copyOf(tail);
            }
        }
    }

    /** The ids of the images that carry this label (with this value, or any value when null). */
    public List<String> imagesByLabel(String key, String value) throws EngineException {
        try {
            return client.listImagesCmd().withLabelFilter(value == null ? Map.of(key, "") : Map.of(key, value)).exec().stream()
                    .map(com.github.dockerjava.api.model.Image::getId)
                    .toList();
        } catch (RuntimeException e) {
            throw DockerErrors.generic(host, "listing images", e);
        }
    }

    // ------------------------------------------------------------------------------------------------------------ containers

    /**
     * Creates (does not start) a container exactly as the spec says.
     *
     * @param name         the container's name (Redock uses the service's name)
     * @param image        the image reference or id
     * @param redockLabels Redock's own labels ({@code dev.redock.*}), put beside the user's
     * @return the new container's id
     * @throws NameConflictException when a container of that name exists
     * @throws ImageNotFoundException when the engine does not have the image
     */
    public String create(String name, String image, ContainerSpec spec, Map<String, String> redockLabels) throws EngineException {
        return create(name, image, spec, redockLabels, List.of());
    }

    /**
     * Creates (does not start) a container as the spec says, with volumes carried over from the container it replaces.
     *
     * @param carried the previous container's volumes that the spec does not name (an image's {@code VOLUME}s, whose
     *                anonymous volumes hold the service's data), mounted again by name at the same place
     */
    public String create(String name, String image, ContainerSpec spec, Map<String, String> redockLabels,
                         List<VolumeBinding> carried) throws EngineException {
        Map<String, String> labels = new LinkedHashMap<>(spec.labels());
        labels.putAll(commonLabels);
        labels.putAll(redockLabels);

        Set<ExposedPort> exposed = new LinkedHashSet<>();
        Ports ports = new Ports();
        for (PortBinding p : spec.ports()) {
            ExposedPort port = new ExposedPort(p.containerPort(), InternetProtocol.parse(p.protocol()));
            exposed.add(port);
            String ip = p.hostIp().replace("[", "").replace("]", "");
            ports.bind(port, ip.isEmpty() ? Ports.Binding.bindPort(p.hostPort()) : Ports.Binding.bindIpAndPort(ip, p.hostPort()));
        }
        List<Bind> binds = java.util.stream.Stream.concat(spec.volumes().stream(), carried.stream())
                .map(v -> new Bind(v.source(), new Volume(v.target()), v.readOnly() ? AccessMode.ro : AccessMode.rw))
                .toList();
        HostConfig hostConfig = HostConfig.newHostConfig()
                .withPortBindings(ports)
                .withBinds(binds)
                .withRestartPolicy(restartPolicy(spec.restart()));
        if (!spec.networks().isEmpty()) {
            hostConfig.withNetworkMode(spec.networks().get(0));
        }
        List<String> env = spec.env().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();

        CreateContainerCmd cmd = client.createContainerCmd(image)
                .withName(name)
                .withEnv(env)
                .withLabels(labels)
                .withExposedPorts(new ArrayList<>(exposed))
                .withHostConfig(hostConfig);
        if (!spec.command().isEmpty()) {
            cmd.withCmd(spec.command());
        }
        if (spec.stopTimeoutSeconds() != null) {
            cmd.withStopTimeout(spec.stopTimeoutSeconds());
        }

        String id;
        try {
            id = cmd.exec().getId();
        } catch (ConflictException e) {
            throw new NameConflictException(name, e);
        } catch (NotFoundException e) {
            String message = DockerErrors.daemonMessage(e);
            if (message.contains("No such image")) {
                throw new ImageNotFoundException("image " + image + " is not on the engine (pull it first)", e);
            }
            throw new EngineException("creating container \"" + name + "\" failed: " + message, e);
        } catch (RuntimeException e) {
            throw DockerErrors.generic(host, "creating container \"" + name + "\"", e);
        }

        for (String network : spec.networks().subList(Math.min(1, spec.networks().size()), spec.networks().size())) {
            try {
                client.connectToNetworkCmd().withContainerId(id).withNetworkId(network).exec();
            } catch (RuntimeException e) {
                EngineException failure = e instanceof NotFoundException nf
                        ? new EngineException("network \"" + network + "\" does not exist", nf)
                        : DockerErrors.generic(host, "connecting \"" + name + "\" to network \"" + network + "\"", e);
                removeQuietly(id);
                throw failure;
            }
        }
        LOG.debug("Created container {} ({}) from {}", name, id, image);
        return id;
    }

    private static com.github.dockerjava.api.model.RestartPolicy restartPolicy(RestartPolicy policy) {
        return switch (policy.name()) {
            case "always" -> com.github.dockerjava.api.model.RestartPolicy.alwaysRestart();
            case "unless-stopped" -> com.github.dockerjava.api.model.RestartPolicy.unlessStoppedRestart();
            case "on-failure" -> com.github.dockerjava.api.model.RestartPolicy.onFailureRestart(policy.maxRetries());
            default -> com.github.dockerjava.api.model.RestartPolicy.noRestart();
        };
    }

    /**
     * Starts a created or stopped container.
     *
     * @throws PortInUseException when a host port it publishes is taken; the container stays (created, not running) for the
     *                            caller to remove
     */
    public void start(String id) throws EngineException {
        try {
            client.startContainerCmd(id).exec();
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
            throw DockerErrors.generic(host, "starting container " + id, e);
        }
    }

    /**
     * Stops a container the way {@code docker stop} does: SIGTERM, then SIGKILL after the container's own stop timeout (10 s
     * unless it was created with another), and waits until it has stopped. A stopped container is left as it is.
     */
    public void stop(String id) throws EngineException {
        int timeout = stopTimeoutOf(id).orElse(DEFAULT_STOP_TIMEOUT_SECONDS);
        boolean slow = Duration.ofSeconds(timeout).plusSeconds(15).compareTo(responseTimeout) > 0;
        try {
            (slow ? slowClient : client).stopContainerCmd(id).withTimeout(timeout).exec();
        } catch (NotModifiedException alreadyStopped) {
            // nothing to do
        } catch (NotFoundException e) {
            throw new ContainerNotFoundException(id, e);
        } catch (RuntimeException e) {
            throw DockerErrors.generic(host, "stopping container " + id, e);
        }
    }

    /**
     * Removes a container, stopping it first if it runs (SIGKILL). Its volumes stay: named volumes and bind mounts belong to
     * the service, not to one container. Returns false when there was no such container.
     */
    public boolean remove(String id) throws EngineException {
        try {
            client.removeContainerCmd(id).withForce(true).withRemoveVolumes(false).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        } catch (RuntimeException e) {
            throw DockerErrors.generic(host, "removing container " + id, e);
        }
    }

    /**
     * Removes a container that never served (a replacement that did not come up, a launch that failed) together with the
     * anonymous volumes the engine made for it alone. Volumes mounted by name (the user's, and those carried over from the
     * container it was to replace) stay. Returns false when there was no such container.
     */
    public boolean removeWithOwnVolumes(String id) throws EngineException {
        try {
            client.removeContainerCmd(id).withForce(true).withRemoveVolumes(true).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        } catch (RuntimeException e) {
            throw DockerErrors.generic(host, "removing container " + id, e);
        }
    }

    /**
     * The volumes a container mounts (named and anonymous; not bind mounts or tmpfs), in the engine's order.
     *
     * @return empty when there is no such container
     */
    public List<VolumeMount> volumeMounts(String idOrName) throws EngineException {
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

    /** Removes a volume. Returns false when it was not there; fails when a container still uses it. */
    public boolean removeVolume(String name) throws EngineException {
        try {
            client.removeVolumeCmd(name).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        } catch (ConflictException e) {
            throw new EngineException("volume " + name + " is still in use: " + DockerErrors.daemonMessage(e), e);
        } catch (RuntimeException e) {
            throw DockerErrors.generic(host, "removing volume " + name, e);
        }
    }

    /** The container's restart policy, or empty when there is no such container. */
    public Optional<RestartPolicy> restartPolicy(String idOrName) throws EngineException {
        return inspectContainer(idOrName, c -> restartPolicyOf(c.getHostConfig().getRestartPolicy()));
    }

    /** Redock's restart policy for the engine's ({@code no} when it names none). */
    static RestartPolicy restartPolicyOf(com.github.dockerjava.api.model.RestartPolicy policy) {
        return policy == null || policy.getName() == null || policy.getName().isEmpty()
                ? RestartPolicy.NO
                : new RestartPolicy(policy.getName(), policy.getMaximumRetryCount() == null ? 0 : policy.getMaximumRetryCount());
    }

    /**
     * Changes a container's restart policy in place (as {@code docker update --restart} does). A container set aside during
     * a redeploy gets {@code no}, so that an engine restart does not start it next to its replacement.
     */
    public void setRestartPolicy(String id, RestartPolicy policy) throws EngineException {
        try {
            client.updateContainerCmd(id).withRestartPolicy(restartPolicy(policy)).exec();
        } catch (NotFoundException e) {
            throw new ContainerNotFoundException(id, e);
        } catch (RuntimeException e) {
            throw DockerErrors.generic(host, "changing the restart policy of container " + id, e);
        }
    }

    private void removeQuietly(String id) {
        try {
            remove(id);
        } catch (EngineException e) {
            LOG.warn("Could not remove the half-made container {}: {}", id, e.getMessage());
        }
    }

    /** Renames a container. */
    public void rename(String id, String newName) throws EngineException {
        try {
            client.renameContainerCmd(id).withName(newName).exec();
        } catch (ConflictException e) {
            throw new NameConflictException(newName, e);
        } catch (NotFoundException e) {
            throw new ContainerNotFoundException(id, e);
        } catch (RuntimeException e) {
            throw DockerErrors.generic(host, "renaming container " + id + " to \"" + newName + "\"", e);
        }
    }

    /** The container with that id or name, or empty when there is none. */
    public Optional<ContainerInfo> inspect(String idOrName) throws EngineException {
        return inspectContainer(idOrName, DockerEngine::toInfo);
    }

    /** What {@code reading} makes of the engine's own description of the container, or empty when there is none. */
    <T> Optional<T> inspectContainer(String idOrName, Function<InspectContainerResponse, T> reading) throws EngineException {
        try {
            return Optional.of(reading.apply(client.inspectContainerCmd(idOrName).exec()));
        } catch (NotFoundException e) {
            return Optional.empty();
        } catch (RuntimeException e) {
            throw DockerErrors.generic(host, "inspecting container " + idOrName, e);
        }
    }

    /**
     * All containers (running or not) with that label.
     *
     * @param value the label's value, or null for any value
     */
    public List<ContainerInfo> listByLabel(String key, String value) throws EngineException {
        List<com.github.dockerjava.api.model.Container> found;
        try {
            var cmd = client.listContainersCmd().withShowAll(true);
            found = value == null ? cmd.withLabelFilter(List.of(key)).exec() : cmd.withLabelFilter(Map.of(key, value)).exec();
        } catch (RuntimeException e) {
            throw DockerErrors.generic(host, "listing containers", e);
        }
        List<ContainerInfo> result = new ArrayList<>();
        for (var container : found) {
            inspect(container.getId()).ifPresent(result::add); // a container removed meanwhile is left out
        }
        return result;
    }

    private static ContainerInfo toInfo(InspectContainerResponse c) {
        var s = c.getState();
        String health = null;
        String healthOutput = null;
        if (s.getHealth() != null && s.getHealth().getStatus() != null && !s.getHealth().getStatus().isEmpty()) {
            health = s.getHealth().getStatus();
            List<HealthStateLog> log = s.getHealth().getLog();
            if (log != null && !log.isEmpty() && log.get(log.size() - 1).getOutput() != null) {
                healthOutput = log.get(log.size() - 1).getOutput().strip();
            }
        }
        String error = s.getError() == null || s.getError().isEmpty() ? null : s.getError();
        ContainerState state = new ContainerState(s.getStatus(), Boolean.TRUE.equals(s.getRunning()), Boolean.TRUE.equals(s.getRestarting()),
                s.getExitCodeLong() == null ? 0 : s.getExitCodeLong().intValue(), c.getRestartCount() == null ? 0 : c.getRestartCount(),
                instant(s.getStartedAt()), instant(s.getFinishedAt()), health, healthOutput, Boolean.TRUE.equals(s.getOOMKilled()), error);
        String name = c.getName() == null ? "" : c.getName().replaceFirst("^/", "");
        Map<String, String> labels = c.getConfig() == null || c.getConfig().getLabels() == null ? Map.of() : c.getConfig().getLabels();
        String image = c.getConfig() == null ? null : c.getConfig().getImage();
        List<PortBinding> ports = c.getNetworkSettings() == null ? List.of() : publishedPorts(c.getNetworkSettings().getPorts());
        return new ContainerInfo(c.getId(), name, image, c.getImageId(), state, labels, instant(c.getCreated()), ports);
    }

    private static List<PortBinding> publishedPorts(Ports ports) {
        List<PortBinding> all = portBindings(ports).stream().filter(p -> p.hostPort() > 0).toList();
        // With IPv6 on, the engine lists a binding to all addresses twice (0.0.0.0 and ::); one is enough.
        return all.stream()
                .filter(p -> !p.hostIp().equals("[::]") || all.stream().noneMatch(q -> q.hostIp().equals("0.0.0.0")
                        && q.hostPort() == p.hostPort() && q.containerPort() == p.containerPort() && q.protocol().equals(p.protocol())))
                .toList();
    }

    /** Every binding of the engine's port map as Redock's, an IPv6 host address in brackets; a port it cannot read is 0. */
    static List<PortBinding> portBindings(Ports ports) {
        if (ports == null) {
            return List.of();
        }
        List<PortBinding> all = new ArrayList<>();
        for (var entry : ports.getBindings().entrySet()) {
            for (Ports.Binding b : entry.getValue() == null ? new Ports.Binding[0] : entry.getValue()) {
                String ip = b.getHostIp() == null ? "" : b.getHostIp();
                all.add(new PortBinding(ip.contains(":") ? "[" + ip + "]" : ip, parsePort(b.getHostPortSpec()),
                        entry.getKey().getPort(), entry.getKey().getProtocol().toString()));
            }
        }
        return all;
    }

    private static int parsePort(String spec) {
        try {
            return spec == null ? 0 : Integer.parseInt(spec);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /**
     * The container's own stop timeout. docker-java's model does not carry {@code Config.StopTimeout}, so this reads the
     * engine's JSON itself.
     */
    Optional<Integer> stopTimeoutOf(String id) throws EngineException {
        if (!(client instanceof DockerClientImpl impl) || impl.getHttpClient() == null) {
            return Optional.empty();
        }
        DockerHttpClient.Request request = DockerHttpClient.Request.builder()
                .method(DockerHttpClient.Request.Method.GET)
                .path("/containers/" + URLEncoder.encode(id, StandardCharsets.UTF_8) + "/json")
                .build();
        try (DockerHttpClient.Response response = impl.getHttpClient().execute(request);
             InputStream body = response.getBody()) {
            if (response.getStatusCode() == 404) {
                throw new ContainerNotFoundException(id, null);
            }
            if (response.getStatusCode() != 200) {
                return Optional.empty();
            }
            JsonNode timeout = JSON.readTree(body).path("Config").path("StopTimeout");
            return timeout.isInt() ? Optional.of(timeout.asInt()) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            throw DockerErrors.unavailable(host, e);
        }
    }

    /**
     * Waits until the container is up: running, not restarted for {@code minUptime}, and healthy if it has a health check.
     * Gives up at once when it exits or turns unhealthy, and when {@code deadline} has passed. Call it right after
     * {@link #start}.
     */
    public ReadyResult awaitReady(String id, Duration deadline, Duration minUptime) throws EngineException {
        long begin = System.nanoTime();
        Instant wallBegin = Instant.now();
        Integer restartsAtFirstSight = null;
        Long runningSince = null;
        ContainerInfo info = null;
        while (true) {
            long now = System.nanoTime();
            Duration waited = Duration.ofNanos(now - begin);
            Optional<ContainerInfo> seen = inspect(id);
            if (seen.isEmpty()) {
                return ReadyResult.failed("the container was removed", info, waited);
            }
            info = seen.get();
            ContainerState state = info.state();
            if (restartsAtFirstSight == null) {
                restartsAtFirstSight = state.restartCount();
            }
            if (state.oomKilled() && !state.running()) {
                return ReadyResult.failed("was killed for lack of memory", info, waited);
            }
            if (state.exited()) {
                return ReadyResult.failed(exitReason(state.exitCode(), state), info, waited);
            }
            if (state.restarting() || state.restartCount() != restartsAtFirstSight) {
                // Once the engine restarts it, the state's exit code is 0 again: the "die" event still has the real one.
                int exitCode = state.exitCode() != 0 ? state.exitCode() : lastExitCode(info.id(), wallBegin).orElse(state.exitCode());
                return ReadyResult.failed(exitReason(exitCode, state), info, waited);
            }
            if ("unhealthy".equals(state.health())) {
                String output = state.healthOutput() == null || state.healthOutput().isEmpty() ? "health check failed" : state.healthOutput();
                return ReadyResult.failed("unhealthy: " + output, info, waited);
            }
            if (state.running() && !"paused".equals(state.status())) {
                if (runningSince == null) {
                    runningSince = now;
                }
                boolean upLongEnough = Duration.ofNanos(now - runningSince).compareTo(minUptime) >= 0;
                if (upLongEnough && (state.health() == null || "healthy".equals(state.health()))) {
                    return ReadyResult.ok(info, waited);
                }
            } else {
                runningSince = null;
            }
            if (waited.compareTo(deadline) >= 0) {
                String reason;
                if (!state.running()) {
                    reason = "not running after " + seconds(deadline) + " (" + state.status() + ")";
                } else if (state.health() != null && !"healthy".equals(state.health())) {
                    reason = "not healthy after " + seconds(deadline) + " (health: " + state.health() + ")";
                } else {
                    reason = "not up for " + seconds(minUptime) + " within " + seconds(deadline);
                }
                return ReadyResult.failed(reason, info, waited);
            }
            try {
                Thread.sleep(POLL_INTERVAL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return ReadyResult.interrupted(info, Duration.ofNanos(System.nanoTime() - begin));
            }
        }
    }

    private static String exitReason(int exitCode, ContainerState state) {
        String reason = "exited with code " + exitCode;
        if (state.restarting() || state.restartCount() > 0) {
            reason += " (restarting)";
        }
        return state.error() == null ? reason : reason + ": " + state.error();
    }

    /** The exit code of the container's last "die" event since {@code since}, if the engine reports one within a few seconds. */
    private Optional<Integer> lastExitCode(String id, Instant since) {
        var callback = new ResultCallback.Adapter<Event>() {
            private volatile String exitCode;

            @Override
            public void onNext(Event event) {
                if (event.getActor() != null && event.getActor().getAttributes() != null
                        && event.getActor().getAttributes().get("exitCode") != null) {
                    exitCode = event.getActor().getAttributes().get("exitCode");
                }
            }
        };
        try (callback) {
            client.eventsCmd()
                    .withContainerFilter(id)
                    .withEventFilter("die")
                    .withSince(String.valueOf(since.getEpochSecond() - 5))
                    .withUntil(String.valueOf(Instant.now().getEpochSecond() + 1))
                    .exec(callback);
            callback.awaitCompletion(5, TimeUnit.SECONDS);
            return callback.exitCode == null ? Optional.empty() : Optional.of(Integer.parseInt(callback.exitCode));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            LOG.debug("Could not read the exit code of {} from the engine's events", id, e);
            return Optional.empty();
        }
    }

    /** The last lines the container wrote to stdout and stderr, oldest first. */
    public List<String> logTail(String id, int lines) throws EngineException {
        var callback = new ResultCallback.Adapter<Frame>() {
            private final StringBuilder text = new StringBuilder();

            @Override
            public void onNext(Frame frame) {
                synchronized (text) {
                    text.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
                }
            }
        };
        try (callback) {
            client.logContainerCmd(id).withStdOut(true).withStdErr(true).withTail(lines).withFollowStream(false).exec(callback);
            if (!callback.awaitCompletion(LOG_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.debug("Reading the logs of {} did not finish within {}; using what came", id, LOG_TIMEOUT);
            }
        } catch (NotFoundException e) {
            throw new ContainerNotFoundException(id, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineException("reading the logs of " + id + " was interrupted", e);
        } catch (IOException e) {
            LOG.debug("Closing the log stream of {} failed", id, e);
        } catch (RuntimeException e) {
            throw DockerErrors.generic(host, "reading the logs of " + id, e);
        }
        String text;
        synchronized (callback.text) {
            text = callback.text.toString();
        }
        Deque<String> tail = new ArrayDeque<>();
        for (String line : text.split("\r?\n")) {
            if (tail.size() == lines) {
                tail.removeFirst();
            }
            tail.addLast(line);
        }
        if (tail.size() == 1 && tail.getFirst().isEmpty()) {
            return List.of();
        }
        return List.copyOf(tail);
    }

    /** The labels this engine puts on every container it creates. */
    Map<String, String> commonLabels() {
        return commonLabels;
    }

    @Override
    public void close() {
        try {
            client.close();
            if (slowClient != client) {
                slowClient.close();
            }
        } catch (IOException e) {
            LOG.debug("Closing the Docker client failed", e);
        }
    }

    // --------------------------------------------------------------------------------------------------------------- helpers

    private static Instant instant(String text) {
        if (text == null || text.isEmpty() || text.startsWith("0001-01-01")) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static String seconds(Duration d) {
        long millis = d.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + " s" : String.format(java.util.Locale.ROOT, "%.1f s", millis / 1000.0);
    }

    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }

}
