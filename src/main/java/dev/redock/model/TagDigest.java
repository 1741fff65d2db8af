package dev.redock.model;

import java.util.Objects;

/**
 * What a tag points at right now.
 *
 * @param digest    the content digest, e.g. {@code sha256:4f5e...}; for a multi-platform tag, the index's digest
 * @param mediaType the manifest's media type as the registry named it, or null when it did not
 */
public record TagDigest(String digest, String mediaType) {

    public TagDigest {
        Objects.requireNonNull(digest, "digest");
    }
}
