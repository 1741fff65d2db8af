package dev.redock.registry;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry credentials that {@code docker login} left behind, read from Docker's {@code config.json}.
 *
 * <p>For a registry, a credential helper named in {@code credHelpers} comes first, then the default {@code credsStore};
 * when neither is set or the helper knows nothing, an {@code auths} entry ({@code auth} = base64 of {@code user:pass}, or
 * {@code username} and {@code password}, plus an optional {@code identitytoken}). Keys of {@code auths} may be bare hosts
 * ({@code localhost:5000}), URLs ({@code https://ghcr.io/v2/}) or Docker Hub's {@code https://index.docker.io/v1/}.
 *
 * <p>Helpers are programs {@code docker-credential-<name>} that get the server URL on stdin and print
 * {@code {"Username": ..., "Secret": ...}}. They run with a timeout; a helper that fails means anonymous access, logged
 * once. Their answers are kept for a while ({@link #HELPER_CACHE}) so a poll does not start a process.
 *
 * <p>The file is read again only when its modification time or size changes. Thread-safe.
 */
public final class CredentialStore {

    /** Docker's key for Docker Hub in {@code config.json} and the server URL its helpers expect. */
    public static final String DOCKER_HUB_SERVER = "https://index.docker.io/v1/";
    /** How long a helper's answer is used before the helper is asked again. */
    public static final Duration HELPER_CACHE = Duration.ofMinutes(10);

    private static final Logger log = LoggerFactory.getLogger(CredentialStore.class);
    private static final String NOT_FOUND = "credentials not found";

    private final Path configFile;
    private final List<Path> helperPath;
    private final Duration helperTimeout;
    private final Clock clock;

    private final Object lock = new Object();
    private FileStamp stamp;
    private Config config = Config.EMPTY;
    private final Map<String, HelperAnswer> helperAnswers = new ConcurrentHashMap<>();
    private final Set<String> warned = ConcurrentHashMap.newKeySet();

    /**
     * A store reading the given {@code config.json} (which need not exist), finding helpers on {@code $PATH}.
     */
    public CredentialStore(Path configFile) {
        this(configFile, pathFromEnvironment(), Duration.ofSeconds(10), Clock.systemUTC());
    }

    /**
     * @param configFile    Docker's {@code config.json}; need not exist
     * @param helperPath    the directories searched for {@code docker-credential-<name>} programs
     * @param helperTimeout how long a helper may take before it is killed
     * @param clock         for the helper answer cache
     */
    public CredentialStore(Path configFile, List<Path> helperPath, Duration helperTimeout, Clock clock) {
        this.configFile = Objects.requireNonNull(configFile, "configFile");
        this.helperPath = List.copyOf(helperPath);
        this.helperTimeout = Objects.requireNonNull(helperTimeout, "helperTimeout");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The store Docker itself would use: {@code $DOCKER_CONFIG/config.json}, else {@code ~/.docker/config.json}. */
    public static CredentialStore fromEnvironment() {
        String dockerConfig = System.getenv("DOCKER_CONFIG");
        Path dir = dockerConfig != null && !dockerConfig.isBlank()
                ? Path.of(dockerConfig)
                : Path.of(System.getProperty("user.home"), ".docker");
        return new CredentialStore(dir.resolve("config.json"));
    }

    /** A store that knows no credentials: every registry is spoken to anonymously. */
    public static CredentialStore anonymous() {
        return new CredentialStore(Path.of("/nonexistent/redock/config.json"), List.of(), Duration.ofSeconds(1), Clock.systemUTC());
    }

    /** The config file this store reads. */
    public Path configFile() {
        return configFile;
    }

    /**
     * The credentials for a registry as an image reference names it ({@code docker.io}, {@code localhost:5000}), or
     * empty for anonymous access.
     */
    public Optional<Credentials> lookup(String registry) {
        String key = normalise(registry);
        Config current = current();
        String helper = current.credHelpers.getOrDefault(key, current.credsStore);
        if (helper != null && !helper.isBlank()) {
            Optional<Credentials> fromHelper = fromHelper(helper, key);
            if (fromHelper.isPresent()) {
                return fromHelper;
            }
        }
        return Optional.ofNullable(current.auths.get(key));
    }

    /**
     * Forgets what helpers said for a registry, after the registry refused those credentials: the next lookup asks the
     * helper again (the user may have logged in anew).
     */
    public void forget(String registry) {
        helperAnswers.remove(normalise(registry));
    }

    /**
     * The registry an {@code auths} or {@code credHelpers} key means: {@code https://index.docker.io/v1/},
     * {@code index.docker.io} and {@code registry-1.docker.io} all mean {@code docker.io}; a URL means its host and port.
     */
    static String normalise(String key) {
        String k = key.strip().toLowerCase(Locale.ROOT);
        int scheme = k.indexOf("://");
        if (scheme >= 0) {
            k = k.substring(scheme + 3);
        }
        int slash = k.indexOf('/');
        if (slash >= 0) {
            k = k.substring(0, slash);
        }
        if (k.equals("index.docker.io") || k.equals("registry-1.docker.io")) {
            return "docker.io";
        }
        return k;
    }

    private Config current() {
        synchronized (lock) {
            FileStamp now = FileStamp.of(configFile);
            if (!Objects.equals(now, stamp)) {
                stamp = now;
                config = now == null ? Config.EMPTY : read();
                helperAnswers.clear();
                warned.clear();
            }
            return config;
        }
    }

    private Config read() {
        JsonNode root;
        try {
            root = Parser.JSON.readTree(configFile.toFile());
        } catch (JsonProcessingException e) {
            // Only the position: the parser's message may quote the file, which holds secrets.
            JsonLocation at = e.getLocation();
            warnOnce("read", "{} is not valid JSON{}; registries are spoken to anonymously", configFile,
                    at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")");
            return Config.EMPTY;
        } catch (IOException e) {
            warnOnce("read", "Cannot read {} ({}); registries are spoken to anonymously", configFile,
                    e.getClass().getSimpleName());
            return Config.EMPTY;
        }
        if (root == null || !root.isObject()) {
            return Config.EMPTY;
        }
        Map<String, Credentials> auths = new HashMap<>();
        for (Map.Entry<String, JsonNode> entry : root.path("auths").properties()) {
            String key = normalise(entry.getKey());
            Credentials credentials = parseAuthEntry(entry.getKey(), entry.getValue());
            // An exact docker.io-style key wins over a URL with a path that normalises to the same host.
            if (credentials != null && (!auths.containsKey(key) || entry.getKey().equalsIgnoreCase(key))) {
                auths.put(key, credentials);
            }
        }
        Map<String, String> helpers = new HashMap<>();
        for (Map.Entry<String, JsonNode> entry : root.path("credHelpers").properties()) {
            if (entry.getValue().isTextual()) {
                helpers.put(normalise(entry.getKey()), entry.getValue().asText());
            }
        }
        String credsStore = root.path("credsStore").isTextual() ? root.path("credsStore").asText() : null;
        return new Config(Map.copyOf(auths), Map.copyOf(helpers), credsStore);
    }

    private Credentials parseAuthEntry(String key, JsonNode entry) {
        String username = text(entry, "username");
        String password = text(entry, "password");
        String auth = text(entry, "auth");
        if (auth != null && !auth.isEmpty()) {
            try {
                String decoded = new String(Base64.getDecoder().decode(auth.strip()), StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                if (colon < 0) {
                    warnOnce("auth:" + key, "The auth entry for {} in {} is not user:password; ignoring it", key, configFile);
                    return null;
                }
                username = decoded.substring(0, colon);
                password = decoded.substring(colon + 1);
            } catch (IllegalArgumentException e) {
                warnOnce("auth:" + key, "The auth entry for {} in {} is not valid base64; ignoring it", key, configFile);
                return null;
            }
        }
        Credentials credentials = new Credentials(username, password, text(entry, "identitytoken"));
        return credentials.hasPassword() || credentials.identityToken() != null ? credentials : null;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isTextual() ? value.asText() : null;
    }

    private Optional<Credentials> fromHelper(String helper, String registry) {
        Instant now = clock.instant();
        HelperAnswer cached = helperAnswers.get(registry);
        if (cached != null && cached.helper.equals(helper) && now.isBefore(cached.until)) {
            return Optional.ofNullable(cached.credentials);
        }
        Credentials credentials = runHelper(helper, registry);
        helperAnswers.put(registry, new HelperAnswer(helper, credentials, now.plus(HELPER_CACHE)));
        return Optional.ofNullable(credentials);
    }

    private Credentials runHelper(String helper, String registry) {
        String program = "docker-credential-" + helper;
        Optional<Path> executable = findExecutable(program);
        if (executable.isEmpty()) {
            warnOnce("missing:" + helper, "Credential helper {} is not on the search path; {} is spoken to anonymously",
                    program, registry);
            return null;
        }
        String serverUrl = registry.equals("docker.io") ? DOCKER_HUB_SERVER : registry;
        Process process = null;
        try {
            process = new ProcessBuilder(executable.get().toString(), "get")
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            Process started = process;
            CompletableFuture<byte[]> output = CompletableFuture.supplyAsync(() -> readAll(started.getInputStream()),
                    runnable -> {
                        Thread t = new Thread(runnable, "credential-helper-" + helper);
                        t.setDaemon(true);
                        t.start();
                    });
            try (OutputStream stdin = process.getOutputStream()) {
                stdin.write(serverUrl.getBytes(StandardCharsets.UTF_8));
            } catch (IOException brokenPipe) {
                // The helper did not read its input (it may have exited already): its exit status and output decide.
            }
            if (!process.waitFor(helperTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                warnOnce("helper:" + helper + ":" + registry, "Credential helper {} did not answer for {} within {} ms; "
                        + "speaking to it anonymously", program, registry, helperTimeout.toMillis());
                return null;
            }
            byte[] bytes = output.get(helperTimeout.toMillis(), TimeUnit.MILLISECONDS);
            String text = new String(bytes, StandardCharsets.UTF_8).strip();
            if (process.exitValue() != 0) {
                if (text.toLowerCase(Locale.ROOT).contains(NOT_FOUND)) {
                    log.debug("Credential helper {} has no credentials for {}", program, registry);
                } else {
                    // The helper's output is an error message here, not a secret.
                    warnOnce("helper:" + helper + ":" + registry, "Credential helper {} failed for {} (exit {}{}); "
                            + "speaking to it anonymously", program, registry, process.exitValue(),
                            text.isEmpty() ? "" : ": " + abbreviate(text));
                }
                return null;
            }
            JsonNode answer = parseHelperAnswer(text);
            String username = answer == null ? null : text(answer, "Username");
            String secret = answer == null ? null : text(answer, "Secret");
            if (secret == null || secret.isEmpty()) {
                warnOnce("helper:" + helper + ":" + registry, "Credential helper {} gave no secret for {} "
                        + "(not a JSON object with a Secret); speaking to it anonymously", program, registry);
                return null;
            }
            // Docker's convention: the user name "<token>" means the secret is an identity token.
            return "<token>".equals(username)
                    ? new Credentials("", "", secret)
                    : Credentials.of(username, secret);
        } catch (IOException | ExecutionException | TimeoutException e) {
            warnOnce("helper:" + helper + ":" + registry, "Credential helper {} failed for {} ({}); speaking to it anonymously",
                    program, registry, e.getClass().getSimpleName());
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } finally {
            if (process != null && process.isAlive()) {
                process.destroyForcibly();
            }
        }
    }

    /** Made when credentials are first read, not when the store is: most CLI commands read none. */
    private static final class Parser {
        static final ObjectMapper JSON = new ObjectMapper();
    }

    private static JsonNode parseHelperAnswer(String text) {
        try {
            return Parser.JSON.readTree(text);
        } catch (IOException e) {
            return null; // reported as "gave no secret"
        }
    }

    private static byte[] readAll(InputStream in) {
        try (in) {
            return in.readNBytes(1 << 20);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Optional<Path> findExecutable(String program) {
        for (Path dir : helperPath) {
            Path candidate = dir.resolve(program);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static List<Path> pathFromEnvironment() {
        String path = System.getenv("PATH");
        List<Path> dirs = new ArrayList<>();
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                if (!dir.isBlank()) {
                    dirs.add(Path.of(dir));
                }
            }
        }
        return dirs;
    }

    private static String abbreviate(String text) {
        String oneLine = text.replaceAll("\\s+", " ");
        return oneLine.length() > 200 ? oneLine.substring(0, 200) + "..." : oneLine;
    }

    private void warnOnce(String key, String format, Object... args) {
        if (warned.add(key)) {
            log.warn(format, args);
        }
    }

    /**
     * What identifies one version of the config file. Looked at before every registry request: {@link java.io.File}'s
     * answers cost no exception when the file is missing (as it is for many users), {@link Files}' would.
     */
    private record FileStamp(long modified, long size) {
        static FileStamp of(Path file) {
            java.io.File f = file.toFile();
            long modified = f.lastModified();
            long size = f.length();
            return modified == 0 && size == 0 ? null : new FileStamp(modified, size); // missing or unreadable: no credentials
        }
    }

    private record Config(Map<String, Credentials> auths, Map<String, String> credHelpers, String credsStore) {
        static final Config EMPTY = new Config(Map.of(), Map.of(), null);
    }

    private record HelperAnswer(String helper, Credentials credentials, Instant until) {
    }
}
