package dev.redock.engine;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.exception.DockerClientException;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerConfigFile;
import com.github.dockerjava.core.LocalDirectorySSLConfig;
import com.github.dockerjava.core.SSLConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The docker CLI's own configuration, read as the docker CLI reads it, so that Redock talks to the engine {@code docker}
 * talks to: {@code DOCKER_HOST}; else the context {@code DOCKER_CONTEXT} names; else the {@code currentContext} of
 * {@code config.json} in {@code DOCKER_CONFIG} (or {@code ~/.docker}), which {@code docker context use} sets; else the
 * default socket. The context {@code default} is no context: {@code DOCKER_HOST} or the default socket, with TLS when
 * {@code DOCKER_TLS_VERIFY} is set (from {@code DOCKER_CERT_PATH}, or the configuration folder).
 *
 * <p>docker-java's {@link DefaultDockerClientConfig.Builder} does most of this (a context's endpoint and TLS folder, found
 * by the SHA-256 of its name); this class adds what it lacks: a named context that does not exist is refused, as
 * {@code docker} refuses it, where docker-java quietly falls back to the default socket; where the endpoint came from;
 * the list of contexts; and the local sockets of Podman and of rootless Docker.
 *
 * <p>Reads the files each time it is asked; immutable and thread-safe.
 */
public final class DockerContexts {

    /** The context that is no context: {@code DOCKER_HOST}, or the default socket. */
    public static final String DEFAULT = "default";

    private static final Logger LOG = LoggerFactory.getLogger(DockerContexts.class);
    private static final String LS_HINT = "\"docker context ls\" lists them";

    /**
     * The engine to use, and where that choice came from.
     *
     * @param source in words: {@code DOCKER_HOST}, {@code docker context "remote"},
     *               {@code docker context "remote" (DOCKER_CONTEXT)} or {@code the default socket}
     */
    public record Resolved(EngineAddress address, String source) {
        @Override
        public String toString() {
            return address + " (from " + source + ")";
        }
    }

    /**
     * One context, as {@code docker context ls} shows it.
     *
     * @param description the context's own description ({@code docker context create --description}); for {@code default},
     *                    what it stands for
     * @param current     whether it is the one {@link #current()} uses
     */
    public record ContextEntry(String name, EngineAddress address, String description, boolean current) {
    }

    private final Map<String, String> env;
    private final Path configDir;

    private DockerContexts(Map<String, String> env, Path configDir) {
        this.env = env;
        this.configDir = configDir;
    }

    /**
     * The configuration as this environment finds it.
     *
     * @param env the variables that count: {@code DOCKER_HOST}, {@code DOCKER_CONTEXT}, {@code DOCKER_CONFIG},
     *            {@code DOCKER_TLS_VERIFY}, {@code DOCKER_CERT_PATH}, {@code HOME} (else the JVM's {@code user.home}) and
     *            {@code XDG_RUNTIME_DIR}
     */
    public static DockerContexts of(Map<String, String> env) {
        Map<String, String> copy = Map.copyOf(env);
        String home = nonBlank(copy.get("HOME"));
        Path homeDir = Path.of(home != null ? home : System.getProperty("user.home"));
        String config = nonBlank(copy.get("DOCKER_CONFIG"));
        return new DockerContexts(copy, config != null ? Path.of(config) : homeDir.resolve(".docker"));
    }

    /** The docker CLI's configuration folder: {@code DOCKER_CONFIG}, or {@code ~/.docker}. */
    public Path configDir() {
        return configDir;
    }

    /**
     * The engine {@code docker} would talk to here.
     *
     * @throws EngineException when the context chosen does not exist or cannot be read, or an address or TLS folder is not
     *                         usable; the message says which and where it was chosen
     */
    public Resolved current() throws EngineException {
        if (variable("DOCKER_HOST") != null) {
            return new Resolved(defaultEndpoint(), "DOCKER_HOST");
        }
        String fromEnv = variable("DOCKER_CONTEXT");
        if (fromEnv != null) {
            return DEFAULT.equals(fromEnv)
                    ? new Resolved(defaultEndpoint(), "the default socket")
                    : new Resolved(named(fromEnv, "DOCKER_CONTEXT"), "docker context \"" + fromEnv + "\" (DOCKER_CONTEXT)");
        }
        String chosen = chosenInConfig();
        if (chosen != null && !DEFAULT.equals(chosen)) {
            return new Resolved(named(chosen, "currentContext in " + configDir.resolve("config.json")
                    + ", set by \"docker context use\""), "docker context \"" + chosen + "\"");
        }
        return new Resolved(defaultEndpoint(), "the default socket");
    }

