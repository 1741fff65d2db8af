package dev.redock.registry;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import dev.redock.model.ImageRef;
import dev.redock.testenv.RegistryPush;
import dev.redock.testenv.TestRegistry;

/**
 * A real Distribution registry ({@link TestRegistry}) on 127.0.0.1 for one test class, with its own storage in a
 * temporary folder, optionally behind htpasswd Basic authentication. Register it as a static
 * {@code @RegisterExtension} field. It also pushes content over HTTP, without Docker ({@link RegistryPush}): image
 * manifests and multi-platform indexes.
 */
final class LocalRegistry implements BeforeAllCallback, AfterAllCallback {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String user;
    private final String password;
    private Path dir;
    private TestRegistry registry;

    private LocalRegistry(String user, String password) {
        this.user = user;
        this.password = password;
    }

    /** A registry that anyone may read from and push to. */
    static LocalRegistry anonymous() {
        return new LocalRegistry(null, null);
    }

    /** A registry that wants Basic authentication (htpasswd) for everything. */
    static LocalRegistry withBasicAuth(String user, String password) {
        return new LocalRegistry(user, password);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        stop();
    }

    /** {@code 127.0.0.1:<port>}: the registry as an image reference names it. */
    String host() {
        return registry.address();
    }

    /** An image reference on this registry, e.g. {@code ref("team/app:stable")}. */
    ImageRef ref(String repositoryAndTag) {
        return ImageRef.parse(host() + "/" + repositoryAndTag);
    }

    void start() throws IOException {
        dir = Files.createTempDirectory("redock-registry-");
        registry = TestRegistry.start(dir, user, password);
    }

    void stop() throws IOException {
        if (registry != null) {
            registry.close();
        }
        if (dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    /** Writes a Docker {@code config.json} with this registry's credentials into a folder; returns its path. */
    Path writeDockerConfig(Path folder, String user, String password) throws IOException {
        String auth = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        ObjectNode root = JSON.createObjectNode();
        root.putObject("auths").putObject(host()).put("auth", auth);
        Path file = folder.resolve("config.json");
        Files.writeString(file, JSON.writeValueAsString(root));
        return file;
    }

    /** Pushes over HTTP, with this registry's credentials when it wants them. */
    RegistryPush push() {
        return new RegistryPush(host(), repository -> user == null ? null : "Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }

    /** {@link RegistryPush#pushManifest}. */
    String pushManifest(String repository, String reference, String mediaType, byte[] manifest)
            throws IOException, InterruptedException {
        return push().pushManifest(repository, reference, mediaType, manifest);
    }

    /** {@link RegistryPush#pushImage(String, String, String, String, String)}. */
    String pushImage(String repository, String reference, String mediaType, String content, String architecture)
            throws IOException, InterruptedException {
        return push().pushImage(repository, reference, mediaType, content, architecture);
    }

    /** {@link RegistryPush#pushImage(String, String, String)}: a Docker schema 2 manifest for amd64. */
    String pushImage(String repository, String tag, String content) throws IOException, InterruptedException {
        return push().pushImage(repository, tag, content);
    }

    /** {@link RegistryPush#pushIndex}. */
    RegistryPush.Pushed pushIndex(String repository, String tag, String indexMediaType, String content, List<String> architectures)
            throws IOException, InterruptedException {
        return push().pushIndex(repository, tag, indexMediaType, content, architectures);
    }

}
