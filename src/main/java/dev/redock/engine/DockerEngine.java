package dev.redock.engine;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.core.LocalDirectorySSLConfig;
import com.github.dockerjava.core.SSLConfig;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import com.github.dockerjava.transport.DockerHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.redock.model.BuildProgress;
import dev.redock.model.ContainerInfo;
import dev.redock.model.ContainerSetting;
import dev.redock.model.ContainerSummary;
import dev.redock.model.ExistingContainer;
import dev.redock.model.ContainerSpec;
import dev.redock.model.ImageRef;
import dev.redock.model.PullProgress;
import dev.redock.model.RestartPolicy;

/**
 * The Docker engine, as Redock needs it: pull, create a container from a {@link ContainerSpec}, start, watch it come up, stop,
 * remove. Every call has a timeout and every stream is closed; failures come out as {@link EngineException}s whose messages a
 * user can read.
 *
 * <p>This class is what the rest of Redock calls; each job is done by a collaborator of its own over the same client:
 * {@link Images} (pull, tag, look up, remove), {@link ImageBuild}, {@link ContainerCreator} (a spec made into a container),
 * {@link Containers} (start, stop, rename, remove, find), {@link Readiness} ({@link #awaitReady}) and {@link ContainerLogs}.
 *
 * <p>Thread-safe: docker-java's client is, and neither this class nor its collaborators keep mutable state.
 */