    /**
     * A context's endpoint and TLS folder. {@code default} is {@code DOCKER_HOST} (with the TLS the environment sets), or
     * the default socket.
     *
     * @throws EngineException when there is no such context, or it cannot be read or used
     */
    public EngineAddress context(String name) throws EngineException {
        return named(name, null);
    }

    /**
     * Every context, {@code default} first and the others by name, as {@code docker context ls} lists them. A context that
     * cannot be read or used is left out (and logged).
     */
    public List<ContextEntry> list() {
        String current = currentName();
        List<ContextEntry> entries = new ArrayList<>();
        String what = variable("DOCKER_HOST") != null ? "the engine DOCKER_HOST names" : "the default socket";
        EngineAddress defaultAddress;
        try {
            defaultAddress = defaultEndpoint();
        } catch (EngineException e) {
            defaultAddress = EngineAddress.defaultSocket();
            what = "the default socket, as " + e.getMessage();
        }
        entries.add(new ContextEntry(DEFAULT, defaultAddress, what, DEFAULT.equals(current)));
        List<ContextEntry> named = new ArrayList<>();
        for (Path meta : metaFiles()) {
            try {
                JsonNode node = readMeta(meta);
                String name = node.path("Name").asText("");
                if (name.isEmpty() || DEFAULT.equals(name)) {
                    continue;
                }
                String description = node.path("Metadata").path("Description").asText("");
                named.add(new ContextEntry(name, context(name), description, name.equals(current)));
            } catch (EngineException e) {
                LOG.warn("Leaving out a docker context: {}", e.getMessage());
            }
        }
        named.sort(Comparator.comparing(ContextEntry::name));
        entries.addAll(named);
        return List.copyOf(entries);
    }

    /**
     * The local sockets of other engines that exist on this machine, to offer beside the docker CLI's choice: Podman's
     * ({@code $XDG_RUNTIME_DIR/podman/podman.sock} for the user's own, {@code /run/podman/podman.sock} for root's) and
     * rootless Docker's ({@code $XDG_RUNTIME_DIR/docker.sock}).
     */
    public List<EngineAddress> localSockets() {
        Set<Path> candidates = new LinkedHashSet<>();
        String runtime = variable("XDG_RUNTIME_DIR");
        if (runtime != null) {
            candidates.add(Path.of(runtime, "podman", "podman.sock"));
        }
        candidates.add(Path.of("/run/podman/podman.sock"));
        if (runtime != null) {
            candidates.add(Path.of(runtime, "docker.sock"));
        }
        List<EngineAddress> found = new ArrayList<>();
        for (Path socket : candidates) {
            if (Files.exists(socket) && !Files.isDirectory(socket) && !Files.isRegularFile(socket)) {
                found.add(EngineAddress.of(unixUri(socket)));
            }
        }
        return List.copyOf(found);
    }

    /** {@code unix:///path}, with whatever the path holds escaped. */
    static URI unixUri(Path socket) {
        try {
            return new URI("unix", "", socket.toAbsolutePath().toString(), null, null);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a socket path: " + socket, e);
        }
    }

    // ------------------------------------------------------------------------------------------------------------ inside

    /** The context {@code default}: {@code DOCKER_HOST} or the default socket, with TLS from the environment. */
    private EngineAddress defaultEndpoint() throws EngineException {
        String host = variable("DOCKER_HOST");
        String where = host != null ? "DOCKER_HOST" : "the default socket";
        // As docker: any value turns verification on. TLS is for tcp://; docker does not use it on a local socket either.
        boolean tls = variable("DOCKER_TLS_VERIFY") != null
                && host != null && "tcp".equals(parse(host, null, where).scheme());
        Properties props = new Properties();
        props.setProperty(DefaultDockerClientConfig.DOCKER_CONFIG, configDir.toString());
        // Named, so that docker-java does not take the current context's TLS folder for DOCKER_HOST (docker does not).
        props.setProperty(DefaultDockerClientConfig.DOCKER_CONTEXT, DEFAULT);
        if (host != null) {
            props.setProperty(DefaultDockerClientConfig.DOCKER_HOST, host);
        }
        if (tls) {
            // The certificates are in the configuration folder unless DOCKER_CERT_PATH names another, as docker has it.
            String certPath = variable("DOCKER_CERT_PATH");
            props.setProperty(DefaultDockerClientConfig.DOCKER_TLS_VERIFY, "1");
            props.setProperty(DefaultDockerClientConfig.DOCKER_CERT_PATH, certPath != null ? certPath : configDir.toString());
        }
        DefaultDockerClientConfig config = dockerJava(props, where);
        return parse(config.getDockerHost().toString(), tls ? tlsDir(config.getSSLConfig()) : null, where);
    }

