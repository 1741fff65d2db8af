package dev.redock.engine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.InternetProtocol;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.Volume;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.redock.model.ContainerSpec;
import dev.redock.model.PortBinding;
import dev.redock.model.VolumeBinding;

/**
 * Makes a container exactly as a {@link ContainerSpec} says, for {@link DockerEngine}: the spec becomes the engine's create
 * command (ports, environment, volumes, restart policy, labels, the first network), and the
 * container then joins the spec's other networks. A container that cannot join them all is removed again, so a failed
 * create leaves nothing half made. A container that replaces another is {@link Recreation}'s.
 */
final class ContainerCreator {

    private static final Logger LOG = LoggerFactory.getLogger(ContainerCreator.class);

    private final EngineContext engine;
    private final Containers containers;

    /** @param containers removes a container that could not join its networks */
    ContainerCreator(EngineContext engine, Containers containers) {
        this.engine = engine;
        this.containers = containers;
    }

    String create(String name, String image, ContainerSpec spec, Map<String, String> redockLabels) throws EngineException {
        return create(name, image, spec, redockLabels, List.of());
    }

    /**
     * @param carried volumes of a container this one replaces that the spec does not name, mounted again by name (where
     *                the replacement cannot be made as {@link Recreation} makes it)
     */
    String create(String name, String image, ContainerSpec spec, Map<String, String> redockLabels,
                  List<VolumeBinding> carried) throws EngineException {
        CreateContainerCmd cmd = command(name, image, spec, redockLabels, carried);
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
            throw engine.failed("creating container \"" + name + "\"", e);
        }

        for (String network : spec.networks().subList(Math.min(1, spec.networks().size()), spec.networks().size())) {
            try {
                engine.client().connectToNetworkCmd().withContainerId(id).withNetworkId(network).exec();
            } catch (RuntimeException e) {
                EngineException failure = e instanceof NotFoundException nf
                        ? new EngineException("network \"" + network + "\" does not exist", nf)
                        : engine.failed("connecting \"" + name + "\" to network \"" + network + "\"", e);
                removeQuietly(id);
                throw failure;
            }
        }
        LOG.debug("Created container {} ({}) from {}", name, id, image);
        return id;
    }

    /** The engine's create command for the spec. It names only the first network: the engine joins one at creation. */
    private CreateContainerCmd command(String name, String image, ContainerSpec spec, Map<String, String> redockLabels,
                                       List<VolumeBinding> carried) {
        Map<String, String> labels = new LinkedHashMap<>(spec.labels());
        labels.putAll(engine.commonLabels());
        labels.putAll(redockLabels);

        Set<ExposedPort> exposed = new LinkedHashSet<>();
        Ports ports = new Ports();
        for (PortBinding p : spec.ports()) {
            ExposedPort port = new ExposedPort(p.containerPort(), InternetProtocol.parse(p.protocol()));
            exposed.add(port);
            String ip = p.hostIp().replace("[", "").replace("]", "");
            ports.bind(port, ip.isEmpty() ? Ports.Binding.bindPort(p.hostPort()) : Ports.Binding.bindIpAndPort(ip, p.hostPort()));
        }
        List<Bind> binds = Stream.concat(spec.volumes().stream(), carried.stream())
                .map(v -> new Bind(v.source(), new Volume(v.target()), v.readOnly() ? AccessMode.ro : AccessMode.rw))
                .toList();
        HostConfig hostConfig = HostConfig.newHostConfig()
                .withPortBindings(ports)
                .withBinds(binds)
                .withRestartPolicy(RestartPolicies.forEngine(spec.restart()));
        if (!spec.networks().isEmpty()) {
            hostConfig.withNetworkMode(spec.networks().get(0));
        }
        List<String> env = spec.env().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();

        CreateContainerCmd cmd = engine.client().createContainerCmd(image)
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
        return cmd;
    }

    private void removeQuietly(String id) {
        try {
            containers.remove(id, false);
        } catch (EngineException e) {
            LOG.warn("Could not remove the half-made container {}: {}", id, e.getMessage());
        }
    }
}
