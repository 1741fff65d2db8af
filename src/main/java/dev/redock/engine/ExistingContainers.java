package dev.redock.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.model.ContainerConfig;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Mount;
import com.github.dockerjava.api.model.MountType;

import dev.redock.model.ContainerSpec;
import dev.redock.model.ExistingContainer;
import dev.redock.model.Labels;
import dev.redock.model.RestartPolicy;
import dev.redock.model.VolumeBinding;

/**
 * Reads a container Redock did not make as Redock would have made it: the settings its forms edit, taken from the
 * engine's description, without what the engine filled in from the image (its environment, labels and command), which
 * stay the image's to change. Everything else the container has is not read here: a redeploy carries it over from the
 * container itself.
 */
final class ExistingContainers {

    /** Network modes that are not a network of the user's to join. */
    private static final Set<String> NOT_A_NETWORK = Set.of("default", "host", "none");

    private ExistingContainers() {
    }

    /** @param stopTimeout its own stop timeout (docker-java's model does not read it), or null */
    static ExistingContainer read(InspectContainerResponse c, InspectImageResponse image, Integer stopTimeout) {
        ContainerConfig config = c.getConfig();
        ContainerConfig imageConfig = image == null ? null : image.getConfig();
        HostConfig host = c.getHostConfig();
        ContainerSpec spec = new ContainerSpec(
                ContainerInfos.portBindings(host == null ? null : host.getPortBindings()),
                environment(config.getEnv(), imageConfig == null ? null : imageConfig.getEnv()),
                volumes(host),
                command(config, imageConfig),
                restart(host),
                labels(config.getLabels(), imageConfig == null ? null : imageConfig.getLabels()),
                networks(c),
                stopTimeout);
        return new ExistingContainer(ContainerInfos.of(c), spec,
                image == null || image.getRepoDigests() == null ? List.of() : image.getRepoDigests(),
                image == null || image.getRepoTags() == null ? List.of() : image.getRepoTags(),
                host != null && Boolean.TRUE.equals(host.getAutoRemove()));
    }

    /** The container's environment less the entries it has exactly as the image sets them. */
    private static Map<String, String> environment(String[] env, String[] imageEnv) {
        Set<String> fromImage = imageEnv == null ? Set.of() : Set.of(imageEnv);
        Map<String, String> result = new LinkedHashMap<>();
        for (String entry : env == null ? new String[0] : env) {
            if (fromImage.contains(entry)) {
                continue;
            }
            int eq = entry.indexOf('=');
            result.put(eq < 0 ? entry : entry.substring(0, eq), eq < 0 ? "" : entry.substring(eq + 1));
        }
        return result;
    }

    /** The container's labels less those the image sets to the same value, and less Redock's own (a container it forgot). */
    private static Map<String, String> labels(Map<String, String> labels, Map<String, String> imageLabels) {
        Map<String, String> result = new LinkedHashMap<>();
        if (labels != null) {
            labels.forEach((key, value) -> {
                boolean fromImage = imageLabels != null && Objects.equals(imageLabels.get(key), value);
                if (!fromImage && !Labels.RESERVED.contains(key)) {
                    result.put(key, value);
                }
            });
        }
        return result;
    }

    /**
     * The command the user gave: none when the container runs the image's own. With its own entrypoint, whatever command it
     * has is the user's (the engine does not add the image's command to an entrypoint given).
     */
    private static List<String> command(ContainerConfig config, ContainerConfig imageConfig) {
        List<String> cmd = list(config.getCmd());
        boolean ownEntrypoint = !list(config.getEntrypoint()).equals(imageConfig == null ? List.of() : list(imageConfig.getEntrypoint()));
        if (!ownEntrypoint && imageConfig != null && cmd.equals(list(imageConfig.getCmd()))) {
            return List.of();
        }
        return cmd;
    }

    private static List<String> list(String[] values) {
        return values == null ? List.of() : Arrays.asList(values);
    }

    private static RestartPolicy restart(HostConfig host) {
        var policy = host == null ? null : host.getRestartPolicy();
        if (policy == null || policy.getName() == null || policy.getName().isEmpty()) {
            return RestartPolicy.NO;
        }
        int retries = policy.getMaximumRetryCount() == null ? 0 : policy.getMaximumRetryCount();
        return new RestartPolicy(policy.getName(), "on-failure".equals(policy.getName()) ? retries : 0);
    }

    /**
     * The bind mounts and named volumes the user gave ({@code -v SOURCE:TARGET}, {@code --mount} with a source). Anonymous
     * volumes and tmpfs are not among them: a redeploy carries those over as the container has them.
     */
    private static List<VolumeBinding> volumes(HostConfig host) {
        List<VolumeBinding> result = new ArrayList<>();
        if (host == null) {
            return result;
        }
        for (var bind : host.getBinds() == null ? new com.github.dockerjava.api.model.Bind[0] : host.getBinds()) {
            String source = bind.getPath();
            if (source != null && !source.isEmpty()) {
                result.add(new VolumeBinding(source, bind.getVolume().getPath(),
                        bind.getAccessMode() == com.github.dockerjava.api.model.AccessMode.ro));
            }
        }
        for (Mount m : host.getMounts() == null ? List.<Mount>of() : host.getMounts()) {
            boolean given = (m.getType() == MountType.BIND || m.getType() == MountType.VOLUME)
                    && m.getSource() != null && !m.getSource().isEmpty();
            if (given) {
                result.add(new VolumeBinding(m.getSource(), m.getTarget(), Boolean.TRUE.equals(m.getReadOnly())));
            }
        }
        return result;
    }

    /** The user networks it is on, the one it was created on first; empty when it is only on the default bridge. */
    private static List<String> networks(InspectContainerResponse c) {
        String mode = c.getHostConfig() == null ? null : c.getHostConfig().getNetworkMode();
        if (mode == null || NOT_A_NETWORK.contains(mode) || mode.startsWith("container:")) {
            return List.of();
        }
        List<String> result = new ArrayList<>();
        result.add(mode);
        var networks = c.getNetworkSettings() == null ? null : c.getNetworkSettings().getNetworks();
        if (networks != null) {
            networks.keySet().stream().filter(n -> !n.equals(mode)).forEach(result::add);
        }
        if (result.equals(List.of("bridge"))) {
            return List.of();
        }
        return result;
    }
}
