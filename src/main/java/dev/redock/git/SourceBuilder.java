package dev.redock.git;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import dev.redock.engine.Engines;
import dev.redock.engine.EngineException;
import dev.redock.model.BuildProgress;
import dev.redock.model.CommitInfo;
import dev.redock.model.GitSource;
import dev.redock.model.ImageRef;
import dev.redock.model.Labels;

/**
 * Turns a commit into an image: fetches it into the {@link SourceCache}, sends its build context to the engine, and
 * tags the result {@code redock/<service>:<short sha>} with the OCI labels that say where it came from.
 */
public final class SourceBuilder {

    private final SourceCache cache;
    private final Engines engines;
    private final Path scratch;

    /**
     * @param scratch a folder for build contexts on their way to the engine (in the data folder: they may be large)
     */
    public SourceBuilder(SourceCache cache, Engines engines, Path scratch) {
        this.cache = cache;
        this.engines = engines;
        this.scratch = scratch;
    }

    /**
     * An image built from a commit.
     *
     * @param image   {@code redock/<service>:<short sha>}
     * @param imageId the engine's id for it ({@code sha256:...})
     */
    public record Built(ImageRef image, String imageId) {
    }

    /** Fetches the commit (if the cache lacks it) and says who made it and why. */
    public CommitInfo fetch(GitSource source, String sha, BuildProgress progress) throws GitException {
        return cache.fetch(source, sha, progress);
    }

    /** The paths that differ between two fetched commits, or empty when the older one is not known here. */
    public Optional<Set<String>> changedPaths(GitSource source, String fromSha, String toSha) throws GitException {
        return cache.changedPaths(source, fromSha, toSha);
    }

    /**
     * Builds the fetched commit's context with its Dockerfile, on the engine of this name.
     *
     * @throws GitException    when the commit has no such context or Dockerfile
     * @throws EngineException when the build fails ({@link dev.redock.engine.BuildFailedException}, with the output's tail)
     */
    public Built build(String engine, String serviceName, UUID serviceId, GitSource source, CommitInfo commit,
                       Duration timeout, BuildProgress progress) throws GitException, EngineException {
        ImageRef image = GitSource.builtImage(serviceName, commit.shortSha());
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(Labels.OCI_REVISION, commit.sha());
        // Without the credentials a source stored before Redock refused them may carry: labels are for anybody to read.
        labels.put(Labels.OCI_SOURCE, source.urlWithoutCredentials());
        labels.put(Labels.SERVICE, serviceId.toString());
        labels.put(Labels.SERVICE_NAME, serviceName);
        labels.put(Labels.COMMIT, commit.sha());
        Path tar;
        try {
            Files.createDirectories(scratch);
            tar = Files.createTempFile(scratch, "context-", ".tar");
        } catch (IOException e) {
            throw new EngineException("cannot make room for the build context in " + scratch + ": " + e.getMessage(), e);
        }
        try {
            String dockerfile;
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tar))) {
                dockerfile = cache.writeContext(source, commit.sha(), out);
            } catch (IOException e) {
                throw new EngineException("cannot write the build context to " + tar + ": " + e.getMessage(), e);
            }
            progress.line("Building " + image.familiar() + " from " + commit.shortSha() + " (" + source.dockerfile() + ")");
            try (InputStream in = Files.newInputStream(tar)) {
                String id = engines.of(engine).build(in, dockerfile, Set.of(image.nameWithTag()), labels, timeout, progress);
                return new Built(image, id);
            } catch (IOException e) {
                throw new EngineException("cannot read the build context " + tar + ": " + e.getMessage(), e);
            }
        } finally {
            try {
                Files.deleteIfExists(tar);
            } catch (IOException ignored) {
                // a leftover temp file in the scratch folder; the next build does not need it
            }
        }
    }
}
