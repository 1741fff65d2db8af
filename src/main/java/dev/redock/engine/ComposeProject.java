package dev.redock.engine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.redock.model.ExistingContainer;

/**
 * The compose project a container belongs to, as compose's labels on it say: the project, the container's service in it,
 * and where the project's files are ({@code com.docker.compose.project.working_dir} and {@code .config_files}).
 *
 * @param name        the project
 * @param service     the container's service in it
 * @param workingDir  the folder {@code docker compose up} ran in, or null when the labels do not say
 * @param configFiles the project's compose files, absolute; empty when the labels do not say
 */
public record ComposeProject(String name, String service, Path workingDir, List<Path> configFiles) {

    public ComposeProject {
        configFiles = List.copyOf(configFiles);
    }

    /** The project of a container with these labels, or empty when compose did not make it. */
    public static Optional<ComposeProject> of(Map<String, String> labels) {
        String project = labels.get(ExistingContainer.COMPOSE_PROJECT);
        String service = labels.get(ExistingContainer.COMPOSE_SERVICE);
        if (project == null || project.isBlank() || service == null || service.isBlank()) {
            return Optional.empty();
        }
        String dir = labels.get(ExistingContainer.COMPOSE_WORKING_DIR);
        Path workingDir = dir == null || dir.isBlank() ? null : Path.of(dir);
        String files = labels.get(ExistingContainer.COMPOSE_CONFIG_FILES);
        List<Path> configFiles = files == null || files.isBlank() || workingDir == null
                ? List.of()
                : Arrays.stream(files.split(",")).map(String::strip).filter(f -> !f.isEmpty())
                        .map(f -> workingDir.resolve(f).normalize()).toList();
        return Optional.of(new ComposeProject(project, service, workingDir, configFiles));
    }

    /**
     * Whether compose itself can read the project here: its folder and every file of it are readable on this machine (an
     * engine elsewhere, or a project moved or deleted since, leaves them out of reach).
     */
    public boolean filesReadable() {
        return workingDir != null && Files.isDirectory(workingDir) && !configFiles.isEmpty()
                && configFiles.stream().allMatch(Files::isReadable);
    }
}
