package dev.redock.model;

import java.time.Instant;
import java.util.UUID;

/**
 * A service: one container kept on the image tag it follows.
 *
 * @param id           stable identity
 * @param name         unique, also the container's name
 * @param image        the image reference it follows
 * @param spec         the container configuration
 * @param autoredeploy whether a new push to the tag redeploys it (off unless the user turns it on)
 * @param digest       the digest of the tag it runs, or null when not known
 * @param created      when it was launched
 * @param updated      when it last changed
 */
public record Service(UUID id, String name, ImageRef image, ContainerSpec spec, boolean autoredeploy, String digest,
                      Instant created, Instant updated) {

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

    public Service withAutoredeploy(boolean on, Instant now) {
        return new Service(id, name, image, spec, on, digest, created, now);
    }

    public Service withDigest(String newDigest, Instant now) {
        return new Service(id, name, image, spec, autoredeploy, newDigest, created, now);
    }

    public Service withSpec(ImageRef newImage, ContainerSpec newSpec, Instant now) {
        return new Service(id, name, newImage, newSpec, autoredeploy, digest, created, now);
    }
}