    /** A named context's endpoint, or {@code default}'s; {@code origin} says where the name came from, or null. */
    private EngineAddress named(String name, String origin) throws EngineException {
        if (name == null || name.isBlank() || DEFAULT.equals(name.strip())) {
            return defaultEndpoint();
        }
        String what = "docker context \"" + name + "\"";
        Path meta = metaDir(name).resolve("meta.json");
        if (!Files.isRegularFile(meta)) {
            throw new EngineException(what + " does not exist" + (origin == null ? "" : " (" + origin + ")") + "; " + LS_HINT);
        }
        // docker-java takes a meta file it cannot read for no context at all, and would use the default socket: read it
        // here first, to say so instead.
        JsonNode docker = readMeta(meta).path("Endpoints").path("docker");
        String host = docker.path("Host").asText("");
        if (host.isBlank()) {
            throw new EngineException(what + " names no Docker endpoint (" + meta + ")");
        }
        if (docker.path("SkipTLSVerify").asBoolean(false)) {
            throw new EngineException(what + " skips TLS verification, which Redock does not do; give it the engine's CA"
                    + " instead (docker context update " + name + " --docker host=...,ca=...,cert=...,key=...)");
        }
        Properties props = new Properties();
        props.setProperty(DefaultDockerClientConfig.DOCKER_CONFIG, configDir.toString());
        props.setProperty(DefaultDockerClientConfig.DOCKER_CONTEXT, name);
        DefaultDockerClientConfig config = dockerJava(props, what);
        return parse(config.getDockerHost().toString(), tlsDir(config.getSSLConfig()), what);
    }

    private static EngineAddress parse(String host, Path tlsDir, String where) throws EngineException {
        try {
            return EngineAddress.parse(host, tlsDir);
        } catch (EngineException e) {
            throw new EngineException(where + ": " + e.getMessage(), e);
        }
    }

    private static DefaultDockerClientConfig dockerJava(Properties props, String where) throws EngineException {
        try {
            return new DefaultDockerClientConfig.Builder().withProperties(props).build();
        } catch (DockerClientException | IllegalArgumentException e) {
            String reason = e.getCause() != null && e.getCause().getMessage() != null
                    ? e.getMessage() + ": " + e.getCause().getMessage() : e.getMessage();
            throw new EngineException(where + ": " + reason, e);
        }
    }

    private static Path tlsDir(SSLConfig ssl) {
        return ssl instanceof LocalDirectorySSLConfig local ? Path.of(local.getDockerCertPath()) : null;
    }

    /** The name of the context in use ({@code default} when none is, or the configuration cannot be read). */
    private String currentName() {
        if (variable("DOCKER_HOST") != null) {
            return DEFAULT;
        }
        String fromEnv = variable("DOCKER_CONTEXT");
        if (fromEnv != null) {
            return fromEnv;
        }
        try {
            String chosen = chosenInConfig();
            return chosen != null ? chosen : DEFAULT;
        } catch (EngineException e) {
            return DEFAULT;
        }
    }

    /** {@code currentContext} in {@code config.json}, or null. */
    private String chosenInConfig() throws EngineException {
        try {
            DockerConfigFile config = DockerConfigFile.loadConfig(DockerClientConfig.getDefaultObjectMapper(), configDir.toString());
            return nonBlank(config.getCurrentContext());
        } catch (IOException | RuntimeException e) {
            throw new EngineException("cannot read the docker CLI's configuration " + configDir.resolve("config.json") + ": "
                    + rootMessage(e), e);
        }
    }

    /** {@code contexts/meta/<sha256 of the name>}: where docker keeps a context's {@code meta.json}. */
    private Path metaDir(String name) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
            return configDir.resolve("contexts").resolve("meta").resolve(HexFormat.of().formatHex(digest));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    private List<Path> metaFiles() {
        Path metaRoot = configDir.resolve("contexts").resolve("meta");
        List<Path> files = new ArrayList<>();
        if (!Files.isDirectory(metaRoot)) {
            return files;
        }
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(metaRoot)) {
            for (Path dir : dirs) {
                if (Files.isRegularFile(dir.resolve("meta.json"))) {
                    files.add(dir.resolve("meta.json"));
                }
            }
        } catch (IOException e) {
            LOG.warn("Cannot list the docker contexts in {}: {}", metaRoot, e.getMessage());
        }
        return files;
    }

    /** Made when a context is first read, not when the environment is looked at: most commands read none. */
    private static final class Meta {
        static final ObjectMapper JSON = new ObjectMapper();
    }

    private static JsonNode readMeta(Path meta) throws EngineException {
        try {
            return Meta.JSON.readTree(meta.toFile());
        } catch (IOException e) {
            throw new EngineException("cannot read the docker context " + meta + ": " + rootMessage(e), e);
        }
    }

    private String variable(String name) {
        return nonBlank(env.get(name));
    }

    private static String nonBlank(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
