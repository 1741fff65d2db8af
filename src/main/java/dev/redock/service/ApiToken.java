package dev.redock.service;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;

import dev.redock.store.PrivateFiles;

/**
 * The API's bearer token: 256 random bits, made on first start and kept in {@code api-token} in the data folder, readable
 * by the user alone.
 */
public final class ApiToken {

    /** The token's file in the data folder. */
    public static final String FILE = "api-token";

    private final String value;
    private final Path file;

    private ApiToken(String value, Path file) {
        this.value = value;
        this.file = file;
    }

    /** Reads the token, or makes it on first use (see {@link PrivateFiles#secret}: several processes may start at once). */
    public static ApiToken loadOrCreate(Path dataFolder) throws IOException {
        Path file = PrivateFiles.folder(dataFolder).resolve(FILE);
        try {
            return new ApiToken(PrivateFiles.secret(file), file);
        } catch (PrivateFiles.UnusableSecretException e) {
            throw new IOException(e.getMessage() + "; delete it and Redock makes a new one", e);
        }
    }

    /** {@code bytes} random bytes, URL-safe base64 without padding. */
    public static String randomToken(int bytes) {
        return PrivateFiles.randomSecret(bytes);
    }

    public String value() {
        return value;
    }

    public Path file() {
        return file;
    }

    /** Compares in constant time. */
    public boolean matches(String candidate) {
        if (candidate == null) {
            return false;
        }
        return MessageDigest.isEqual(value.getBytes(StandardCharsets.UTF_8), candidate.getBytes(StandardCharsets.UTF_8));
    }

}
