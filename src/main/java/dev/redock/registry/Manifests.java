package dev.redock.registry;

import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.redock.model.ImageRef;

/**
 * What {@link RegistryClient} reads of a manifest answer: the digest it states or that its bytes hash to, and its media
 * type from the {@code Content-Type} or from the manifest itself.
 */
final class Manifests {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern DIGEST = Pattern.compile("[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+");

    private Manifests() {
    }

    /** The digest, when it is one; else the answer cannot be used. */
    static String validDigest(ImageRef ref, Reply reply, String digest) throws RegistryProtocolException {
        if (!DIGEST.matcher(digest).matches()) {
            throw new RegistryProtocolException(ref.registry(), reply.host() + " sent an invalid digest \"" + digest
                    + "\" for " + ref.familiar());
        }
        return digest;
    }

    /** The media type a {@code Content-Type} names, without its parameters; null when there is none. */
    static String mediaType(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return null;
        }
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
    }

    /** The {@code mediaType} a manifest states in its own JSON, if it does. */
    static Optional<String> mediaTypeInBody(byte[] body) {
        try {
            JsonNode type = JSON.readTree(body).path("mediaType");
            return type.isTextual() ? Optional.of(type.asText()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The bytes' SHA-256, in lower-case hex. */
    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
