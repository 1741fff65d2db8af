package dev.redock.engine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks compose itself about a project whose files are readable here: the configuration hash it expects on a service's
 * container, and which services depend on which. Compose works both out from the files, its own defaults and the images on
 * the engine, which nothing but compose can reproduce exactly. {@code docker-compose} (1.x) or the docker CLI's
 * {@code compose} plugin, whichever is installed.
 */
public final class ComposeCli {

    private static final Logger LOG = LoggerFactory.getLogger(ComposeCli.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final List<String> command;

    private ComposeCli(List<String> command) {
        this.command = List.copyOf(command);
    }

    /** Compose as installed on this machine, or empty when it is not. */
    public static Optional<ComposeCli> find() {
        for (List<String> candidate : List.of(List.of("docker-compose"), List.of("docker", "compose"))) {
            if (onPath(candidate.get(0))) {
                ComposeCli cli = new ComposeCli(candidate);
                if (cli.run(null, Map.of(), "version").isPresent()) {
                    return Optional.of(cli);
                }
            }
        }
        return Optional.empty();
    }

    private static boolean onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    /**
     * The {@code com.docker.compose.config-hash} compose expects on the service's container now, given the images on the
     * engine: a container that carries it is one {@code up} leaves alone. Empty when compose cannot tell.
     *
     * @param engineEnvironment how compose reaches the engine ({@link DockerEngine#clientEnvironment()})
     */
    public Optional<String> configHash(ComposeProject project, Map<String, String> engineEnvironment) {
        if (!project.filesReadable()) {
            return Optional.empty();
        }
        Optional<String> out = run(project, engineEnvironment, "config", "--hash=" + project.service());
        return out.flatMap(text -> text.lines()
                .map(String::strip)
                .filter(line -> line.startsWith(project.service() + " "))
                .map(line -> line.substring(project.service().length() + 1).strip())
                .filter(hash -> hash.matches("[0-9a-f]{64}"))
                .findFirst());
    }

    /**
     * Each service of the project with the services it depends on ({@code depends_on}, and {@code links}), in the order the
     * files give them. Empty when compose cannot read the project.
     */
    public Optional<Map<String, List<String>>> dependencies(ComposeProject project, Map<String, String> engineEnvironment) {
        if (!project.filesReadable()) {
            return Optional.empty();
        }
        return run(project, engineEnvironment, "config").flatMap(text -> {
            try {
                return Optional.of(dependenciesIn(YAML.readTree(text)));
            } catch (IOException e) {
                LOG.warn("Cannot read what compose printed for project {}: {}", project.name(), e.getMessage());
                return Optional.empty();
            }
        });
    }

    static Map<String, List<String>> dependenciesIn(JsonNode config) {
        Map<String, List<String>> result = new LinkedHashMap<>();
        JsonNode services = config.path("services");
        services.fieldNames().forEachRemaining(name -> {
            List<String> needs = new ArrayList<>();
            JsonNode service = services.path(name);
            JsonNode dependsOn = service.path("depends_on");
            if (dependsOn.isArray()) {
                dependsOn.forEach(d -> needs.add(d.asText()));
            } else if (dependsOn.isObject()) {
                dependsOn.fieldNames().forEachRemaining(needs::add);
            }
            service.path("links").forEach(link -> {
                String target = link.asText().split(":", 2)[0];
                if (!needs.contains(target)) {
                    needs.add(target);
                }
            });
            result.put(name, needs);
        });
        return result;
    }

    /** Runs compose on the project (or bare, with none); its output, or empty when it failed. */
    private Optional<String> run(ComposeProject project, Map<String, String> engineEnvironment, String... args) {
        List<String> line = new ArrayList<>(command);
        if (project != null) {
            line.addAll(List.of("--project-name", project.name()));
            project.configFiles().forEach(f -> line.addAll(List.of("--file", f.toString())));
        }
        line.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(line).redirectErrorStream(false);
        if (project != null) {
            pb.directory(project.workingDir().toFile());
        }
        pb.environment().putAll(engineEnvironment);
        try {
            Path errors = Files.createTempFile("redock-compose", ".err");
            try {
                pb.redirectError(errors.toFile());
                Process p = pb.start();
                p.getOutputStream().close();
                // Read beside the wait, so that a compose that hangs (an engine that stopped answering) is given up on.
                java.util.concurrent.CompletableFuture<byte[]> reading = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                    try {
                        return p.getInputStream().readAllBytes();
                    } catch (IOException e) {
                        return new byte[0];
                    }
                });
                if (!p.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    LOG.warn("{} took longer than {} s", String.join(" ", line), TIMEOUT.toSeconds());
                    return Optional.empty();
                }
                byte[] out = reading.join();
                if (p.exitValue() != 0) {
                    LOG.warn("{} failed: {}", String.join(" ", line), Files.readString(errors).strip());
                    return Optional.empty();
                }
                return Optional.of(new String(out, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(errors);
            }
        } catch (IOException e) {
            LOG.debug("Cannot run {}: {}", String.join(" ", line), e.getMessage());
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
