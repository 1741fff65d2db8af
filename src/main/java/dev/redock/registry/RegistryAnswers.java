package dev.redock.registry;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.redock.model.ImageRef;

/**
 * What a registry's answer means, for {@link RegistryClient}: a status other than 200 as the {@link RegistryException}
 * that says it to the user (with the registry's own error code, and when to retry after a 429), and a JSON body read or
 * refused as unreadable.
 */
final class RegistryAnswers {

    /** Made when a registry first answers, not when the client is: most CLI commands ask no registry. */
    private static final class Parser {
        static final ObjectMapper JSON = new ObjectMapper();
    }

    private final Clock clock;

    /** @param clock for {@code Retry-After} dates */
    RegistryAnswers(Clock clock) {
        this.clock = clock;
    }

    void expectOk(ImageRef ref, Reply reply) throws RegistryException {
        if (reply.status() != 200) {
            throw statusFailure(ref, reply, null);
        }
    }

    /** The exception for an answer other than 200 (401 is handled before). */
    RegistryException statusFailure(ImageRef ref, Reply reply, String what) {
        String registry = ref.registry();
        int status = reply.status();
        String answered = reply.host() + " answered " + status + " " + HttpStatus.reason(status)
                + (what == null ? "" : " when asked for " + what);
        if (status == 404 && what == null) {
            String code = errorCode(reply).orElse("");
            String message = switch (code) {
                case "NAME_UNKNOWN" -> "repository " + ref.name() + " not found";
                case "MANIFEST_UNKNOWN" -> "tag " + ref.tag() + " not found in " + ref.name();
                default -> ref.familiar() + " not found (no such repository or tag on " + registry + ")";
            };
            return new ManifestUnknownException(ref, message);
        }
        if (status == 403) {
            return new RegistryAuthException(registry, "forbidden: " + answered + " for " + ref.familiar()
                    + " (no pull permission?)");
        }
        if (status == 429) {
            Duration retryAfter = retryAfter(reply.header("Retry-After")).orElse(null);
            return new RegistryRateLimitedException(registry, answered
                    + (retryAfter == null ? "" : "; retry after " + retryAfter.toSeconds() + " s"), retryAfter);
        }
        if (status >= 500) {
            return new RegistryUnavailableException(registry, answered, null);
        }
        return new RegistryProtocolException(registry, answered + (what == null ? " for " + ref.familiar() : ""));
    }

    /** {@code Retry-After} as seconds or as an HTTP date; empty when absent or unreadable. */
    Optional<Duration> retryAfter(String value) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        String v = value.strip();
        try {
            return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(v))));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                Duration wait = Duration.between(clock.instant(), at);
                return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
            } catch (DateTimeParseException notADate) {
                return Optional.empty();
            }
        }
    }

    private static Optional<String> errorCode(Reply reply) {
        if (reply.body().length == 0) {
            return Optional.empty();
        }
        try {
            JsonNode code = Parser.JSON.readTree(reply.body()).path("errors").path(0).path("code");
            return code.isTextual() ? Optional.of(code.asText()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    static JsonNode parseJson(ImageRef ref, Reply reply, String what) throws RegistryProtocolException {
        try {
            JsonNode node = Parser.JSON.readTree(reply.body());
            if (node == null || !node.isObject()) {
                throw new IOException("not a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw new RegistryProtocolException(ref.registry(), reply.host() + " sent an unreadable " + what + " for "
                    + ref.familiar());
        }
    }
}
