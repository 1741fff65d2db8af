package dev.redock.model;

import java.util.List;

/**
 * A container as Redock reads it to adopt it: what it is, and the settings Redock's forms edit, with what the engine
 * filled in from the image's own defaults left out (so that a new image's defaults take effect at the next redeploy).
 *
 * @param info        the container
 * @param spec        its settings as the Edit form shows them
 * @param repoDigests the {@code repository@digest} names its image has (from the registries it was pulled from or pushed
 *                    to); empty for an image only ever built or loaded here
 * @param repoTags    the {@code repository:tag} names its image has now
 * @param autoRemove  whether it was started with {@code --rm}: the engine removes it as soon as it stops
 */
public record ExistingContainer(ContainerInfo info, ContainerSpec spec, List<String> repoDigests, List<String> repoTags,
                                boolean autoRemove) {

    /** Labels the docker CLI's compose puts on the containers of a project. */
    public static final String COMPOSE_PROJECT = "com.docker.compose.project";
    public static final String COMPOSE_SERVICE = "com.docker.compose.service";
    public static final String COMPOSE_WORKING_DIR = "com.docker.compose.project.working_dir";
    public static final String COMPOSE_CONFIG_FILES = "com.docker.compose.project.config_files";
    public static final String COMPOSE_CONFIG_HASH = "com.docker.compose.config-hash";
    public static final String COMPOSE_ONE_OFF = "com.docker.compose.oneoff";
    /** A task of a Swarm service: Swarm itself replaces it. */
    public static final String SWARM_TASK = "com.docker.swarm.task.id";

    public ExistingContainer {
        repoDigests = List.copyOf(repoDigests);
        repoTags = List.copyOf(repoTags);
    }
}
