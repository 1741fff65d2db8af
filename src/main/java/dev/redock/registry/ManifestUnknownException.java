package dev.redock.registry;

import java.util.Objects;

import dev.redock.model.ImageRef;

/** The registry knows no such repository, or the repository has no such tag (HTTP 404). */
public final class ManifestUnknownException extends RegistryException {

    private final transient ImageRef ref;

    public ManifestUnknownException(ImageRef ref, String message) {
        super(ref.registry(), message, null);
        this.ref = Objects.requireNonNull(ref, "ref");
    }

    /** The reference that was not found. */
    public ImageRef ref() {
        return ref;
    }

    /** A missing tag is about this one image: the registry itself is fine. */
    @Override
    public boolean affectsRegistry() {
        return false;
    }
}
