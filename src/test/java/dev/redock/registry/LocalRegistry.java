package dev.redock.registry;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import dev.redock.model.ImageRef;
import dev.redock.testenv.TestRegistry;

/**
 * A real Distribution registry ({@link TestRegistry}) on 127.0.0.1 for one test class, with its own storage in a
 * temporary folder, optionally behind htpasswd Basic authentication. Register it as a static
 * {@code @RegisterExtension} field. It also pushes content over HTTP, without Docker: blobs, image manifests, and
 * multi-platform indexes.
 */
final class LocalRegistry implements BeforeAllCallback, AfterAllCallback {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String user;
    private final String password;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
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

    /** Uploads a blob (monolithic upload) and returns its digest. */
    String pushBlob(String repository, byte[] content) throws IOException, InterruptedException {
        String digest = "sha256:" + Manifests.sha256(content);
        HttpResponse<String> started = send(HttpRequest.newBuilder(uri("/v2/" + repository + "/blobs/uploads/"))
                .POST(HttpRequest.BodyPublishers.noBody()));
        expect(started, 202, "starting a blob upload");
        URI location = uri("/").resolve(started.headers().firstValue("Location").orElseThrow());
        String separator = location.getRawQuery() == null ? "?" : "&";
        HttpResponse<String> finished = send(HttpRequest.newBuilder(URI.create(location + separator + "digest=" + digest))
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(content)));
        expect(finished, 201, "finishing a blob upload");
        return digest;
    }

    /** Puts a manifest under a tag or a digest and returns the digest the registry gives it. */
    String pushManifest(String repository, String reference, String mediaType, byte[] manifest)
            throws IOException, InterruptedException {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/v2/" + repository + "/manifests/" + reference))
                .header("Content-Type", mediaType)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(manifest)));
        expect(response, 201, "putting a manifest");
        String digest = response.headers().firstValue("Docker-Content-Digest").orElseThrow();
        if (!digest.equals("sha256:" + Manifests.sha256(manifest))) {
            throw new IllegalStateException("the registry digested the manifest as " + digest);
        }
        return digest;
    }

    /**
     * Pushes a one-layer image (a config blob and a layer blob whose bytes are {@code content}) as a manifest of the
     * given media type ({@link RegistryClient#DOCKER_MANIFEST} or {@link RegistryClient#OCI_MANIFEST}) under
     * {@code reference}; returns the manifest's digest.
     */
    String pushImage(String repository, String reference, String mediaType, String content, String architecture)
            throws IOException, InterruptedException {
        byte[] manifest = imageManifest(repository, mediaType, content, architecture);
        return pushManifest(repository, reference, mediaType, manifest);
    }

    /** {@link #pushImage} of a Docker schema 2 manifest for amd64. */
    String pushImage(String repository, String tag, String content) throws IOException, InterruptedException {
        return pushImage(repository, tag, RegistryClient.DOCKER_MANIFEST, content, "amd64");
    }

    /**
     * Pushes one image per architecture (by digest), then an index of the given media type referring to them under the
     * tag; returns the index's digest and the platform manifests' digests.
     */
    Pushed pushIndex(String repository, String tag, String indexMediaType, String content, List<String> architectures)
            throws IOException, InterruptedException {
        String manifestType = indexMediaType.equals(RegistryClient.OCI_INDEX)
                ? RegistryClient.OCI_MANIFEST : RegistryClient.DOCKER_MANIFEST;
        ObjectNode index = JSON.createObjectNode();
        index.put("schemaVersion", 2);
        index.put("mediaType", indexMediaType);
        ArrayNode manifests = index.putArray("manifests");
        List<String> platformDigests = new java.util.ArrayList<>();
        for (String arch : architectures) {
            byte[] manifest = imageManifest(repository, manifestType, content + "/" + arch, arch);
            String digest = "sha256:" + Manifests.sha256(manifest);
            pushManifest(repository, digest, manifestType, manifest);
            platformDigests.add(digest);
            ObjectNode entry = manifests.addObject();
            entry.put("mediaType", manifestType);
            entry.put("digest", digest);
            entry.put("size", manifest.length);
            entry.putObject("platform").put("architecture", arch).put("os", "linux");
        }
        String indexDigest = pushManifest(repository, tag, indexMediaType, JSON.writeValueAsBytes(index));
        return new Pushed(indexDigest, platformDigests);
    }

    /** What {@link #pushIndex} pushed. */
    record Pushed(String indexDigest, List<String> platformDigests) {
    }

    private byte[] imageManifest(String repository, String mediaType, String content, String architecture)
            throws IOException, InterruptedException {
        boolean oci = mediaType.equals(RegistryClient.OCI_MANIFEST);
        byte[] layer = content.getBytes(StandardCharsets.UTF_8);
        String layerDigest = pushBlob(repository, layer);
        ObjectNode config = JSON.createObjectNode();
        config.put("architecture", architecture).put("os", "linux");
        config.putObject("rootfs").put("type", "layers").putArray("diff_ids").add(layerDigest);
        byte[] configBytes = JSON.writeValueAsBytes(config);
        String configDigest = pushBlob(repository, configBytes);

        ObjectNode manifest = JSON.createObjectNode();
        manifest.put("schemaVersion", 2);
        manifest.put("mediaType", mediaType);
        manifest.putObject("config")
                .put("mediaType", oci ? "application/vnd.oci.image.config.v1+json" : "application/vnd.docker.container.image.v1+json")
                .put("digest", configDigest)
                .put("size", configBytes.length);
        manifest.putArray("layers").addObject()
                .put("mediaType", oci ? "application/vnd.oci.image.layer.v1.tar" : "application/vnd.docker.image.rootfs.diff.tar")
                .put("digest", layerDigest)
                .put("size", layer.length);
        return JSON.writeValueAsBytes(manifest);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        request.timeout(Duration.ofSeconds(30));
        if (user != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void expect(HttpResponse<String> response, int status, String what) {
        if (response.statusCode() != status) {
            throw new IllegalStateException(what + " answered " + response.statusCode() + ": " + response.body());
        }
    }

    private URI uri(String path) {
        return URI.create("http://" + host() + path);
    }
}
