package dev.redock.model;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * A service: one container kept on the image tag it follows, or on the branch of a git repository it is built from.
 *
 * @param id           stable identity
 * @param name         unique, also the container's name
 * @param image        the image reference it follows; for a service built from source, the image last built for it
 *                     ({@code redock/<name>:<short sha>})
 * @param spec         the container configuration
 * @param autoredeploy whether a new push to the tag redeploys it (off unless the user turns it on)
 * @param digest       the digest of the tag it runs (for a service built from source, the built image's id), or null
 *                     when not known
 * @param created      when it was launched
 * @param updated      when it last changed
 * @param git          the git source it is built from, or null for a service that follows an image tag
 * @param commit       the commit it runs (services built from source), or null
 * @param engine       the name of the engine it runs on ({@link #DEFAULT_ENGINE} unless the user chose another)
 * @param adopted      the id of the container it was adopted from, while that container is still the service's (it does
 *                     not carry Redock's label: the engine cannot add one to a container that exists); null once a
 *                     redeploy made the service a container of Redock's own, and for services Redock launched
 * @param minUptime    how long a new container of it must keep running before it counts as up, or null for Redock's
 *                     default ({@code REDOCK_MIN_UPTIME}); zero when the engine saying it runs is enough
 */
public record Service(UUID id, String name, ImageRef image, ContainerSpec spec, boolean autoredeploy, String digest,
                      Instant created, Instant updated, GitSource git, String commit, String engine, String adopted,
                      Duration minUptime) {

    /** The engine the docker CLI itself would use: where services run unless the user chose another. */
    public static final String DEFAULT_ENGINE = "default";

    /** The longest minimum uptime a service may have. */
    public static final Duration LONGEST_MIN_UPTIME = Duration.ofHours(1);

    public Service {
        engine = engine == null || engine.isBlank() ? DEFAULT_ENGINE : engine;
    }

    /** A service with Redock's default minimum uptime. */
    public Service(UUID id, String name, ImageRef image, ContainerSpec spec, boolean autoredeploy, String digest,
                   Instant created, Instant updated, GitSource git, String commit, String engine, String adopted) {
        this(id, name, image, spec, autoredeploy, digest, created, updated, git, commit, engine, adopted, null);
    }

    /** A service Redock launched, on the given engine. */
    public Service(UUID id, String name, ImageRef image, ContainerSpec spec, boolean autoredeploy, String digest,
                   Instant created, Instant updated, GitSource git, String commit, String engine) {
        this(id, name, image, spec, autoredeploy, digest, created, updated, git, commit, engine, null);
    }

    /** A service on the default engine. */
    public Service(UUID id, String name, ImageRef image, ContainerSpec spec, boolean autoredeploy, String digest,
                   Instant created, Instant updated, GitSource git, String commit) {
        this(id, name, image, spec, autoredeploy, digest, created, updated, git, commit, DEFAULT_ENGINE);
    }

    /** A service that follows an image tag, on the default engine. */
    public Service(UUID id, String name, ImageRef image, ContainerSpec spec, boolean autoredeploy, String digest,
                   Instant created, Instant updated) {
        this(id, name, image, spec, autoredeploy, digest, created, updated, null, null);
    }

    /** Whether it is built from a git repository rather than pulled from a registry. */
    public boolean fromGit() {
        return git != null;
    }

    /** Where it comes from, as lists show it: {@code nginx:latest} or {@code git:<url>#<branch>}. */
    public String source() {
        return git != null ? git.describe() : image.familiar();
    }

    private static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}");

    /** Checks a service name: the engine's container-name grammar, at most 63 characters. */
    public static String validName(String name) {
        if (name == null || name.isBlank()) {
            throw new ValidationException("name", "name is empty");
        }
        if (!NAME.matcher(name).matches()) {
            throw new ValidationException("name", "invalid name \"" + name
                    + "\" (letters, digits, '_', '.' and '-', starting with a letter or digit, at most 63)");
        }
        return name;
    }

    /**
     * Whether this container is the service's (or one a deployment of it made beside it): it carries the service's label,
     * or it is the container the service was adopted from.
     */
    public boolean owns(ContainerInfo c) {
        return id.toString().equals(c.labels().get(Labels.SERVICE)) || (adopted != null && adopted.equals(c.id()));
    }

    /**
     * Why autoredeploy cannot be on for it, or null when it can: a service must follow a tag (or a branch) for a new
     * version to be noticed.
     */
    public String autoredeployRefused() {
        if (git == null && image.digest() != null) {
            return name + " runs " + image.familiar() + " by digest: there is no tag to follow, so autoredeploy stays off"
                    + " (choose a tag in Edit to follow it)";
        }
        return null;
    }

    public Service withAutoredeploy(boolean on, Instant now) {
        return new Service(id, name, image, spec, on, digest, created, now, git, commit, engine, adopted, minUptime);
    }

    /** The service after a deployment of {@code newDigest} went live: its container is now one Redock made. */
    public Service withDigest(String newDigest, Instant now) {
        return new Service(id, name, image, spec, autoredeploy, newDigest, created, now, git, commit, engine, null, minUptime);
    }

    /**
     * The service after an edit of what the Edit form shows (image, container spec, autoredeploy, git source, minimum
     * uptime).
     */
    public Service edited(ImageRef newImage, ContainerSpec newSpec, boolean on, GitSource newGit, Duration newMinUptime,
                          Instant now) {
        return new Service(id, name, newImage, newSpec, on, digest, created, now, newGit, commit, engine, adopted, newMinUptime);
    }

    public Service withSpec(ImageRef newImage, ContainerSpec newSpec, Instant now) {
        return new Service(id, name, newImage, newSpec, autoredeploy, digest, created, now, git, commit, engine, adopted,
                minUptime);
    }

    /** The service with another minimum uptime (null for Redock's default). */
    public Service withMinUptime(Duration newMinUptime) {
        return new Service(id, name, image, spec, autoredeploy, digest, created, updated, git, commit, engine, adopted,
                newMinUptime);
    }

    /** The service after a build of {@code newCommit} into {@code newImage} (whose id is {@code imageId}) went live. */
    public Service withBuild(ImageRef newImage, String imageId, String newCommit, Instant now) {
        return new Service(id, name, newImage, spec, autoredeploy, imageId, created, now, git, newCommit, engine, null,
                minUptime);
    }

    /**
     * Checks a minimum uptime: from zero (the engine saying the container runs is enough) to {@link #LONGEST_MIN_UPTIME}.
     * Null stands for Redock's default and passes.
     */
    public static Duration validMinUptime(Duration d) {
        if (d != null && (d.isNegative() || d.compareTo(LONGEST_MIN_UPTIME) > 0)) {
            throw new ValidationException("minUptime", "minimum uptime must be between 0s and "
                    + Durations.format(LONGEST_MIN_UPTIME) + " (got " + Durations.format(d) + ")");
        }
        return d;
    }
}
