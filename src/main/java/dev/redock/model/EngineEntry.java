package dev.redock.model;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An engine in the user's list, as stored: a name, and how to find it.
 *
 * @param name   what the user calls it ({@link Service#DEFAULT_ENGINE} for the one the docker CLI itself would use)
 * @param kind   how {@code target} is read
 * @param target a docker context's name ({@link Kind#CONTEXT}), an address such as {@code tcp://host:2376} or
 *               {@code ssh://user@host} ({@link Kind#ADDRESS}), or null ({@link Kind#CURRENT})
 * @param tlsDir for an address, the folder with {@code ca.pem}, {@code cert.pem} and {@code key.pem} that TLS uses, or null
 */
public record EngineEntry(String name, Kind kind, String target, String tlsDir) {

    /** How an engine is found. */
    public enum Kind {
        /** Wherever the docker CLI points now: {@code DOCKER_HOST}, else the current docker context, else the default socket. */
        CURRENT,
        /** A docker context, by name: its endpoint and TLS material as {@code docker context inspect} shows them. */
        CONTEXT,
        /** An address the user gave. */
        ADDRESS
    }

    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]{0,39}");

    public EngineEntry {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
    }

    /** The entry every data folder has: the engine the docker CLI itself would use. */
    public static EngineEntry current() {
        return new EngineEntry(Service.DEFAULT_ENGINE, Kind.CURRENT, null, null);
    }

    /** Checks an engine's name: letters, digits, '_', '.' and '-', starting with a letter or digit, at most 40. */
    public static String validName(String name) {
        if (name == null || name.isBlank()) {
            throw new ValidationException("engine", "engine name is empty");
        }
        if (!NAME.matcher(name).matches()) {
            throw new ValidationException("engine", "invalid engine name \"" + name
                    + "\" (letters, digits, '_', '.' and '-', starting with a letter or digit, at most 40)");
        }
        return name;
    }

    /** Where it is, as lists show it: {@code docker context "remote"}, {@code tcp://host:2376 (TLS)}, or the CLI's choice. */
    public String describe() {
        return switch (kind) {
            case CURRENT -> "the docker CLI's engine";
            case CONTEXT -> "docker context \"" + target + "\"";
            case ADDRESS -> tlsDir == null ? target : target + " (TLS)";
        };
    }
}
