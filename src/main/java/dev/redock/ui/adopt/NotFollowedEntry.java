package dev.redock.ui.adopt;

import java.util.List;
import java.util.Objects;

import dev.redock.model.UnfollowedContainer;

/**
 * One row of the "Not followed" tree: a container, or a compose project on an engine with its containers under it.
 *
 * @param engine    the engine it is on
 * @param project   the compose project (of the container, or the project row's own), or null
 * @param container the container, or null on a project's row
 * @param members   a project row's containers; empty on a container's row
 */
public record NotFollowedEntry(String engine, String project, UnfollowedContainer container, List<UnfollowedContainer> members) {

    public NotFollowedEntry {
        members = List.copyOf(members);
    }

    static NotFollowedEntry of(UnfollowedContainer c) {
        return new NotFollowedEntry(c.engine(), c.project(), c, List.of());
    }

    static NotFollowedEntry project(String engine, String project, List<UnfollowedContainer> members) {
        return new NotFollowedEntry(engine, Objects.requireNonNull(project), null, members);
    }

    public boolean isProject() {
        return container == null;
    }

    /** What the row shows as its name: the container's, or the project's. */
    public String name() {
        return isProject() ? project : container.name();
    }

    /** How a sentence names it: {@code web}, or {@code compose project shop}. */
    public String describe() {
        return isProject() ? "compose project " + project : container.name();
    }

    /** What stays the same across reads, to keep the selection and what is expanded. */
    String key() {
        return engine + "/" + (isProject() ? "project:" + project : container.id());
    }

    /**
     * Why autoredeploy cannot be on once it is followed, or null: its image has no tag (for a project, any of its
     * containers', since a project is followed all together or not at all).
     */
    public String noTag() {
        if (!isProject()) {
            return container.noTag();
        }
        List<String> reasons = members.stream().map(UnfollowedContainer::noTag).filter(Objects::nonNull).toList();
        return reasons.isEmpty() ? null : String.join("\n", reasons);
    }
}
