package dev.redock.engine;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.model.Version;
import com.github.dockerjava.api.model.VersionComponent;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.transport.DockerHttpClient;

/**
 * Podman, for {@link DockerEngine}, which works with it through its Docker-compatible API: whether the engine is Podman
 * (asked once, from the components its version names), what Podman lacks that Redock uses, in sentences for the user, and
 * the one call of Podman's own API that Redock makes, to run a container's health check.
 */
final class Podman {

    /** What Podman does with HEALTHCHECKs where its host has no systemd, and what Redock does about it. */
    static final String HEALTH_CHECKS = "Podman runs a container's HEALTHCHECK only through systemd timers: on a host without"
            + " systemd it never runs one by itself, and the container stays \"starting\". Redock then runs the check itself,"
            + " through Podman's API at the image's interval, while a new container proves itself; afterwards the health"
            + " Podman shows is the last result and is no longer updated.";
    /** What Podman before 5.1 cannot do to a container that a redeploy sets aside. */
    static final String RESTART_POLICY = "Podman before 5.1 cannot change a container's restart policy (its API has no"
            + " container update): the container a redeploy sets aside keeps its restart policy while it is stopped, so a"
            + " host restarted during the redeploy may start it again beside the new one.";
    /** What a redeploy on Podman carries from the old container to the new one. */
    static final String RECREATION = "Podman does not report which of a container's settings came from its image (its image"
            + " descriptions leave out the HEALTHCHECK, and its containers report a working directory and stop signal where the"
            + " image set none): a redeploy there makes the new container from the service's own settings, with the old"
            + " container's volumes mounted again, and leaves out the other options the old container may have been given.";
    /** Said beside a readiness result whose health checks Redock ran itself. */
    static final String CHECKS_RUN_BY_REDOCK = "checks run by Redock: Podman runs none without systemd";

    /** The libpod API version to ask for when the engine names none: the oldest that Podman 4 and later serve. */
    private static final String DEFAULT_API_VERSION = "4.0.0";
    private static final Pattern MAJOR_MINOR = Pattern.compile("^v?(\\d+)\\.(\\d+)");
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Which engine answers.
     *
     * @param podman     whether it is Podman
     * @param version    its version ({@code 4.3.1}), or null when it names none
     * @param apiVersion the version of Podman's own API, for its own endpoints; null for Docker
     */
    record Product(boolean podman, String version, String apiVersion) {

        static final Product DOCKER = new Product(false, null, null);

        /** What a version answer says: Podman names itself among the components ("Podman Engine"). */
        static Product of(Version v) {
            for (VersionComponent c : v.getComponents() == null ? List.<VersionComponent>of() : v.getComponents()) {
                if (c.getName() != null && c.getName().toLowerCase(Locale.ROOT).startsWith("podman")) {
                    Map<String, String> details = c.getDetails() == null ? Map.of() : c.getDetails();
                    return new Product(true, c.getVersion() != null ? c.getVersion() : v.getVersion(), details.get("APIVersion"));
                }
            }
            if (v.getPlatform() != null && v.getPlatform().getName() != null
                    && v.getPlatform().getName().toLowerCase(Locale.ROOT).contains("podman")) {
                return new Product(true, v.getVersion(), null);
            }
            return DOCKER;
        }

        /** Whether it is a Podman older than {@code major.minor}; an unreadable version counts as older. */
        boolean podmanBefore(int major, int minor) {
            if (!podman) {
                return false;
            }
            Matcher m = version == null ? null : MAJOR_MINOR.matcher(version);
            if (m == null || !m.find()) {
                return true;
            }
            int ma = Integer.parseInt(m.group(1));
            int mi = Integer.parseInt(m.group(2));
            return ma < major || (ma == major && mi < minor);
        }
    }

    private final EngineContext engine;
    private volatile Product product;

    Podman(EngineContext engine) {
        this.engine = engine;
    }

    /** Which engine answers: asked on first use, then remembered (an engine that does not answer is asked again later). */
    Product product() throws EngineException {
        Product known = product;
        if (known == null) {
            try {
                known = Product.of(engine.client().versionCmd().exec());
            } catch (RuntimeException e) {
                throw engine.failed("asking the engine for its version", e);
            }
            product = known;
        }
        return known;
    }

    boolean isPodman() throws EngineException {
        return product().podman();
    }

    /** What Redock cannot do, or does otherwise, on this engine: nothing on Docker. */
    List<String> limitations() throws EngineException {
        Product p = product();
        if (!p.podman()) {
            return List.of();
        }
        List<String> result = new ArrayList<>();
        result.add(HEALTH_CHECKS);
        if (p.podmanBefore(5, 1)) {
            result.add(RESTART_POLICY);
        }
        result.add(RECREATION);
        return List.copyOf(result);
    }

    /**
     * Runs the container's health check once, through Podman's own API, which records the result in the container's health
     * as Podman's own run would ({@code podman healthcheck run}). A container that stopped meanwhile is left to the caller's
     * next look at it.
     *
     * @throws EngineException when Podman could not run it
     */
    void runHealthCheck(String id) throws EngineException {
        if (!(engine.client() instanceof DockerClientImpl impl) || impl.getHttpClient() == null) {
            throw new EngineException("running the health check of container " + id + " needs a direct connection to Podman");
        }
        String api = product().apiVersion() == null ? DEFAULT_API_VERSION : product().apiVersion();
        DockerHttpClient.Request request = DockerHttpClient.Request.builder()
                .method(DockerHttpClient.Request.Method.GET)
                .path("/v" + api + "/libpod/containers/" + URLEncoder.encode(id, StandardCharsets.UTF_8) + "/healthcheck")
                .build();
        try (DockerHttpClient.Response response = impl.getHttpClient().execute(request);
             InputStream body = response.getBody()) {
            int status = response.getStatusCode();
            if (status == 200 || status == 409) {
                return; // 409: it is not running (any more), which the container's state says better
            }
            if (status == 404) {
                throw new ContainerNotFoundException(id, null);
            }
            throw new EngineException("running the health check of container " + id + " through Podman's API failed: "
                    + message(body.readAllBytes(), status));
        } catch (IOException | RuntimeException e) {
            throw engine.unavailable(e);
        }
    }

    /** The message of an error answer: Podman's {@code {"message": ...}}, or the text itself. */
    private static String message(byte[] body, int status) {
        String text = new String(body, StandardCharsets.UTF_8).strip();
        try {
            JsonNode node = JSON.readTree(text);
            if (node != null && node.hasNonNull("message")) {
                return node.get("message").asText().strip();
            }
        } catch (IOException notJson) {
            // the text as it is
        }
        return text.isEmpty() ? "HTTP " + status : text;
    }
}
