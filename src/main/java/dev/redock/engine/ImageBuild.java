package dev.redock.engine;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.model.BuildResponseItem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.redock.model.BuildProgress;

/**
 * Builds an image from a build context, for {@link DockerEngine}: tells the listener each step and line as the engine
 * streams them, and keeps the last lines, so that a failed build says what went wrong.
 */
final class ImageBuild {

    private static final Logger LOG = LoggerFactory.getLogger(ImageBuild.class);
    /** How many lines of build output a failed build reports. */
    static final int BUILD_LOG_TAIL = 20;
    private static final Pattern BUILD_STEP = Pattern.compile("^Step (\\d+)/(\\d+) : ");

    private final EngineContext engine;
    private final Images images;

    /** @param images finds the built image's full id */
    ImageBuild(EngineContext engine, Images images) {
        this.engine = engine;
        this.images = images;
    }

    String build(InputStream tarContext, String dockerfilePath, Set<String> tags, Map<String, String> labels,
                 Duration timeout, BuildProgress listener) throws EngineException {
        Map<String, String> allLabels = new LinkedHashMap<>(labels);
        allLabels.putAll(engine.commonLabels());
        BuildCallback callback = new BuildCallback(listener == null ? BuildProgress.NONE : listener);
        String what = "building " + String.join(", ", tags);
        try (callback) {
            // A build step may be silent for longer than an ordinary answer takes: the slow client waits, the deadline bounds it.
            engine.slowClient().buildImageCmd(tarContext)
                    .withDockerfilePath(dockerfilePath)
                    .withTags(tags)
                    .withLabels(allLabels)
                    .withPull(false)
                    .withRemove(true)
                    .withForcerm(true)
                    .exec(callback);
            if (!StreamCallback.awaitEnd(callback, timeout, what)) {
                throw new BuildFailedException(what + " did not finish within " + Seconds.of(timeout), callback.tail());
            }
            callback.rethrowFailure();
        } catch (IOException e) {
            LOG.debug("Closing the build stream failed", e);
        } catch (RuntimeException e) {
            if (e instanceof DockerException de && !DockerErrors.isConnectionFailure(e)) {
                throw new BuildFailedException("the build failed: " + DockerErrors.daemonMessage(de), callback.tail());
            }
            throw engine.failed(what, e);
        }
        if (callback.error != null) {
            throw new BuildFailedException("the build failed: " + callback.error, callback.tail());
        }
        // The full id, from the engine: the build's own output may only name a short one.
        String id = tags.isEmpty() ? callback.imageId : images.image(tags.iterator().next()).map(ImageInfo::id).orElse(null);
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
        protected void engineError(String error) {
            line(error);
        }

        @Override
        protected void item(BuildResponseItem item) {
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
            tell("build progress", () -> {
                Matcher step = BUILD_STEP.matcher(line);
                if (step.find()) {
                    listener.step(Integer.parseInt(step.group(1)), Integer.parseInt(step.group(2)));
                }
                listener.line(line);
            });
        }

        List<String> tail() {
            synchronized (tail) {
                return List.copyOf(tail);
            }
        }
    }
}
