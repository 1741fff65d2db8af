package dev.redock.engine;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.transport.DockerHttpClient;

/**
 * The engine's API as JSON trees, through the same transport (and so the same timeouts, TLS and ssh tunnel) as docker-java's
 * client: for what docker-java's model would lose on the way, such as the fields of a container it does not know. Paths
 * carry no API version, as docker-java's own do: the engine answers at its own.
 */
final class EngineJson {

    static final ObjectMapper JSON = new ObjectMapper();

    /**
     * An answer of the engine.
     *
     * @param body the JSON it sent, or a missing node when it sent none
     */
    record Answer(int status, JsonNode body) {

        boolean ok() {
            return status >= 200 && status < 300;
        }

        /** The engine's own words for a failure ({@code {"message": ...}}), or the status. */
        String message() {
            return body.hasNonNull("message") ? body.get("message").asText().strip() : "HTTP " + status;
        }
    }

    private final EngineContext engine;

    EngineJson(EngineContext engine) {
        this.engine = engine;
    }

    static String encode(String pathSegment) {
        return URLEncoder.encode(pathSegment, StandardCharsets.UTF_8);
    }

    /** What {@code GET path} answers, or empty on 404; {@code action} ("inspecting container web") names a failure. */
    Optional<JsonNode> get(String path, String action) throws EngineException {
        Answer answer = send(DockerHttpClient.Request.Method.GET, path, null, action);
        if (answer.status() == 404) {
            return Optional.empty();
        }
        if (!answer.ok()) {
            throw new EngineException(action + " failed: " + answer.message());
        }
        return Optional.of(answer.body());
    }

    /** {@code POST path} with a JSON body; the caller judges the answer. */
    Answer post(String path, JsonNode body, String action) throws EngineException {
        return send(DockerHttpClient.Request.Method.POST, path, body, action);
    }

    private Answer send(DockerHttpClient.Request.Method method, String path, JsonNode body, String action) throws EngineException {
        if (!(engine.client() instanceof DockerClientImpl impl) || impl.getHttpClient() == null) {
            throw new EngineException(action + " needs a direct connection to the engine, which this client does not give");
        }
        DockerHttpClient.Request.Builder request = DockerHttpClient.Request.builder().method(method).path(path);
        if (body != null) {
            try {
                request.putHeader("Content-Type", "application/json").bodyBytes(JSON.writeValueAsBytes(body));
            } catch (IOException e) {
                throw new EngineException(action + " failed: its request could not be written: " + e.getMessage(), e);
            }
        }
        try (DockerHttpClient.Response response = impl.getHttpClient().execute(request.build());
             InputStream in = response.getBody()) {
            byte[] bytes = in == null ? new byte[0] : in.readAllBytes();
            return new Answer(response.getStatusCode(), parse(bytes));
        } catch (IOException e) {
            throw engine.unavailable(e);
        } catch (RuntimeException e) {
            throw engine.failed(action, e);
        }
    }

    private static JsonNode parse(byte[] bytes) {
        if (bytes.length == 0) {
            return JSON.missingNode();
        }
        try {
            return JSON.readTree(bytes);
        } catch (IOException notJson) {
            // Some errors come as plain text: kept as the message.
            return JSON.createObjectNode().put("message", new String(bytes, StandardCharsets.UTF_8));
        }
    }
}
