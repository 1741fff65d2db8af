package dev.redock.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The API's bearer token: 256 random bits, made on first start and kept in {@code api-token} in the data folder, readable
 * by the user alone.
 */
public final class ApiToken {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final String value;
    private final Path file;

    private ApiToken(String value, Path file) {
        this.value = value;
        this.file = file;
    }

    /** Reads the token, or makes it on first use. */
    public static ApiToken loadOrCreate(Path dataFolder) throws IOException {
        Files.createDirectories(dataFolder);
        Path file = dataFolder.resolve("api-token");
        if (!Files.exists(file)) {
            String token = randomToken(32);
            try {
                if (supportsPosix(dataFolder)) {
                    Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                } else {
                    Files.createFile(file);
                }
                Files.writeString(file, token + "\n", StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
            } catch (FileAlreadyExistsException raced) {
                // another process made it first: read theirs
            }
        }
        String token = Files.readString(file, StandardCharsets.UTF_8).strip();
        if (token.length() < 32) {
            throw new IOException(file + " holds no usable token; delete it and Redock makes a new one");
        }
        return new ApiToken(token, file);
    }

    private static boolean supportsPosix(Path folder) {
        return folder.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    /** {@code bytes} random bytes, URL-safe base64 without padding. */
    public static String randomToken(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
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
