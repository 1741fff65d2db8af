package dev.redock.model;

import java.time.Instant;

/**
 * A container on an engine that no service follows, as the "Not followed" list shows it.
 *
 * @param engine         the engine it runs on
 * @param id             its full id
 * @param name           its name
 * @param image          the image reference it was started from, as given ({@code nginx:1.27}, an id, a digest)
 * @param state          the engine's word for what it does ({@code running}, {@code exited}, ...)
 * @param status         the engine's own line ({@code Up 3 hours (healthy)})
 * @param project        its compose project, or null
 * @param composeService its service in that project, or null
 * @param created        when it was created
 * @param noTag          why autoredeploy could not be on once it is adopted (its image has no tag), or null
 */
public record UnfollowedContainer(String engine, String id, String name, String image, String state, String status,
                                  String project, String composeService, Instant created, String noTag) {

    /** The first 12 characters of the id, as the Docker CLI shows it. */
    public String shortId() {
        return id.length() > 12 ? id.substring(0, 12) : id;
    }

    public boolean running() {
        return "running".equals(state);
    }
}
