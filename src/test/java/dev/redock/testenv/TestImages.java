package dev.redock.testenv;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.BuildImageResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.AuthConfig;
import com.github.dockerjava.api.model.PushResponseItem;
import dev.redock.model.ImageRef;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Small images for tests, made without any network: a static busybox and a web page, built {@code FROM scratch} through
 * the engine (docker-java's build). Each carries the run label, so the clean-up removes it. An image of the same kind and
 * content is built once per run and reused.
 *
 * <pre>{@code
 * String image = TestImages.webImage("v1");                      // serves "v1" on port 80
 * String digest = TestImages.push(image, "app/web:stable");       // now at <registry>/app/web:stable
 * }</pre>
 */
public final class TestImages {

    /** The Accept header that makes a registry answer with a single-platform manifest's (or an index's) own digest. */
    public static final String MANIFEST_TYPES = String.join(", ",
            "application/vnd.docker.distribution.manifest.v2+json",
            "application/vnd.docker.distribution.manifest.list.v2+json",
            "application/vnd.oci.image.manifest.v1+json",
            "application/vnd.oci.image.index.v1+json");

    private static final Path BUSYBOX = Path.of("/bin/busybox");
    private static final List<String> APPLETS = List.of("sh", "httpd", "cat", "sleep", "wget", "echo", "ls", "true", "false",
            "env", "kill", "ps", "printf", "test", "mkdir", "rm", "id", "date", "hostname", "grep", "nc");
    /** httpd in the foreground, under a shell that ends at once on SIGTERM, so that {@code docker stop} takes no time. */
    private static final String SERVE = "CMD [\"sh\", \"-c\", \"trap 'exit 0' TERM; httpd -f -p 80 -h /www & wait\"]";
    private static final Duration BUILD_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration PUSH_TIMEOUT = Duration.ofSeconds(120);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final Map<String, String> BUILT = new HashMap<>();

    private TestImages() {
    }

    /**
     * The web image that test repositories build {@code FROM}: the script's fixture image, or one made here when the tests
     * run without the script.
     */
    public static String baseImage() {
        return TestEnv.fixtureImage() != null ? TestEnv.fixtureImage() : webImage("base");
    }

    /** A web server that serves {@code content} as {@code /index.html} on port 80 and stops at once on SIGTERM. */
    public static String webImage(String content) {
        return custom("web", content, SERVE);
    }

    /**
     * As {@link #webImage}, with a HEALTHCHECK (every second) that passes while the server answers: healthy after about 1 s.
     * Its timeout is generous and failures in its first minute do not count, so that a loaded engine, slow to run the
     * check or to start the server, does not make it unhealthy.
     */
    public static String healthyWebImage(String content) {
        return custom("healthy", content, SERVE,
                "HEALTHCHECK --interval=1s --timeout=30s --start-period=60s --retries=3"
                        + " CMD [\"wget\", \"-q\", \"-O\", \"/dev/null\", \"http://127.0.0.1/\"]");
    }

    /**
     * As {@link #webImage}, healthy (checked every second) only while {@code /gate/hold} does not exist: a test mounts a
     * folder of its own on {@code /gate} and keeps a deployment waiting for it for as long as that folder has a file
     * {@code hold}. Failures in its first ten minutes do not count: it stays starting until then.
     */
    public static String gatedWebImage(String content) {
        return custom("gated", content, SERVE,
                "HEALTHCHECK --interval=1s --timeout=30s --start-period=600s --retries=1"
                        + " CMD [\"sh\", \"-c\", \"test ! -f /gate/hold\"]");
    }

    /**
     * A web server whose HEALTHCHECK always fails (printing "health check failed on purpose"): unhealthy after about 1 s. Its
     * timeout is generous so that a loaded engine, slow to run the check, still records that output rather than a timeout.
     */
    public static String unhealthyImage(String content) {
        return custom("unhealthy", content, SERVE,
                "HEALTHCHECK --interval=1s --timeout=30s --retries=1 CMD [\"sh\", \"-c\", \"echo health check failed on purpose; exit 1\"]");
    }

    /**
     * As {@link #webImage}, with {@code VOLUME /data}: like a database's image, it keeps its data in an anonymous volume the
     * engine makes for each new container unless one is mounted there.
     */
    public static String volumeWebImage(String content) {
        return custom("volume", content, "VOLUME /data", SERVE);
    }

    /** As {@link #volumeWebImage}, but the process exits at once with code 1 (for rollbacks). */
    public static String crashingVolumeImage() {
        return custom("crashing-volume", "crashing", "VOLUME /data", "CMD [\"sh\", \"-c\", \"echo crashing on purpose >&2; exit 1\"]");
    }

    /** Runs a command in a running container and returns what it wrote to stdout (e.g. {@code cat /data/note}). */
    public static String exec(String container, String... command) {
        DockerClient docker = TestEnv.docker();
        String id = docker.execCreateCmd(container).withCmd(command).withAttachStdout(true).withAttachStderr(true).exec().getId();
        StringBuilder out = new StringBuilder();
        try (var callback = docker.execStartCmd(id).exec(new ResultCallback.Adapter<com.github.dockerjava.api.model.Frame>() {
            @Override
            public void onNext(com.github.dockerjava.api.model.Frame frame) {
                if (frame.getStreamType() == com.github.dockerjava.api.model.StreamType.STDOUT) {
                    synchronized (out) {
                        out.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
                    }
                }
            }
        })) {
            if (!callback.awaitCompletion(30, java.util.concurrent.TimeUnit.SECONDS)) {
                throw new IllegalStateException("exec of " + List.of(command) + " in " + container + " did not end within 30 s");
            }
        } catch (java.io.IOException | InterruptedException e) {
            throw new IllegalStateException("exec of " + List.of(command) + " in " + container + " failed", e);
        }
        synchronized (out) {
            return out.toString();
        }
    }

    /** A process that writes "crashing on purpose" to stderr and exits at once with code 1. */
    public static String crashingImage() {
        return custom("crashing", "crashing", "CMD [\"sh\", \"-c\", \"echo crashing on purpose >&2; exit 1\"]");
    }

    /** A web server running as PID 1 without a SIGTERM handler: it ignores SIGTERM, so a stop waits the full stop timeout. */
    public static String stubbornWebImage(String content) {
        return custom("stubborn", content, "CMD [\"httpd\", \"-f\", \"-p\", \"80\", \"-h\", \"/www\"]");
    }

    /**
     * An image of busybox and {@code /www/index.html} (= content), with the given Dockerfile lines after
     * {@code FROM scratch}, {@code LABEL <run label>} and {@code COPY rootfs/ /}.
     *
     * @param kind names the image: {@code redock-test/<kind>:<run id>-<hash>}
     * @return the local image reference
     */
    public static synchronized String custom(String kind, String content, String... dockerfileLines) {
        String dockerfile = "FROM scratch\n"
                + "LABEL " + TestEnv.RUN_LABEL + "=\"" + TestEnv.runId() + "\"\n"
                + "COPY rootfs/ /\n"
                + String.join("\n", dockerfileLines) + "\n";
        String reference = "redock-test/" + kind + ":" + TestEnv.runId() + "-" + shortHash(dockerfile + "\0" + content);
        String known = BUILT.get(reference);
        if (known != null && exists(known)) {
            return reference;
        }
        DockerClient docker = TestEnv.docker();
        String id = docker.buildImageCmd()
                .withTarInputStream(new ByteArrayInputStream(context(dockerfile, content)))
                .withTags(Set.of(reference))
                .withPull(false)
                .withRemove(true)
                .withForcerm(true)
                .withQuiet(true)
                .exec(new BuildImageResultCallback())
                .awaitImageId(BUILD_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        BUILT.put(reference, id);
        return reference;
    }

    private static boolean exists(String image) {
        try {
            TestEnv.docker().inspectImageCmd(image).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    private static byte[] context(String dockerfile, String content) {
        requireStaticBusybox();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            file(tar, "Dockerfile", dockerfile.getBytes(StandardCharsets.UTF_8), 0644);
            directory(tar, "rootfs/");
            directory(tar, "rootfs/bin/");
            file(tar, "rootfs/bin/busybox", Files.readAllBytes(BUSYBOX), 0755);
            for (String applet : APPLETS) {
                TarArchiveEntry link = new TarArchiveEntry("rootfs/bin/" + applet, TarConstants.LF_SYMLINK);
                link.setLinkName("busybox");
                tar.putArchiveEntry(link);
                tar.closeArchiveEntry();
            }
            directory(tar, "rootfs/tmp/");
            directory(tar, "rootfs/www/");
            file(tar, "rootfs/www/index.html", content.getBytes(StandardCharsets.UTF_8), 0644);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static void directory(TarArchiveOutputStream tar, String name) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setMode(040755);
        tar.putArchiveEntry(entry);
        tar.closeArchiveEntry();
    }

    private static void file(TarArchiveOutputStream tar, String name, byte[] data, int mode) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setSize(data.length);
        entry.setMode(0100000 | mode);
        tar.putArchiveEntry(entry);
        tar.write(data);
        tar.closeArchiveEntry();
    }

    /** A dynamically linked busybox would not run in a {@code FROM scratch} image: say so instead of failing obscurely. */
    private static void requireStaticBusybox() {
        byte[] elf;
        try {
            elf = Files.readAllBytes(BUSYBOX);
        } catch (IOException e) {
            throw new IllegalStateException(BUSYBOX + " is missing: install busybox-static, or run the tests with `"
                    + TestEnv.SETUP_COMMAND + "`", e);
        }
        ByteBuffer b = ByteBuffer.wrap(elf).order(elf[5] == 2 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        boolean is64 = elf[4] == 2;
        long phoff = is64 ? b.getLong(32) : Integer.toUnsignedLong(b.getInt(28));
        int phentsize = Short.toUnsignedInt(b.getShort(is64 ? 54 : 42));
        int phnum = Short.toUnsignedInt(b.getShort(is64 ? 56 : 44));
        for (int i = 0; i < phnum; i++) {
            if (b.getInt((int) (phoff + (long) i * phentsize)) == 3) { // PT_INTERP: needs a dynamic loader
                throw new IllegalStateException(BUSYBOX + " is dynamically linked and cannot run in a test image: install "
                        + "busybox-static, or run the tests with `" + TestEnv.SETUP_COMMAND + "`");
            }
        }
    }

    /**
     * Tags a local image as {@code <test registry>/<repoTag>} and pushes it.
     *
     * @param repoTag {@code app/web:1}, or a full reference with a registry host
     * @return the manifest digest the registry reports for the tag ({@code sha256:...})
     */
    public static String push(String localImage, String repoTag) {
        ImageRef parsed = ImageRef.parse(repoTag);
        String full = parsed.registry().equals(ImageRef.DOCKER_HUB) && !repoTag.startsWith("docker.io/")
                ? TestEnv.registry() + "/" + repoTag
                : repoTag;
        return push(localImage, full, new AuthConfig());
    }

    /** Tags and pushes to any registry with these credentials (an empty {@link AuthConfig} for none); returns the digest. */
    public static String push(String localImage, String fullReference, AuthConfig auth) {
        ImageRef target = ImageRef.parse(fullReference);
        DockerClient docker = TestEnv.docker();
        docker.tagImageCmd(localImage, target.name(), target.tag()).withForce(true).exec();
        String[] error = new String[1];
        try (var callback = new ResultCallback.Adapter<PushResponseItem>() {
            @Override
            public void onNext(PushResponseItem item) {
                if (item.isErrorIndicated()) {
                    error[0] = item.getErrorDetail() != null ? item.getErrorDetail().getMessage() : "the engine reported an error";
                }
            }
        }) {
            docker.pushImageCmd(target.name()).withTag(target.tag()).withAuthConfig(auth).exec(callback);
            if (!callback.awaitCompletion(PUSH_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                throw new IllegalStateException("pushing " + fullReference + " did not finish within " + PUSH_TIMEOUT.toSeconds() + " s");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while pushing " + fullReference, e);
        }
        if (error[0] != null) {
            throw new IllegalStateException("pushing " + fullReference + " failed: " + error[0]);
        }
        String digest = registryDigest(target.registry(), target.repository(), target.tag());
        if (digest == null) {
            throw new IllegalStateException("the registry does not know " + fullReference + " after pushing it");
        }
        return digest;
    }

    /** The digest an anonymous registry reports for a tag (HEAD manifests, {@code Docker-Content-Digest}); null if unknown. */
    public static String registryDigest(String registry, String repository, String tag) {
        HttpRequest head = HttpRequest.newBuilder(URI.create("http://" + registry + "/v2/" + repository + "/manifests/" + tag))
                .method("HEAD", HttpRequest.BodyPublishers.noBody())
                .header("Accept", MANIFEST_TYPES)
                .timeout(Duration.ofSeconds(10))
                .build();
        try {
            HttpResponse<Void> response = HTTP.send(head, HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200 ? response.headers().firstValue("Docker-Content-Digest").orElse(null) : null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** What {@code http://127.0.0.1:<port>/} serves, or null when it does not answer with 200 (within 3 s). */
    public static String httpGet(int port) {
        HttpRequest get = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).timeout(Duration.ofSeconds(3)).build();
        try {
            HttpResponse<String> response = HTTP.send(get, HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? response.body() : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** A TCP port that is free right now on all addresses. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String shortHash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