public final class DockerEngine implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DockerEngine.class);
    /** Longest stop timeout a container may have ({@link ContainerSpec} allows up to an hour). */
    private static final Duration LONGEST_STOP = Duration.ofSeconds(3600);

    private final EngineContext engine;
    private final Images images;
    private final ImageBuild builds;
    private final Containers containers;
    private final ContainerCreator creator;
    private final Recreation recreation;
    private final Readiness readiness;
    private final ContainerLogs logs;
    /** What stands between the client and the engine (an ssh tunnel), closed with it; or null. */
    private final Closeable link;
    private final SlowClient slowClient;
    private final Podman podman;

    /**
     * An engine over a client someone else made (tests do). Calls are bounded by that client's own timeouts.
     *
     * @param commonLabels labels put on every container this engine creates
     */
    public DockerEngine(DockerClient client, URI host, Map<String, String> commonLabels) {
        this(client, () -> client, EngineAddress.of(host), LONGEST_STOP, commonLabels, () -> null, null);
    }

    /** @param slowClient makes the client for slow calls when one is first needed (the same client will do) */
    private DockerEngine(DockerClient client, Supplier<DockerClient> slowClient, EngineAddress address,
                         Duration responseTimeout, Map<String, String> commonLabels, Supplier<String> linkProblem,
                         Closeable link) {
        this.slowClient = new SlowClient(slowClient);
        this.engine = new EngineContext(client, this.slowClient, address, responseTimeout, Map.copyOf(commonLabels),
                linkProblem);
        this.images = new Images(engine);
        this.builds = new ImageBuild(engine, images);
        this.containers = new Containers(engine);
        this.creator = new ContainerCreator(engine, containers);
        this.podman = new Podman(engine);
        this.recreation = new Recreation(engine, new EngineJson(engine), containers, creator, podman);
        this.readiness = new Readiness(engine, containers, podman);
        this.logs = new ContainerLogs(engine);
        this.link = link;
    }

    /**
     * Connects (lazily: nothing is sent until the first call; use {@link #ping()} to check). {@code tcp://} with TLS is
     * verified against the TLS folder's CA and shows its client certificate; {@code ssh://} goes through an ssh tunnel to
     * {@code docker system dial-stdio} on that host, signed in with the {@code .ssh} of the settings' home. What keeps an
     * engine from being reached (a TLS folder without its files, a socket that cannot be made) comes out of its calls.
     */
    public static DockerEngine connect(EngineSettings settings) {
        EngineAddress address = settings.address();
        SSLConfig ssl = null;
        if (address.tls()) {
            try {
                EngineAddress.checkTlsDir(address.tlsDir());
            } catch (EngineException e) {
                return unreachable(settings, e.getMessage());
            }
            ssl = new LocalDirectorySSLConfig(address.tlsDir().toString());
        }
        SshTunnel tunnel = null;
        URI dial = address.dialHost();
        if ("ssh".equals(address.scheme())) {
            try {
                tunnel = SshTunnel.open(address, settings.home(), settings.connectTimeout());
            } catch (IOException e) {
                return unreachable(settings, "could not make a local socket for the ssh connection: " + e.getMessage());
            }
            dial = tunnel.localHost();
        }
        try {
            DockerClient client = DockerClientImpl.getInstance(config(dial), httpClient(settings, dial, ssl, settings.responseTimeout()));
            URI slowDial = dial;
            SSLConfig slowSsl = ssl;
            Supplier<DockerClient> slow = () -> DockerClientImpl.getInstance(config(slowDial),
                    httpClient(settings, slowDial, slowSsl, LONGEST_STOP.plus(settings.responseTimeout())));
            SshTunnel link = tunnel;
            return new DockerEngine(client, slow, address, settings.responseTimeout(), settings.commonLabels(),
                    link == null ? () -> null : link::problem, link);
        } catch (RuntimeException e) {
            if (tunnel != null) {
                tunnel.close();
            }
            if (ssl == null) {
                throw e;
            }
            // docker-java reads the TLS files as it builds the client: a key or certificate it cannot read.
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            return unreachable(settings, "its TLS files in " + address.tlsDir() + " cannot be used: " + root.getMessage());
        }
    }

    /**
     * An engine that cannot be reached for a reason known before any call: every call fails with an
     * {@link EngineUnavailableException} that says {@code reason}.
     */
    private static DockerEngine unreachable(EngineSettings settings, String reason) {
        return failing(settings, settings.address(), reason);
    }

    /**
     * No engine, because none could be chosen (a docker context that does not exist, an address that cannot be read):
     * every call fails with an {@link EngineUnavailableException} that says why, so that the window and the CLI say it
     * where they would say that the engine is down.
     */
    public static DockerEngine unchosen(EngineSettings settings, EngineException why) {
        return failing(settings, null, why.getMessage());
    }

    private static DockerEngine failing(EngineSettings settings, EngineAddress address, String reason) {
        URI nowhere = URI.create("unix:///dev/null/no-engine.sock"); // never a socket: every call fails at once
        DockerClient client = DockerClientImpl.getInstance(config(nowhere), httpClient(settings, nowhere, null, settings.responseTimeout()));
        return new DockerEngine(client, () -> client, address, settings.responseTimeout(), settings.commonLabels(),
                () -> reason, null);
    }

    /**
     * docker-java's configuration for the address it dials. The environment's TLS settings and context are not its to
     * apply: {@link DockerContexts} has chosen, and the transport below carries the TLS.
     */
    private static DefaultDockerClientConfig config(URI dial) {
        return DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(dial.toString())
                .withDockerContext(DockerContexts.DEFAULT)
                .withDockerTlsVerify(false)
                .build();
    }

    /**
     * The transport to {@code dial}: with TLS as {@code ssl} says for {@code tcp://}; on a local socket, where no TLS is
     * spoken, with a TLS context made only if it were ever used ({@link TlsOnFirstUse}).
     */
    private static DockerHttpClient httpClient(EngineSettings settings, URI dial, SSLConfig ssl, Duration responseTimeout) {
        boolean localSocket = "unix".equals(dial.getScheme()) || "npipe".equals(dial.getScheme());
        return new ApacheDockerHttpClient.Builder()
                .dockerHost(dial)
                .sslConfig(localSocket && ssl == null ? TlsOnFirstUse::new : ssl)
                .connectionTimeout(settings.connectTimeout())
                .responseTimeout(responseTimeout)
                .maxConnections(32)
                .build();
    }

    /**
     * Where the engine is, as typed, e.g. {@code unix:///var/run/docker.sock} or {@code tcp://host:2376 (TLS)}; for an
     * engine that could not be chosen ({@link #unchosen}), why not.
     */
    public String describeHost() {
        return engine.address() != null ? engine.address().toString() : "no engine (" + engine.linkProblem().get() + ")";
    }

    /** Checks that the engine answers. */
    public void ping() throws EngineException {
        try {
            engine.client().pingCmd().exec();
        } catch (RuntimeException e) {
            if (e instanceof DockerException de) {
                throw new EngineUnavailableException("Docker engine at " + engine.address() + " is unreachable: "
                        + DockerErrors.daemonMessage(de), e);
            }
            throw engine.unavailable(e);
        }
    }

    /** What the engine is: {@code Docker 20.10.24 (API 1.41)}, or Podman's. */
    public EngineVersion version() throws EngineException {
        try {
            return EngineVersion.of(engine.client().versionCmd().exec());
        } catch (RuntimeException e) {
            throw engine.failed("asking the engine for its version", e);
        }
    }

    /**
     * What Redock cannot do, or does otherwise, on this engine, in sentences for the user: none on Docker. On Podman (which
     * Redock works with through its Docker-compatible API) they name its health checks, which it runs only through systemd
     * (Redock runs a new container's checks itself where Podman runs none), and, before Podman 5.1, the restart policy it
     * cannot change. The engine is asked once which it is.
     */
    public List<String> limitations() throws EngineException {
        return podman.limitations();
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
        return images.pull(reference, auth, timeout, listener);
    }

    /** Tags an image (by id or reference) as {@code registry/repository:tag}; moves the tag if it exists. */
    public void tag(String sourceRef, ImageRef target) throws EngineException {
        images.tag(sourceRef, target);
    }

    /** Removes an image (not forced: an image a container uses stays). Returns false when it was not there. */
    public boolean removeImage(String ref) throws EngineException {
        return images.removeImage(ref);
    }

    /** The ids of the images that carry this label (with this value, or any value when null). */
    /** Whether the engine has an image with exactly this id ({@code sha256:...}). */
    public boolean hasImageId(String id) throws EngineException {
        return images.image(id).map(i -> i.id().equals(id)).orElse(false);
    }

    public List<String> imagesByLabel(String key, String value) throws EngineException {
        return images.imagesByLabel(key, value);
    }

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
     * @throws BuildFailedException when a step fails, with the output's last {@value ImageBuild#BUILD_LOG_TAIL} lines
     */
    public String build(InputStream tarContext, String dockerfilePath, Set<String> tags, Map<String, String> labels,
                        Duration timeout, BuildProgress listener) throws EngineException {
        return builds.build(tarContext, dockerfilePath, tags, labels, timeout, listener);
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
        return creator.create(name, image, spec, redockLabels);
    }

    /**
     * Creates (does not start) the container that is to replace another on a new image: with every setting the engine
     * reports for the previous container, not only those the spec has (user, entrypoint, health check, capabilities,
     * limits, tmpfs, devices, log options, DNS, network aliases and static addresses, ...), the spec's own fields as the
     * spec says, and every volume of the previous container that the spec does not name mounted again by name (an image's
     * {@code VOLUME}s, whose anonymous volumes hold the service's data). What the previous container only had from its
     * image (its {@code CMD}, {@code ENV}, {@code HEALTHCHECK}, ...) is left for the new image to give. On Podman, which
     * cannot say which settings came from the image, the container is made from the spec, with the previous container's
     * volumes mounted again ({@link #limitations()} says so).
     *
     * @param previousContainerId the container it replaces; it is read, never changed
     * @return the new container's id
     * @throws NameConflictException when a container of that name exists
     * @throws ImageNotFoundException when the engine does not have the image
     * @throws ContainerNotFoundException when the previous container is gone
     * @throws EngineException as well when the previous container cannot be recreated safely (it says why)
     */
    public String recreate(String name, String image, ContainerSpec spec, Map<String, String> redockLabels,
                           String previousContainerId) throws EngineException {
        return recreation.recreate(name, image, spec, redockLabels, previousContainerId);
    }

    /**
     * Starts a created or stopped container.
     *
     * @throws PortInUseException when a host port it publishes is taken; the container stays (created, not running) for the
     *                            caller to remove
     */
    public void start(String id) throws EngineException {
        containers.start(id);
    }

    /**
     * Stops a container the way {@code docker stop} does: SIGTERM, then SIGKILL after the container's own stop timeout (10 s
     * unless it was created with another), and waits until it has stopped. A stopped container is left as it is.
     */
    public void stop(String id) throws EngineException {
        containers.stop(id);
    }

    /**
     * Waits until the container is up: running, not restarted for {@code minUptime}, and healthy if it has a health check.
     * Gives up at once when it exits or turns unhealthy, and when {@code deadline} has passed. Call it right after
     * {@link #start}.
     *
     * <p>On Podman, which runs health checks only through systemd, a container whose check has not run within its interval
     * (and a second) gets it run by Redock, through Podman's API, at each interval until the wait ends; the result's
     * reason then says "checks run by Redock". Where even that fails, the wait ends at once with "no health check ran: ...".
     */
    public ReadyResult awaitReady(String id, Duration deadline, Duration minUptime) throws EngineException {
        return readiness.awaitReady(id, deadline, minUptime);
    }

    /**
     * Removes a container, stopping it first if it runs (SIGKILL). Its volumes stay: named volumes and bind mounts belong to
     * the service, not to one container. Returns false when there was no such container.
     */
    public boolean remove(String id) throws EngineException {
        return containers.remove(id, false);
    }

    /**
     * Removes a container that never served (a replacement that did not come up, a launch that failed) together with the
     * anonymous volumes the engine made for it alone. Volumes mounted by name (the user's, and those carried over from the
     * container it was to replace) stay. Returns false when there was no such container.
     */
    public boolean removeWithOwnVolumes(String id) throws EngineException {
        return containers.remove(id, true);
    }

    /** Renames a container. */
    public void rename(String id, String newName) throws EngineException {
        containers.rename(id, newName);
    }

    /** The container with that id or name, or empty when there is none. */
    public Optional<ContainerInfo> inspect(String idOrName) throws EngineException {
        return containers.inspect(idOrName);
    }

    /**
     * The containers (running or not) carrying that label, and those of these ids, each with its status: for a list of
     * services, in as few calls as the engine allows (see {@link Containers#statuses}).
     */
    public List<ContainerInfo> statuses(String labelKey, java.util.Collection<String> ids) throws EngineException {
        return containers.statuses(labelKey, ids);
    }

    /**
     * All containers (running or not) with that label.
     *
     * @param value the label's value, or null for any value
     */
    public List<ContainerInfo> listByLabel(String key, String value) throws EngineException {
        return containers.listByLabel(key, value);
    }

    /**
     * A container as Redock reads it to adopt it (see {@link ExistingContainers}), or empty when there is none.
     */
    public Optional<ExistingContainer> existing(String idOrName) throws EngineException {
        Optional<InspectContainerResponse> found = containers.inspectContainer(idOrName, c -> c);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        InspectContainerResponse c = found.get();
        Optional<InspectImageResponse> image = images.inspectImage(c.getImageId(), i -> i);
        Integer stopTimeout = containers.stopTimeoutOf(c.getId()).orElse(null);
        return Optional.of(ExistingContainers.read(c, image.orElse(null), stopTimeout));
    }

    /**
     * The settings of a container that Redock's forms do not edit, in the docker CLI's words (see
     * {@link ContainerSettings}); empty when there is no such container.
     */
    public List<ContainerSetting> otherSettings(String idOrName) throws EngineException {
        Optional<InspectContainerResponse> found = containers.inspectContainer(idOrName, c -> c);
        if (found.isEmpty()) {
            return List.of();
        }
        Optional<InspectImageResponse> image = images.inspectImage(found.get().getImageId(), i -> i);
        return ContainerSettings.of(found.get(), image.orElse(null));
    }

    /**
     * Every container on the engine, running or not, as the engine lists them (no inspect of each: this is the cheap
     * question a list of many containers needs).
     */
    public List<ContainerSummary> summaries() throws EngineException {
        return containers.summaries(null);
    }

    /** As {@link #summaries()}, only the containers that carry this label (with any value): one question, as well. */
    public List<ContainerSummary> summariesWithLabel(String key) throws EngineException {
        return containers.summaries(key);
    }

    /**
     * What a docker or compose command line needs in its environment to reach this engine: {@code DOCKER_HOST} (for an
     * engine over ssh, the local end of Redock's own tunnel), and the TLS folder where there is one.
     */
    public Map<String, String> clientEnvironment() {
        Map<String, String> env = new java.util.LinkedHashMap<>();
        EngineAddress address = engine.address();
        if (link instanceof SshTunnel tunnel) {
            env.put("DOCKER_HOST", tunnel.localHost().toString());
        } else if (address != null) {
            env.put("DOCKER_HOST", address.dialHost().toString());
            if (address.tls()) {
                env.put("DOCKER_TLS_VERIFY", "1");
                env.put("DOCKER_CERT_PATH", address.tlsDir().toString());
            }
        }
        return env;
    }

    /** The container's restart policy, or empty when there is no such container. */
    public Optional<RestartPolicy> restartPolicy(String idOrName) throws EngineException {
        return containers.restartPolicy(idOrName);
    }

    /**
     * Changes a container's restart policy in place (as {@code docker update --restart} does). A container set aside during
     * a redeploy gets {@code no}, so that an engine restart does not start it next to its replacement.
     *
     * @return false when the engine cannot change a restart policy (Podman before 5.1 has no container update): the
     *         container keeps its own, and {@link #limitations()} says so
     */
    public boolean setRestartPolicy(String id, RestartPolicy policy) throws EngineException {
        return containers.setRestartPolicy(id, policy);
    }

    /**
     * The volumes a container mounts (named and anonymous; not bind mounts or tmpfs), in the engine's order.
     *
     * @return empty when there is no such container
     */
    public List<VolumeMount> volumeMounts(String idOrName) throws EngineException {
        return containers.volumeMounts(idOrName);
    }

    /** Removes a volume. Returns false when it was not there; fails when a container still uses it. */
    public boolean removeVolume(String name) throws EngineException {
        return containers.removeVolume(name);
    }

    /** The last lines the container wrote to stdout and stderr, oldest first. */
    public List<String> logTail(String id, int lines) throws EngineException {
        return logs.logTail(id, lines);
    }

    // Package-visible for the tests, which read back what Redock itself never asks: a container's spec, an image.

    Images images() {
        return images;
    }

    Containers containers() {
        return containers;
    }

    /** What every part of this engine shares: its client among others. */
    EngineContext context() {
        return engine;
    }

    /** The labels this engine puts on every container it creates. */
    Map<String, String> commonLabels() {
        return engine.commonLabels();
    }

    @Override
    public void close() {
        try {
            engine.client().close();
            DockerClient slow = slowClient.made();
            if (slow != null && slow != engine.client()) {
                slow.close();
            }
        } catch (IOException e) {
            LOG.debug("Closing the Docker client failed", e);
        }
        if (link != null) {
            try {
                link.close();
            } catch (IOException e) {
                LOG.debug("Closing the way to the engine failed", e);
            }
        }
    }

    /** The client for slow calls, made when one is first needed: most processes make none. */
    private static final class SlowClient implements Supplier<DockerClient> {
        private final Supplier<DockerClient> maker;
        private DockerClient client;

        SlowClient(Supplier<DockerClient> maker) {
            this.maker = maker;
        }

        @Override
        public synchronized DockerClient get() {
            if (client == null) {
                client = maker.get();
            }
            return client;
        }

        /** The client if it was made, else null. */
        synchronized DockerClient made() {
            return client;
        }
    }
}
