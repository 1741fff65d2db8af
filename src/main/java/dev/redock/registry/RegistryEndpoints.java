package dev.redock.registry;

import java.net.URI;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Where a registry named in an image reference is spoken to, as Docker does it: {@code docker.io} is served by
 * {@code https://registry-1.docker.io}; loopback registries ({@code localhost}, {@code 127.x.x.x}, {@code [::1]}, any
 * port) are plain {@code http}, since Docker allows them without TLS; everything else is {@code https}.
 */
public final class RegistryEndpoints {

    /** The host that serves Docker Hub's Registry API. */
    public static final String DOCKER_HUB_HOST = "registry-1.docker.io";

    private static final Pattern IPV4_LOOPBACK = Pattern.compile("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");

    private RegistryEndpoints() {
    }

    /**
     * The base URI of a registry (no trailing slash), e.g. {@code https://registry-1.docker.io} for {@code docker.io},
     * {@code http://localhost:5000} for {@code localhost:5000}.
     */
    public static URI of(String registry) {
        String r = registry.toLowerCase(Locale.ROOT);
        if (r.equals("docker.io") || r.equals("index.docker.io")) {
            return URI.create("https://" + DOCKER_HUB_HOST);
        }
        return URI.create((isLoopback(r) ? "http://" : "https://") + r);
    }

    /** Whether a registry ({@code host[:port]}) is on the loopback interface by name or address. */
    public static boolean isLoopback(String registry) {
        String host = hostOf(registry.toLowerCase(Locale.ROOT));
        return host.equals("localhost") || host.equals("::1") || IPV4_LOOPBACK.matcher(host).matches();
    }

    /** The host of {@code host[:port]} or {@code [v6][:port]}, without brackets. */
    static String hostOf(String authority) {
        if (authority.startsWith("[")) {
            int end = authority.indexOf(']');
            return end < 0 ? authority.substring(1) : authority.substring(1, end);
        }
        int colon = authority.indexOf(':');
        return colon < 0 ? authority : authority.substring(0, colon);
    }
}
