package dev.redock.model;

import java.time.Instant;
import java.util.Map;

/**
 * A container as the engine lists it ({@code docker ps -a}): enough to show it in a list, without asking for each one's
 * full description.
 *
 * @param image   the image reference it was started from, as given
 * @param state   the engine's word: {@code running}, {@code exited}, {@code created}, ...
 * @param status  the engine's line for people: {@code Up 3 hours (healthy)}
 */
public record ContainerSummary(String id, String name, String image, String imageId, String state, String status,
                               Map<String, String> labels, Instant created) {

    public ContainerSummary {
        labels = Map.copyOf(labels);
    }
}
