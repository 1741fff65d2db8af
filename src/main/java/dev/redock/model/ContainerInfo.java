package dev.redock.model;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A container as the engine describes it.
 *
 * @param id      full id
 * @param name    its name, without the engine's leading '/'
 * @param image   the image reference it was created from, as given
 * @param imageId {@code sha256:...} of its image
 * @param state   what it is doing
 * @param labels  all its labels: the image's, the user's and Redock's
 * @param created when it was created
 * @param ports   the ports actually published (empty while it is not running)
 */
public record ContainerInfo(String id, String name, String image, String imageId, ContainerState state, Map<String, String> labels,
                            Instant created, List<PortBinding> ports) {

    public ContainerInfo {
        labels = Map.copyOf(labels);
        ports = List.copyOf(ports);
    }

    /** The first 12 characters of the id, as the Docker CLI shows it. */
    public String shortId() {
        return id.length() > 12 ? id.substring(0, 12) : id;
    }
}
