package dev.redock.testenv;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.redock.registry.RegistryClient;

/**
 * Pushes content to a real registry over its HTTP API, without Docker: blobs, one-layer image manifests and
 * multi-platform indexes. Much faster than a {@code docker push}, for tests and benchmarks that need many tags; the images
 * are not meant to run.
 */
public final class RegistryPush {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String host;
    private final Function<String, String> authorization;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /**
     * @param host          {@code 127.0.0.1:<port>}
     * @param authorization the {@code Authorization} header for pushing to a repository, or null for none
     */
    public RegistryPush(String host, Function<String, String> authorization) {
        this.host = host;
        this.authorization = authorization;
    }

    /** To a registry that anyone may push to. */
    public RegistryPush(String host) {
        this(host, repository -> null);
    }

    /** What {@link #pushIndex} pushed. */
    public record Pushed(String indexDigest, List<String> platformDigests) {
    }

    /** Uploads a blob (monolithic upload) and returns its digest. */
    public String pushBlob(String repository, byte[] content) throws IOException, InterruptedException {
        String digest = "sha256:" + sha256(content);
        HttpResponse<String> started = send(repository, HttpRequest.newBuilder(uri("/v2/" + repository + "/blobs/uploads/"))
                .POST(HttpRequest.BodyPublishers.noBody()));
        expect(started, 202, "starting a blob upload");
        URI location = uri("/").resolve(started.headers().firstValue("Location").orElseThrow());
        String separator = location.getRawQuery() == null ? "?" : "&";
        HttpResponse<String> finished = send(repository, HttpRequest.newBuilder(URI.create(location + separator + "digest=" + digest))
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(content)));
        expect(finished, 201, "finishing a blob upload");
        return digest;
    }

    /** Puts a manifest under a tag or a digest and returns the digest the registry gives it. */
    public String pushManifest(String repository, String reference, String mediaType, byte[] manifest)
            throws IOException, InterruptedException {
        HttpResponse<String> response = send(repository, HttpRequest.newBuilder(uri("/v2/" + repository + "/manifests/" + reference))
                .header("Content-Type", mediaType)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(manifest)));
        expect(response, 201, "putting a manifest");
        String digest = response.headers().firstValue("Docker-Content-Digest").orElseThrow();
        if (!digest.equals("sha256:" + sha256(manifest))) {
            throw new IllegalStateException("the registry digested the manifest as " + digest);
        }
        return digest;
    }

    /**
     * Pushes a one-layer image (a config blob and a layer blob whose bytes are {@code content}) as a manifest of the
     * given media type ({@link RegistryClient#DOCKER_MANIFEST} or {@link RegistryClient#OCI_MANIFEST}) under
     * {@code reference}; returns the manifest's digest.
     */
    public String pushImage(String repository, String reference, String mediaType, String content, String architecture)
            throws IOException, InterruptedException {
        byte[] manifest = imageManifest(repository, mediaType, content, architecture);
        return pushManifest(repository, reference, mediaType, manifest);
    }

    /** {@link #pushImage} of a Docker schema 2 manifest for amd64. */
    public String pushImage(String repository, String tag, String content) throws IOException, InterruptedException {
        return pushImage(repository, tag, RegistryClient.DOCKER_MANIFEST, content, "amd64");
    }

    /**
     * Pushes one image per architecture (by digest), then an index of the given media type referring to them under the
     * tag; returns the index's digest and the platform manifests' digests.
     */
    public Pushed pushIndex(String repository, String tag, String indexMediaType, String content, List<String> architectures)
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
            String digest = "sha256:" + sha256(manifest);
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

    private HttpResponse<String> send(String repository, HttpRequest.Builder request) throws IOException, InterruptedException {
        request.timeout(Duration.ofSeconds(30));
        String auth = authorization.apply(repository);
        if (auth != null) {
            request.header("Authorization", auth);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void expect(HttpResponse<String> response, int status, String what) {
        if (response.statusCode() != status) {
            throw new IllegalStateException(what + " answered " + response.statusCode() + ": " + response.body());
        }
    }

    private URI uri(String path) {
        return URI.create("http://" + host + path);
    }

    /** The hex SHA-256 of the bytes, as digests name them. */
    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
