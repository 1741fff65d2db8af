package dev.redock.service;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

import dev.redock.model.ContainerSpec;
import dev.redock.model.EngineEntry;
import dev.redock.model.EnvMask;
import dev.redock.model.GitSource;
import dev.redock.model.ImageRef;

/**
 * A service to launch, already parsed: what the CLI, the wizard and the API hand over. It has exactly one source: an
 * image to follow, or a git repository's branch to build.
 *
 * @param name         the name, or null to take one from the image or the repository
 * @param image        the image reference to follow, or null for a service built from source
 * @param spec         the container configuration
 * @param autoredeploy off unless the user turned it on
 * @param git          the git source to build from, or null for a service that follows an image
 * @param engine       the engine to run it on, or null for the one new services go to ({@code redock engine use})
 * @param minUptime    how long a new container must keep running to count as up, or null for Redock's default
 */
public record LaunchRequest(String name, ImageRef image, ContainerSpec spec, boolean autoredeploy, GitSource git,
                            String engine, Duration minUptime) {

    public LaunchRequest {
        if ((image == null) == (git == null)) {
            throw new IllegalArgumentException("a launch needs exactly one source: an image or a git repository");
        }
        Objects.requireNonNull(spec, "spec");
        // A new service has no stored value for a masked one to keep.
        EnvMask.unmasked(spec.env(), Map.of());
    }

    /** A service on the engine new services go to, with Redock's default minimum uptime. */
    public LaunchRequest(String name, ImageRef image, ContainerSpec spec, boolean autoredeploy, GitSource git) {
        this(name, image, spec, autoredeploy, git, null, null);
    }

    /** A service that follows an image tag. */
    public LaunchRequest(String name, ImageRef image, ContainerSpec spec, boolean autoredeploy) {
        this(name, image, spec, autoredeploy, null);
    }

    /** The same launch, on the engine of this name (null: the one new services go to). */
    public LaunchRequest onEngine(String engineName) {
        return new LaunchRequest(name, image, spec, autoredeploy, git,
                engineName == null || engineName.isBlank() ? null : EngineEntry.validName(engineName.strip()), minUptime);
    }

    /** The same launch, with this minimum uptime (null: Redock's default). */
    public LaunchRequest withMinUptime(Duration uptime) {
        return new LaunchRequest(name, image, spec, autoredeploy, git, engine, uptime);
    }

    /** A service built from a git repository's branch. */
    public static LaunchRequest fromGit(String name, GitSource git, ContainerSpec spec, boolean autoredeploy) {
        return new LaunchRequest(name, null, spec, autoredeploy, git);
    }

    /** The name asked for, or one taken from the image or the repository. */
    public String nameOrSuggested() {
        if (name != null && !name.isBlank()) {
            return name;
        }
        return git != null ? git.suggestedName() : image.suggestedName();
    }
}
