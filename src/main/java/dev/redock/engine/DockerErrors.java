package dev.redock.engine;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

    static EngineUnavailableException unavailable(URI host, Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String reason;
        if (root instanceof SocketTimeoutException) {
            reason = "it did not answer in time";
        } else {
            reason = root.getMessage() == null || root.getMessage().isBlank() ? root.getClass().getSimpleName() : root.getMessage();
        }
        return new EngineUnavailableException("Docker engine at " + host + " is unreachable: " + reason, e);
    }

    /** Any failure of {@code action} ("starting web") that has no more specific meaning. */
    static EngineException generic(URI host, String action, RuntimeException e) {
        if (isConnectionFailure(e)) {
            return unavailable(host, e);
        }
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
