package dev.redock.deploy;

import java.time.Instant;

import dev.redock.model.CommitInfo;
import dev.redock.model.ImageRef;
import dev.redock.model.Service;

/**
 * A version made ready to run: an image on the engine that a service's new container is made from.
 *
 * @param image  the image reference the new container is made from
 * @param digest the tag's digest, or the built image's id
 * @param commit the commit it was built from, or null for an image pulled from a registry
 * @param runAs  what the engine is asked to make the container from: the reference's tag, or for an image the service
 *               follows by its id on the engine (adopted from a container started by image id), that id
 */
public record Release(ImageRef image, String digest, CommitInfo commit, String runAs) {

    public Release {
        runAs = runAs == null ? image.nameWithTag() : runAs;
    }

    /** A release made from the reference's tag. */
    public Release(ImageRef image, String digest, CommitInfo commit) {
        this(image, digest, commit, null);
    }

    /** Whether Redock built the image for the service, so that it removes the image once nothing needs it. */
    boolean built() {
        return commit != null;
    }

    /** The service once it runs this release. */
    Service runBy(Service service, Instant now) {
        return built() ? service.withBuild(image, digest, commit.sha(), now) : service.withDigest(digest, now);
    }

    /** How history and the log name it: the commit and the image's short id, or the short digest. */
    String describe() {
        return built() ? commit.shortSha() + " (" + Deployer.shortDigest(digest) + ")" : Deployer.shortDigest(digest);
    }
}
