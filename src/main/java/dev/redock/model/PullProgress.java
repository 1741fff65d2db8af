package dev.redock.model;

/** Hears how a pull goes, layer by layer; called on the engine's I/O thread, so hand work to the UI thread yourself. */
@FunctionalInterface
public interface PullProgress {

    PullProgress NONE = (layer, status, current, total) -> {
    };

    /**
     * @param layer   the layer id, or null for messages about the whole image
     * @param status  the engine's words, e.g. {@code Downloading}, {@code Pull complete}
     * @param current bytes done, 0 when unknown
     * @param total   bytes in all, 0 when unknown
     */
    void progress(String layer, String status, long current, long total);
}
