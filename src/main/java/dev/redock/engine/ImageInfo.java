package dev.redock.engine;

import java.util.List;
import java.util.Map;

/**
 * An image on the engine.
 *
 * @param id          {@code sha256:...}, the image (config) id
 * @param repoTags    e.g. {@code localhost:5000/app:1}
 * @param repoDigests e.g. {@code localhost:5000/app@sha256:...}, the registry digests it was pulled or pushed by
 * @param labels      the image's labels
 * @param healthcheck whether the image defines a HEALTHCHECK
 */
public record ImageInfo(String id, List<String> repoTags, List<String> repoDigests, Map<String, String> labels, boolean healthcheck) {

    public ImageInfo {
        repoTags = List.copyOf(repoTags);
        repoDigests = List.copyOf(repoDigests);
        labels = Map.copyOf(labels);
    }
}
