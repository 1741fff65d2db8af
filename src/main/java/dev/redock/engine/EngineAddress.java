package dev.redock.engine;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Where a Docker engine is, as the {@code docker} CLI writes it: {@code unix:///var/run/docker.sock},
 * {@code tcp://host:2376} (optionally with TLS: a folder holding {@code ca.pem}, {@code cert.pem} and {@code key.pem}),
 * {@code ssh://user@host[:port]} (the engine behind {@code docker system dial-stdio} on that host) or
 * {@code npipe:////./pipe/docker_engine}.
 *
 * <p>The record itself only holds the two parts; {@link #parse} is what checks them.
 *
 * @param host   the address as typed
 * @param tlsDir the folder with the TLS material for a {@code tcp://} address, or null for none
 */
public record EngineAddress(URI host, Path tlsDir) {

    /** The TLS files docker-java reads from the folder, all needed: the CA that signed the engine, and the client's own. */
    public static final List<String> TLS_FILES = List.of("ca.pem", "cert.pem", "key.pem");

    private static final List<String> SCHEMES = List.of("unix", "tcp", "ssh", "npipe");

    public EngineAddress {
        Objects.requireNonNull(host, "host");
    }

    /** An address without TLS. */
    public static EngineAddress of(URI host) {
        return new EngineAddress(host, null);
    }

    /** The platform's own socket: {@code unix:///var/run/docker.sock}, or the named pipe on Windows. */
    public static EngineAddress defaultSocket() {
        boolean windows = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
        return of(URI.create(windows ? "npipe:////./pipe/docker_engine" : "unix:///var/run/docker.sock"));
    }

    /**
     * Reads an address as a user or the docker CLI's configuration writes it.
     *
     * @param tlsDirOrNull the folder with {@code ca.pem}, {@code cert.pem} and {@code key.pem} (only for {@code tcp://}), or
     *                     null for no TLS
     * @throws EngineException naming what is wrong, e.g. a scheme Redock does not know or a TLS file that is missing
     */
    public static EngineAddress parse(String text, Path tlsDirOrNull) throws EngineException {
        String typed = text == null ? "" : text.strip();
        if (typed.isEmpty()) {
            throw new EngineException("engine address is empty; it must start with unix://, tcp://, ssh:// or npipe://");
        }
        URI uri;
        try {
            uri = new URI(typed);
        } catch (URISyntaxException e) {
            throw new EngineException("engine address is not a valid address (" + e.getReason() + "): " + typed);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!SCHEMES.contains(scheme) || uri.isOpaque()) {
            throw new EngineException("engine address must start with unix://, tcp://, ssh:// or npipe://: " + typed);
        }
        switch (scheme) {
            case "unix", "npipe" -> {
                if (uri.getRawAuthority() != null || uri.getPath() == null || uri.getPath().length() < 2) {
                    throw new EngineException("a " + scheme + ":// address names a path after three slashes, e.g. "
                            + ("unix".equals(scheme) ? "unix:///var/run/docker.sock" : "npipe:////./pipe/docker_engine")
                            + ": " + typed);
                }
            }
            case "tcp" -> {
                if (uri.getHost() == null) {
                    throw new EngineException("a tcp:// address names a host and port, e.g. tcp://192.0.2.7:2376: " + typed);
                }
            }
            default -> { // ssh
                if (uri.getHost() == null) {
                    throw new EngineException("an ssh:// address names a host, e.g. ssh://user@host or ssh://user@host:2222: "
                            + typed);
                }
                if (uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !"/".equals(uri.getRawPath())
                        || uri.getRawQuery() != null) {
                    throw new EngineException("an ssh:// address has nothing after the host and port: " + typed);
                }
            }
        }
        if (tlsDirOrNull != null) {
            if (!"tcp".equals(scheme)) {
                throw new EngineException("TLS is for tcp:// addresses only, not " + typed);
            }
            checkTlsDir(tlsDirOrNull);
        }
        return new EngineAddress(uri, tlsDirOrNull);
    }

    /** Fails unless the folder holds all three TLS files (docker-java would otherwise quietly connect without TLS). */
    static void checkTlsDir(Path dir) throws EngineException {
        if (!Files.isDirectory(dir)) {
            throw new EngineException("the TLS folder " + dir + " does not exist; it should hold " + String.join(", ", TLS_FILES));
        }
        List<String> missing = TLS_FILES.stream().filter(f -> !Files.isRegularFile(dir.resolve(f))).toList();
        if (!missing.isEmpty()) {
            throw new EngineException("the TLS folder " + dir + " has no " + String.join(", ", missing)
                    + "; Redock needs " + String.join(", ", TLS_FILES) + " (the engine's CA, and the client certificate and key)");
        }
    }

    /** {@code unix}, {@code tcp}, {@code ssh} or {@code npipe}. */
    public String scheme() {
        return host.getScheme() == null ? "" : host.getScheme().toLowerCase(Locale.ROOT);
    }

    /** Whether the connection is TLS (verified, with a client certificate). */
    public boolean tls() {
        return tlsDir != null;
    }

    /**
     * The address docker-java dials: a {@code tcp://} address without a port gets the docker CLI's default (2376 with TLS,
     * 2375 without); others are as typed.
     */
    URI dialHost() {
        if ("tcp".equals(scheme()) && host.getPort() < 0) {
            try {
                return new URI("tcp", host.getUserInfo(), host.getHost(), tls() ? 2376 : 2375, host.getPath(), null, null);
            } catch (URISyntaxException e) {
                throw new IllegalStateException("cannot add a port to " + host, e);
            }
        }
        return host;
    }

    /** The address as typed, and {@code " (TLS)"} when it has TLS. */
    @Override
    public String toString() {
        return host + (tls() ? " (TLS)" : "");
    }
}
