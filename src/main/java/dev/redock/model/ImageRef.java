package dev.redock.model;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An image reference, parsed and normalised with Docker's own grammar (distribution/reference).
 *
 * <p>{@code nginx} is {@code docker.io/library/nginx:latest}; a first path component is a registry host only when it
 * contains a dot or a colon or is {@code localhost}. A reference may carry a tag, a digest or both; with neither the tag is
 * {@code latest}.
 *
 * @param registry   the registry host (and port), e.g. {@code docker.io}, {@code localhost:5000}
 * @param repository the repository path inside the registry, e.g. {@code library/nginx}
 * @param tag        the tag, never null (defaults to {@code latest})
 * @param digest     a pinned digest ({@code sha256:...}) or null
 */
public record ImageRef(String registry, String repository, String tag, String digest) {

    public static final String DOCKER_HUB = "docker.io";
    public static final String DEFAULT_TAG = "latest";

    private static final int MAX_NAME_LENGTH = 255;
    private static final Pattern DOMAIN_COMPONENT = Pattern.compile("(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])");
    private static final Pattern DOMAIN = Pattern.compile(
            DOMAIN_COMPONENT + "(?:\\." + DOMAIN_COMPONENT + ")*(?::[0-9]{1,5})?|\\[[0-9a-fA-F:]+\\](?::[0-9]{1,5})?");
    private static final Pattern PATH_COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*");
    private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
    private static final Pattern DIGEST = Pattern.compile("[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}");
    private static final Pattern SHA256 = Pattern.compile("sha256:[0-9a-f]{64}");

    public ImageRef {
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(repository, "repository");
        Objects.requireNonNull(tag, "tag");
    }

    /**
     * Parses a reference as the Docker CLI does.
     *
     * @throws InvalidReferenceException with a message that says what is wrong
     */
    public static ImageRef parse(String text) {
        if (text == null || text.isBlank()) {
            throw new InvalidReferenceException("image reference is empty");
        }
        String s = text.strip();
        if (!s.equals(text)) {
            throw new InvalidReferenceException("image reference \"" + text + "\" has leading or trailing spaces");
        }
        if (s.chars().anyMatch(Character::isWhitespace)) {
            throw new InvalidReferenceException("image reference \"" + text + "\" contains spaces");
        }

        String digest = null;
        int at = s.indexOf('@');
        if (at >= 0) {
            digest = s.substring(at + 1);
            s = s.substring(0, at);
            if (!DIGEST.matcher(digest).matches()) {
                throw new InvalidReferenceException("invalid digest \"" + digest + "\" in \"" + text + "\" (expected sha256:<64 hex digits>)");
            }
            if (digest.startsWith("sha256:") && !SHA256.matcher(digest).matches()) {
                throw new InvalidReferenceException("invalid digest \"" + digest + "\" in \"" + text + "\" (expected sha256:<64 hex digits>)");
            }
        }

        String tag = null;
        int lastSlash = s.lastIndexOf('/');
        int colon = s.lastIndexOf(':');
        if (colon > lastSlash) {
            tag = s.substring(colon + 1);
            s = s.substring(0, colon);
            if (!TAG.matcher(tag).matches()) {
                throw new InvalidReferenceException("invalid tag \"" + tag + "\" in \"" + text
                        + "\" (letters, digits, '_', '.' and '-', at most 128, not starting with '.' or '-')");
            }
        }
        if (s.isEmpty()) {
            throw new InvalidReferenceException("image reference \"" + text + "\" has no repository name");
        }

        String registry = DOCKER_HUB;
        String path = s;
        int slash = s.indexOf('/');
        if (slash > 0) {
            String first = s.substring(0, slash);
            if (first.contains(".") || first.contains(":") || first.equals("localhost") || first.startsWith("[")) {
                if (!DOMAIN.matcher(first).matches()) {
                    throw new InvalidReferenceException("invalid registry host \"" + first + "\" in \"" + text + "\"");
                }
                registry = first;
                path = s.substring(slash + 1);
            }
        } else if (slash == 0) {
            throw new InvalidReferenceException("image reference \"" + text + "\" starts with '/'");
        }
        if (path.isEmpty()) {
            throw new InvalidReferenceException("image reference \"" + text + "\" has no repository name");
        }
        for (String component : path.split("/", -1)) {
            if (!PATH_COMPONENT.matcher(component).matches()) {
                if (!component.equals(component.toLowerCase(Locale.ROOT))) {
                    throw new InvalidReferenceException("repository name \"" + path + "\" in \"" + text + "\" must be lowercase");
                }
                throw new InvalidReferenceException("invalid repository name \"" + path + "\" in \"" + text
                        + "\" (lowercase letters, digits and separators '.', '_', '-', '/')");
            }
        }
        // Docker Hub's legacy host names all mean docker.io.
        if (registry.equals("index.docker.io") || registry.equals("registry-1.docker.io")) {
            registry = DOCKER_HUB;
        }
        if (registry.equals(DOCKER_HUB) && !path.contains("/")) {
            path = "library/" + path;
        }
        if (registry.length() + 1 + path.length() > MAX_NAME_LENGTH) {
            throw new InvalidReferenceException("image name in \"" + text + "\" is longer than " + MAX_NAME_LENGTH + " characters");
        }
        return new ImageRef(registry, path, tag == null ? DEFAULT_TAG : tag, digest);
    }

    /** {@code registry/repository}, e.g. {@code docker.io/library/nginx}. */
    public String name() {
        return registry + "/" + repository;
    }

    /** The canonical form: {@code docker.io/library/nginx:latest}, with {@code @digest} when pinned. */
    public String canonical() {
        return name() + ":" + tag + (digest == null ? "" : "@" + digest);
    }

    /** {@code registry/repository:tag}, what the engine is asked to tag a pulled image as. */
    public String nameWithTag() {
        return name() + ":" + tag;
    }

    /** {@code registry/repository@digest}: the exact image, for pulling. */
    public String withDigest(String newDigest) {
        return name() + "@" + Objects.requireNonNull(newDigest, "digest");
    }

    /** The short form users type: {@code nginx:latest}, {@code localhost:5000/app:stable}. */
    public String familiar() {
        String repo = repository;
        String prefix = "";
        if (registry.equals(DOCKER_HUB)) {
            if (repo.startsWith("library/") && repo.indexOf('/', "library/".length()) < 0) {
                repo = repo.substring("library/".length());
            }
        } else {
            prefix = registry + "/";
        }
        return prefix + repo + ":" + tag + (digest == null ? "" : "@" + digest);
    }

    /** The key that polling groups by: one registry request per distinct key. */
    public String tagKey() {
        return name() + ":" + tag;
    }

    /** A suggested service name: the last path component, e.g. {@code nginx} for {@code docker.io/library/nginx}. */
    public String suggestedName() {
        return repository.substring(repository.lastIndexOf('/') + 1);
    }

    @Override
    public String toString() {
        return canonical();
    }
}
