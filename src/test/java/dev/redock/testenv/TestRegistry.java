package dev.redock.testenv;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Distribution registry ({@code docker-registry serve}) of the test JVM's own, on a free 127.0.0.1 port, with its config,
 * storage and log in one folder. {@link TestEnv} starts one only when the script did not pass its registry in.
 */
public final class TestRegistry implements AutoCloseable {

    private static final List<Path> BINARIES = List.of(Path.of("/usr/bin/docker-registry"), Path.of("/usr/local/bin/docker-registry"),
            Path.of("/usr/bin/registry"), Path.of("/usr/local/bin/registry"));
    private static final Path HTPASSWD = Path.of("/usr/bin/htpasswd");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(15);

    private final Process process;
    private final String address;
    private final Path log;

    private TestRegistry(Process process, String address, Path log) {
        this.process = process;
        this.address = address;
        this.log = log;
    }

    /** Starts a registry with its files in {@code dir}; fails with a message naming the setup command when it cannot. */
    public static TestRegistry start(Path dir) {
        return start(dir, null, null);
    }

    /**
     * Starts a registry with its files in {@code dir} that wants Basic authentication (htpasswd) as {@code user} for
     * everything, or none when {@code user} is null.
     */
    public static TestRegistry start(Path dir, String user, String password) {
        String auth = user == null ? "" : """
                auth:
                  htpasswd:
                    realm: redock
                    path: %s
                """.formatted(htpasswd(dir.toAbsolutePath(), user, password));
        return startWith(dir, auth);
    }

    /**
     * Starts a registry with its files in {@code dir} that wants Bearer tokens from a token server, as Docker Hub does: it
     * answers a request without a token with a challenge naming the realm, and accepts the tokens (JWTs) the issuer signs
     * with the key of the certificate in {@code rootCertBundle}.
     */
    public static TestRegistry startWithTokenAuth(Path dir, String realm, String service, String issuer, Path rootCertBundle) {
        return startWith(dir, """
                auth:
                  token:
                    realm: %s
                    service: %s
                    issuer: %s
                    rootcertbundle: %s
                """.formatted(realm, service, issuer, rootCertBundle.toAbsolutePath()));
    }

    /** @param auth the config's {@code auth} section, or "" for none */
    private static TestRegistry startWith(Path dir, String auth) {
        Path binary = BINARIES.stream().filter(Files::isExecutable).findFirst().orElseThrow(() -> new IllegalStateException(
                "No Distribution registry binary (docker-registry) is installed; run the tests with `" + TestEnv.SETUP_COMMAND
                        + "`, which installs it (apt package docker-registry)."));
        IllegalStateException failure = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                return startOnce(binary, dir.toAbsolutePath(), auth);
            } catch (IllegalStateException e) {
                failure = e; // most likely the port was taken meanwhile: try another
            }
        }
        throw failure;
    }

    /** An htpasswd file in {@code dir} for the one user. */
    private static Path htpasswd(Path dir, String user, String password) {
        if (!Files.isExecutable(HTPASSWD)) {
            throw new IllegalStateException(HTPASSWD + " is missing; run the tests with `" + TestEnv.SETUP_COMMAND
                    + "`, which installs it (apt package apache2-utils).");
        }
        Path file = dir.resolve("htpasswd");
        try {
            Files.createDirectories(dir);
            Process p = new ProcessBuilder(HTPASSWD.toString(), "-Bbc", file.toString(), user, password)
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("htpasswd failed: " + out);
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("could not run " + HTPASSWD, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + HTPASSWD, e);
        }
    }

    private static TestRegistry startOnce(Path binary, Path dir, String auth) {
        int port = TestImages.freePort();
        Path config = dir.resolve("config.yml");
        Path log = dir.resolve("registry.log");
        try {
            Files.createDirectories(dir.resolve("data"));
            Files.writeString(config, """
                    version: 0.1
                    log:
                      level: info
                      formatter: text
                    storage:
                      filesystem:
                        rootdirectory: %s
                      delete:
                        enabled: true
                    http:
                      addr: 127.0.0.1:%d
                    """.formatted(dir.resolve("data"), port) + auth);
            Process process = new ProcessBuilder(binary.toString(), "serve", config.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            String address = "127.0.0.1:" + port;
            TestRegistry registry = new TestRegistry(process, address, log);
            registry.awaitAnswer();
            return registry;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + binary, e);
        }
    }

    private void awaitAnswer() {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        ChildProcess.awaitUp(process, START_TIMEOUT, () -> answers(http), "The test registry on " + address, log);
    }

    private boolean answers(HttpClient http) {
        try {
            int status = http.send(HttpRequest.newBuilder(URI.create("http://" + address + "/v2/")).timeout(Duration.ofSeconds(1)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
            return status == 200 || status == 401; // 401: up, and wants credentials
        } catch (IOException notYet) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** {@code 127.0.0.1:<port>}. */
    public String address() {
        return address;
    }

    public Path log() {
        return log;
    }

    @Override
    public void close() {
        ChildProcess.stop(process);
    }
}
