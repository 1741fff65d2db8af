package dev.redock.ui.launch;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;

import javafx.application.Platform;

import dev.redock.model.PullProgress;

/**
 * Turns the engine's pull progress (per layer, on the engine's I/O thread) into one fraction and one line of text, handed
 * to the FX thread at most once per frame: downloading counts for the first half of a layer, extracting for the second.
 */
final class PullMeter implements PullProgress {

    private final Map<String, Double> layers = new LinkedHashMap<>();
    private final AtomicBoolean posted = new AtomicBoolean();
    private final BiConsumer<Double, String> onFx;
    private String text = "Pulling the image…";
    private boolean done;

    /** @param onFx gets (fraction or -1 when unknown, text) on the FX thread */
    PullMeter(BiConsumer<Double, String> onFx) {
        this.onFx = onFx;
    }

    @Override
    public void progress(String layer, String status, long current, long total) {
        synchronized (this) {
            String s = status == null ? "" : status;
            if (layer == null || layer.isBlank()) {
                if (s.startsWith("Status:") || s.startsWith("Digest:")) {
                    done = true;
                    text = "Image pulled. Starting the container and waiting until it runs…";
                } else if (!s.isBlank()) {
                    text = s;
                }
            } else {
                double part = switch (s) {
                    case "Pull complete", "Already exists", "Download complete" -> s.equals("Download complete") ? 0.5 : 1.0;
                    case "Downloading" -> total > 0 ? 0.5 * current / total : 0.0;
                    case "Extracting" -> total > 0 ? 0.5 + 0.5 * current / total : 0.5;
                    default -> layers.getOrDefault(layer, 0.0);
                };
                layers.merge(layer, part, Math::max);
                text = s + " " + (layer.length() > 12 ? layer.substring(0, 12) : layer) + " (" + layers.size()
                        + (layers.size() == 1 ? " layer)" : " layers)");
            }
        }
        if (!posted.getAndSet(true)) {
            Platform.runLater(() -> {
                posted.set(false);
                double fraction;
                String line;
                synchronized (this) {
                    fraction = done ? 1.0 : layers.isEmpty() ? -1
                            : layers.values().stream().mapToDouble(Double::doubleValue).sum() / layers.size();
                    line = text;
                }
                onFx.accept(fraction, line);
            });
        }
    }
}
