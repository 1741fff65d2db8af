package dev.redock.engine;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.command.PullImageCmd;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.AuthConfig;
import com.github.dockerjava.api.model.ContainerConfig;
import com.github.dockerjava.api.model.PullResponseItem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.redock.model.ImageRef;
import dev.redock.model.PullProgress;

/**
 * The images on the engine, for {@link DockerEngine}: pulling them (with credentials when the registry wants them),
 * tagging, looking them up, listing them by label and removing them. Building one is {@link ImageBuild}'s job.
 */
final class Images {

    private static final Logger LOG = LoggerFactory.getLogger(Images.class);

    private final EngineContext engine;

    Images(EngineContext engine) {
        this.engine = engine;
    }

    ImageInfo pull(String reference, RegistryAuth auth, Duration timeout, PullProgress listener) throws EngineException {
        ImageRef ref = ImageRef.parse(reference);
        PullImageCmd cmd = engine.client().pullImageCmd(ref.name()).withTag(ref.digest() != null ? ref.digest() : ref.tag());
        if (auth != null) {
            cmd.withAuthConfig(new AuthConfig().withRegistryAddress(auth.registry()).withUsername(auth.username()).withPassword(auth.password()));
        }
        PullCallback callback = new PullCallback(listener == null ? PullProgress.NONE : listener);
        try (callback) {
            cmd.exec(callback);
            if (!StreamCallback.awaitEnd(callback, timeout, "pulling " + reference)) {
                throw new EngineException("pulling " + reference + " did not finish within " + Seconds.of(timeout));
            }
            callback.rethrowFailure();
        } catch (NotFoundException e) {
            throw new ImageNotFoundException("image " + reference + " was not found: " + DockerErrors.daemonMessage(e), e);
        } catch (IOException e) {
            LOG.debug("Closing the pull stream of {} failed", reference, e);
        } catch (RuntimeException e) {
            throw engine.failed("pulling " + reference, e);
        }
        if (callback.error != null) {
            String error = callback.error;
            if (error.contains("not found") || error.contains("manifest unknown")) {
                throw new ImageNotFoundException("image " + reference + " was not found: " + error, null);
            }
            throw new EngineException("pulling " + reference + " failed: " + error);
        }
        String pulled = ref.digest() != null ? ref.withDigest(ref.digest()) : ref.nameWithTag();
        return image(pulled).orElseThrow(() -> new EngineException("pulling " + reference + " ended, but the engine has no such image"));
    }

    private static final class PullCallback extends StreamCallback<PullResponseItem> {
        private final PullProgress listener;

        PullCallback(PullProgress listener) {
            this.listener = listener;
        }

        @Override
        protected void item(PullResponseItem item) {
            if (item.getStatus() != null) {
                var detail = item.getProgressDetail();
                long current = detail == null || detail.getCurrent() == null ? 0 : detail.getCurrent();
                long total = detail == null || detail.getTotal() == null ? 0 : detail.getTotal();
                tell("pull progress", () -> listener.progress(item.getId(), item.getStatus(), current, total));
            }
        }
    }

    void tag(String sourceRef, ImageRef target) throws EngineException {
        try {
            engine.client().tagImageCmd(sourceRef, target.name(), target.tag()).withForce(true).exec();
        } catch (NotFoundException e) {
            throw new ImageNotFoundException("image " + sourceRef + " is not on the engine", e);
        } catch (RuntimeException e) {
            throw engine.failed("tagging " + sourceRef + " as " + target.nameWithTag(), e);
        }
    }

    /** The image with that id or reference, or empty when the engine does not have it. */
    Optional<ImageInfo> image(String ref) throws EngineException {
        return inspectImage(ref, image -> {
            ContainerConfig config = image.getConfig();
            Map<String, String> labels = config == null || config.getLabels() == null ? Map.of() : config.getLabels();
            boolean healthcheck = config != null && config.getHealthcheck() != null && config.getHealthcheck().getTest() != null
                    && !config.getHealthcheck().getTest().isEmpty() && !"NONE".equals(config.getHealthcheck().getTest().get(0));
            return new ImageInfo(image.getId(), orEmpty(image.getRepoTags()), orEmpty(image.getRepoDigests()), labels, healthcheck);
        });
    }

    /** What {@code reading} makes of the engine's own description of the image, or empty when it does not have it. */
    <T> Optional<T> inspectImage(String ref, Function<InspectImageResponse, T> reading) throws EngineException {
        return engine.lookUp("inspecting image " + ref, () -> reading.apply(engine.client().inspectImageCmd(ref).exec()));
    }

    boolean removeImage(String ref) throws EngineException {
        return engine.remove("image " + ref, () -> engine.client().removeImageCmd(ref).withForce(false).exec());
    }

    List<String> imagesByLabel(String key, String value) throws EngineException {
        try {
            return engine.client().listImagesCmd().withLabelFilter(value == null ? Map.of(key, "") : Map.of(key, value)).exec()
                    .stream()
                    .map(com.github.dockerjava.api.model.Image::getId)
                    .toList();
        } catch (RuntimeException e) {
            throw engine.failed("listing images", e);
        }
    }

    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }
}
