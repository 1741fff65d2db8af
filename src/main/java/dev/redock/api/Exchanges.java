package dev.redock.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;

import dev.redock.model.Json;

/** Reading a request's body within its bounds, its query's flags, and sending an answer as JSON. */
final class Exchanges {

    /** A too-large body up to this size is read and dropped, so the client gets its 413; a larger one closes the connection. */
    static final long MAX_DRAIN = 32L * 1024 * 1024;

    /** An answer: its status, and its JSON body (null for none). */
    record Response(int status, JsonNode body) {
    }

    /** Whether the request's query sets the flag ({@code ?name=true}, or {@code ?name} alone). */
    static boolean queryFlag(HttpExchange ex, String name) {
        String query = ex.getRequestURI().getRawQuery();
        if (query == null) {
            return false;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "true" : pair.substring(eq + 1);
            if (key.equals(name)) {
                return value.equalsIgnoreCase("true") || value.equals("1");
            }
        }
        return false;
    }

    /** The value the request's query gives a name ({@code ?engine=home}), decoded, or null when it gives none. */
    static String queryValue(HttpExchange ex, String name) {
        String query = ex.getRequestURI().getRawQuery();
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(name)) {
                return java.net.URLDecoder.decode(pair.substring(eq + 1), java.nio.charset.StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    /**
     * The body, at most {@link ApiServer#MAX_BODY} bytes: a larger one is a 413, read to its end (up to a bound) so that
     * the client hears the answer rather than a reset connection.
     */
    static byte[] readBody(HttpExchange ex) throws IOException {
        String length = ex.getRequestHeaders().getFirst("Content-Length");
        long declared = -1;
        if (length != null) {
            try {
                declared = Long.parseLong(length.strip());
            } catch (NumberFormatException e) {
                throw new ApiException(400, "invalid Content-Length");
            }
        }
        try (InputStream in = ex.getRequestBody()) {
            if (declared > MAX_DRAIN) {
                ex.getResponseHeaders().set("Connection", "close");
                throw tooLarge();
            }
            byte[] body = in.readNBytes(ApiServer.MAX_BODY + 1);
            if (body.length > ApiServer.MAX_BODY) {
                // Read the rest (up to a bound) so the client hears the answer rather than a reset connection.
                long drained = 0;
                byte[] sink = new byte[64 * 1024];
                int n;
                while (drained < MAX_DRAIN && (n = in.read(sink)) > 0) {
                    drained += n;
                }
                if (drained >= MAX_DRAIN) {
                    ex.getResponseHeaders().set("Connection", "close");
                }
                throw tooLarge();
            }
            return body;
        }
    }

    static ApiException tooLarge() {
        return new ApiException(413, "the body is larger than " + ApiServer.MAX_BODY / 1024 + " KiB");
    }

    static void send(HttpExchange ex, Response r) throws IOException {
        if (r.body() == null) {
            ex.sendResponseHeaders(r.status(), -1);
            return;
        }
        byte[] bytes = Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(r.body());
        ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        ex.sendResponseHeaders(r.status(), bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    private Exchanges() {
    }
}
