package dev.redock.engine;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.SSLException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.exception.DockerException;

/** Turns docker-java's exceptions into {@link EngineException}s with words a user can act on. */
final class DockerErrors {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PORT_IN_USE = Pattern.compile(
            "(\\d{1,5})(?: failed)?: (?:port is already allocated|bind: address already in use)");

    private DockerErrors() {
    }

    /** The daemon's own message: docker-java wraps it as {@code Status 409: {"message":"..."}}. */
    static String daemonMessage(DockerException e) {
        String text = e.getMessage() == null ? "" : e.getMessage();
        int brace = text.indexOf('{');
        if (brace >= 0) {
            try {
                JsonNode node = JSON.readTree(text.substring(brace));
                if (node.hasNonNull("message")) {
                    return node.get("message").asText().strip();
                }
            } catch (IOException notJson) {
                // falls through to the raw text
            }
        }
        return text.replaceFirst("^Status \\d+:\\s*", "").strip();
    }

    /** Whether a failure came from the connection to the engine rather than from the engine's answer. */
    static boolean isConnectionFailure(Throwable e) {
        if (e instanceof DockerException) {
            return false;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IOException) {
                return true;
            }
        }
        return false;
    }

    /**
     * The engine cannot be reached.
     *
     * @param problem what stands between knows why (an ssh tunnel: signing in, {@code dial-stdio}), or null
     */
    static EngineUnavailableException unavailable(EngineAddress address, String problem, Throwable e) {
        String reason = problem != null ? problem : reason(address, e);
        if (address == null) {
            return new EngineUnavailableException("No Docker engine to use: " + reason, e);
        }
        return new EngineUnavailableException("Docker engine at " + address + " is unreachable: " + reason, e);
    }

    private static String reason(EngineAddress address, Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String said = root.getMessage() == null || root.getMessage().isBlank() ? root.getClass().getSimpleName() : root.getMessage();
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SSLException) {
                return tlsReason(address, t, said);
            }
            if (address.tls() && t instanceof IOException && duringTlsHandshake(t)) {
                // An engine that does not take the client's certificate may close the connection rather than say so.
                return "it broke off the TLS handshake, as an engine does when it does not accept Redock's client certificate "
                        + address.tlsDir().resolve("cert.pem") + " (" + said + ")";
            }
        }
        if (root instanceof SocketTimeoutException) {
            return "it did not answer in time";
        }
        return said;
    }

    private static boolean duringTlsHandshake(Throwable t) {
        for (StackTraceElement frame : t.getStackTrace()) {
            if (frame.getMethodName().contains("Handshake") && frame.getClassName().startsWith("sun.security.ssl.")) {
                return true;
            }
        }
        return false;
    }

    /** A TLS handshake that failed, in words: whose certificate was not trusted, and by which file. */
    private static String tlsReason(EngineAddress address, Throwable tlsFailure, String said) {
        Path dir = address.tlsDir();
        String text = said + " " + tlsFailure.getMessage();
        if (dir == null) {
            return "TLS failed (" + said + ")";
        }
        if (text.contains("PKIX") || text.contains("certification path") || text.contains("CertPath")) {
            return "its TLS certificate is not signed by the CA in " + dir.resolve("ca.pem") + " (" + said + ")";
        }
        if (text.contains("subject alternative") || text.contains("No name matching") || text.contains("doesn't match")) {
            return "its TLS certificate is not made out to " + address.host().getHost() + " (" + said + ")";
        }
        if (text.contains("bad_certificate") || text.contains("unknown_ca") || text.contains("certificate_required")
                || text.contains("certificate_unknown")) {
            return "it does not accept Redock's client certificate " + dir.resolve("cert.pem") + " (" + said + ")";
        }
        if (text.contains("Unsupported or unrecognized SSL message") || text.contains("plaintext")) {
            return "it does not speak TLS on that port (" + said + ")";
        }
        return "the TLS handshake failed (" + said + ")";
    }

    /** Any failure of {@code action} ("starting web") that has no more specific meaning, the connection being fine. */
    static EngineException generic(String action, RuntimeException e) {
        if (e instanceof DockerException de) {
            return new EngineException(action + " failed: " + daemonMessage(de), e);
        }
        return new EngineException(action + " failed: " + e.getMessage(), e);
    }

    static boolean isPortInUse(String message) {
        return message.contains("port is already allocated") || message.contains("address already in use");
    }

    /** The host port named in a "port is already allocated" or "address already in use" message, or null. */
    static Integer portInUse(String message) {
        Matcher m = PORT_IN_USE.matcher(message);
        return m.find() ? Integer.valueOf(m.group(1)) : null;
    }
}
