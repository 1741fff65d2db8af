package dev.redock.testenv;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A compose project of a test's own in a folder of its own, run with the real {@code docker-compose} (Debian's 1.29) on the
 * tests' engine. The project's containers and its default network carry the run's label (the compose file a test writes
 * puts it there), so the run's clean-up takes them away even when {@link #down} never ran.
 */
public final class TestCompose {

    private final Path folder;
    private final String project;

    private TestCompose(Path folder, String project) {
        this.folder = folder;
        this.project = project;
    }

    /** A project named {@code project} whose {@code docker-compose.yml} is {@code yaml}, written into {@code folder}. */
    public static TestCompose write(Path folder, String project, String yaml) {
        if (Path.of("/usr/bin/docker-compose").toFile().canExecute() || onPath("docker-compose")) {
            try {
                Files.createDirectories(folder);
                Files.writeString(folder.resolve("docker-compose.yml"), yaml);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return new TestCompose(folder.toAbsolutePath(), project);
        }
        throw new IllegalStateException("docker-compose is not installed; the compose tests run a project with it. Run them"
                + " with `" + TestEnv.SETUP_COMMAND + "`, which installs what is missing");
    }

    private static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    public Path folder() {
        return folder;
    }

    public String project() {
        return project;
    }

    /** The name compose 1.x gives the first container of a service: {@code <project>_<service>_1}. */
    public String container(String service) {
        return project + "_" + service + "_1";
    }

    /** Runs {@code docker-compose -p PROJECT <args>} in the project's folder; its output (stderr too). */
    public String run(String... args) {
        List<String> command = new ArrayList<>(List.of("docker-compose", "--project-name", project));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(folder.toFile());
        pb.environment().put("DOCKER_HOST", TestEnv.dockerHost().toString());
        pb.environment().remove("DOCKER_CONTEXT");
        return HostCommands.output(pb, java.time.Duration.ofSeconds(120));
    }

    /** Stops and removes the project's containers and network (compose's own clean-up; only this project's). */
    public void down() {
        try {
            run("down", "--timeout", "1");
        } catch (RuntimeException e) {
            // The run's clean-up takes what is labelled.
        }
    }
}
