package dev.redock.model;

import java.util.Objects;

/**
 * A git commit as history shows it.
 *
 * @param sha     the full commit id (40 hex digits)
 * @param author  {@code Name <email>}
 * @param message the commit message's first line
 */
public record CommitInfo(String sha, String author, String message) {

    public CommitInfo {
        Objects.requireNonNull(sha, "sha");
    }

    /** The first 7 hex digits, as git shows them and as the built image's tag. */
    public String shortSha() {
        return shortSha(sha);
    }

    public static String shortSha(String sha) {
        return sha == null ? "-" : sha.length() > 7 ? sha.substring(0, 7) : sha;
    }
}
