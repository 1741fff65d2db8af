package dev.redock.faults;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import com.github.dockerjava.api.command.BuildImageResultCallback;

import dev.redock.testenv.TestEnv;
import dev.redock.testenv.TestImages;

/**
 * The images of the fault matrix, built once per run on the main engine {@code FROM} the fixture web image, each with an
 * anonymous volume ({@code VOLUME /data}) as databases have, and pushed to the test registry, from where Redock's engine
 * pulls them. Each serves a page naming its version, so that a look at the service says which version runs.
 */
public enum FaultImages {

    /** The version a service starts on. */
    V1("v1", Cmd.SERVE),
    /** The version it is redeployed to. */
    V2("v2", Cmd.SERVE),
    /** A version that exits at once: a redeploy to it rolls back. */
    CRASHING("crashing", "CMD [\"sh\", \"-c\", \"echo crashing on purpose >&2; exit 1\"]"),
    /** {@link #V1}'s page from a server that ignores SIGTERM, so that stopping it takes its whole stop timeout. */
    STUBBORN_V1("v1", "CMD [\"httpd\", \"-f\", \"-p\", \"80\", \"-h\", \"/www\"]"),
    /** {@link #V2}'s page with a 3 MB layer of its own, so that its pull takes long enough to be cut in the middle. */
    BIG_V2("v2", Cmd.SERVE);

    private static final class Cmd {
        /** httpd under a shell that ends at once on SIGTERM, so that stopping it takes no time. */
        static final String SERVE = "CMD [\"sh\", \"-c\", \"trap 'exit 0' TERM; httpd -f -p 80 -h /www & wait\"]";
    }

    private static final int BIG_LAYER_BYTES = 3 * 1024 * 1024;
    private static final Map<FaultImages, String> LOCAL = new ConcurrentHashMap<>();
    private static final Map<String, String> VERSION_BY_DIGEST = new ConcurrentHashMap<>();

    private final String version;
    private final String cmd;

    FaultImages(String version, String cmd) {
        this.version = version;
        this.cmd = cmd;
    }

    /** The version this image is, as its page and the table name it. */
    public String version() {
        return version;
    }

    /** The page it serves at {@code /}. */
    public String page() {
        return page(version);
    }

    static String page(String version) {
        return "redock fault matrix " + version + " " + TestEnv.runId() + "\n";
    }

    /** The version an image pushed here has, by its manifest digest; null for another image. */
    /** The version whose page this is, or null: for a container without Redock's digest label (one adopted). */
    static String versionServing(String page) {
        for (FaultImages image : values()) {
            if (image.page().equals(page)) {
                return image.version;
            }
        }
        return null;
    }

    public static String versionOf(String digest) {
        return digest == null ? null : VERSION_BY_DIGEST.get(digest);
    }

    /** Pushes this image to {@code <test registry>/<repository>:<tag>}; returns the digest the registry reports. */
    public String pushTo(String repository, String tag) {
        String digest = TestImages.push(local(), repository + ":" + tag);
        VERSION_BY_DIGEST.put(digest, name().equals("CRASHING") ? "crashing" : version);
        return digest;
    }

    /** The image on the main engine, built on first use. */
    public synchronized String local() {
        return LOCAL.computeIfAbsent(this, FaultImages::build);
    }

    private static String build(FaultImages image) {
        String reference = "redock-test/fault-" + image.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-') + ":"
                + TestEnv.runId();
        Map<String, byte[]> files = new LinkedHashMap<>();
        StringBuilder dockerfile = new StringBuilder()
                .append("FROM ").append(TestImages.baseImage()).append('\n')
                .append("LABEL ").append(TestEnv.RUN_LABEL).append("=\"").append(TestEnv.runId()).append("\"\n")
                .append("COPY index.html /www/index.html\n");
        files.put("index.html", image.page().getBytes(StandardCharsets.UTF_8));
        if (image == BIG_V2) {
            byte[] noise = new byte[BIG_LAYER_BYTES];
            ThreadLocalRandom.current().nextBytes(noise); // incompressible: the layer stays 3 MB on the wire
            files.put("noise.bin", noise);
            dockerfile.append("COPY noise.bin /noise.bin\n");
        }
        dockerfile.append("VOLUME /data\n").append(image.cmd).append('\n');
        files.put("Dockerfile", dockerfile.toString().getBytes(StandardCharsets.UTF_8));
        TestEnv.docker().buildImageCmd()
                .withTarInputStream(new ByteArrayInputStream(tar(files)))
                .withTags(Set.of(reference))
                .withPull(false)
                .withRemove(true)
                .withForcerm(true)
                .withQuiet(true)
                .exec(new BuildImageResultCallback())
                .awaitImageId(120, TimeUnit.SECONDS);
        return reference;
    }

    private static byte[] tar(Map<String, byte[]> files) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            for (var f : files.entrySet()) {
                TarArchiveEntry entry = new TarArchiveEntry(f.getKey());
                entry.setSize(f.getValue().length);
                entry.setMode(0100644);
                tar.putArchiveEntry(entry);
                tar.write(f.getValue());
                tar.closeArchiveEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
