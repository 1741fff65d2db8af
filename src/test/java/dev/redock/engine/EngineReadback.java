package dev.redock.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.ContainerConfig;
import com.github.dockerjava.api.model.HostConfig;

import dev.redock.model.ContainerSpec;
import dev.redock.model.Labels;
import dev.redock.model.VolumeBinding;

/**
 * What tests read back from a {@link DockerEngine} that Redock itself never asks for: the spec a container was created
 * with, and an image's details. Tests check with it that a container is made, and made again on a redeploy, exactly as
 * the user's spec says.
 */
public final class EngineReadback {

    private EngineReadback() {
    }

    /** The image with that id or reference, or empty when the engine does not have it. */
    public static Optional<ImageInfo> image(DockerEngine engine, String ref) throws EngineException {
        return engine.images().image(ref);
    }

    /**
     * Reads back the configuration a container was created with, as a spec: what the user gave, without what the image
     * brings (its environment, command, labels) and without Redock's labels.
     */
    public static Optional<ContainerSpec> specOf(DockerEngine engine, String idOrName) throws EngineException {
        Optional<InspectContainerResponse> found = engine.containers().inspectContainer(idOrName, Function.identity());
        if (found.isEmpty()) {
            return Optional.empty();
        }
        InspectContainerResponse c = found.get();
        // When the image is gone, nothing is known to come from it.
        ContainerConfig imageConfig = engine.images().inspectImage(c.getImageId(), InspectImageResponse::getConfig).orElse(null);
        ContainerConfig config = c.getConfig();
        HostConfig hostConfig = c.getHostConfig();

        Set<String> imageEnv = new HashSet<>(Arrays.asList(orEmpty(imageConfig == null ? null : imageConfig.getEnv())));
        Map<String, String> env = new LinkedHashMap<>();
        for (String entry : orEmpty(config.getEnv())) {
            if (!imageEnv.contains(entry)) {
                int eq = entry.indexOf('=');
                env.put(eq < 0 ? entry : entry.substring(0, eq), eq < 0 ? "" : entry.substring(eq + 1));
            }
        }

        List<VolumeBinding> volumes = new ArrayList<>();
        for (Bind bind : hostConfig.getBinds() == null ? new Bind[0] : hostConfig.getBinds()) {
            volumes.add(new VolumeBinding(bind.getPath(), bind.getVolume().getPath(), bind.getAccessMode() == AccessMode.ro));
        }

        List<String> command = Arrays.asList(orEmpty(config.getCmd()));
        if (imageConfig != null && command.equals(Arrays.asList(orEmpty(imageConfig.getCmd())))) {
            command = List.of();
        }

        Map<String, String> imageLabels = imageConfig == null || imageConfig.getLabels() == null ? Map.of() : imageConfig.getLabels();
        Map<String, String> labels = new LinkedHashMap<>();
        if (config.getLabels() != null) {
            new TreeMap<>(config.getLabels()).forEach((key, value) -> {
                if (!key.startsWith(Labels.PREFIX) && !engine.commonLabels().containsKey(key) && !value.equals(imageLabels.get(key))) {
                    labels.put(key, value);
                }
            });
        }

        List<String> networks = new ArrayList<>();
        String mode = hostConfig.getNetworkMode();
        if (mode != null && !mode.isEmpty() && !mode.equals("default") && !mode.equals("bridge")) {
            networks.add(mode);
        }
        if (c.getNetworkSettings() != null && c.getNetworkSettings().getNetworks() != null) {
            c.getNetworkSettings().getNetworks().keySet().stream().sorted()
                    .filter(n -> !n.equals(mode) && !n.equals("bridge"))
                    .forEach(networks::add);
        }

        Integer stopTimeout = engine.containers().stopTimeoutOf(c.getId()).orElse(null);
        return Optional.of(new ContainerSpec(ContainerInfos.portBindings(hostConfig.getPortBindings()), env, volumes, command,
                RestartPolicies.fromEngine(hostConfig.getRestartPolicy()), labels, networks, stopTimeout));
    }

    private static String[] orEmpty(String[] array) {
        return array == null ? new String[0] : array;
    }
}
