package dev.redock.testenv;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The real {@code docker} CLI, run on a configuration folder of a test's own ({@code DOCKER_CONFIG}) and never on the
 * user's {@code ~/.docker}: what makes the contexts Redock then reads ({@code docker context create}, {@code use}).
 *
 * <pre>{@code
 * DockerCli docker = DockerCli.on(tempDir.resolve("docker-config"));
 * docker.run("context", "create", "remote", "--docker", "host=ssh://me@host");
 * docker.run("context", "use", "remote");
 * }</pre>
 */
public final class DockerCli {

    private final Path configDir;

    private DockerCli(Path configDir) {
        this.configDir = configDir;
    }

    /** The CLI on this configuration folder (made if missing); fails naming the setup command when there is no CLI. */
    public static DockerCli on(Path configDir) {
        if (!Files.isExecutable(Path.of("/usr/bin/docker")) && Stream.of(System.getenv().getOrDefault("PATH", "")
                .split(File.pathSeparator)).noneMatch(p -> Files.isExecutable(Path.of(p, "docker")))) {
            throw new IllegalStateException("the docker CLI is not installed; these tests make docker contexts with it. Run"
                    + " them with `" + TestEnv.SETUP_COMMAND + "`, which installs what is missing");
        }
        try {
            return new DockerCli(Files.createDirectories(configDir).toAbsolutePath());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path configDir() {
        return configDir;
    }

    /** Runs {@code docker <args>} and returns its output; fails with it when docker fails. */
    public String run(String... args) {
        List<String> command = new ArrayList<>();
        // Debian's client matches its engine, as in the test script; another docker on the PATH does as well.
        command.add(Files.isExecutable(Path.of("/usr/bin/docker")) ? "/usr/bin/docker" : "docker");
        // The CLI itself always on the default context: on a remote one, it would first try to reach that engine.
        command.addAll(List.of("--context", "default"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        Map<String, String> environment = pb.environment();
        Stream.of("DOCKER_HOST", "DOCKER_CONTEXT", "DOCKER_TLS_VERIFY", "DOCKER_CERT_PATH").forEach(environment::remove);
        environment.put("DOCKER_CONFIG", configDir.toString());
        return HostCommands.output(pb, Duration.ofSeconds(30));
    }
}
