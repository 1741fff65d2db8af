package dev.redock.service;

import dev.redock.engine.BuildFailedException;
import dev.redock.engine.EngineException;
import dev.redock.engine.EngineUnavailableException;
import dev.redock.git.GitException;
import dev.redock.model.ValidationException;
import dev.redock.registry.ManifestUnknownException;
import dev.redock.registry.RegistryAuthException;
import dev.redock.registry.RegistryException;
import dev.redock.registry.RegistryRateLimitedException;
import dev.redock.registry.RegistryUnavailableException;
import dev.redock.schedule.SchedulerLock;
import dev.redock.store.NameTakenException;
import dev.redock.store.StoreException;

/**
 * What kind of failure an error is, decided once for every way in: the API answers with its {@link #httpStatus()}, the
 * CLI exits with its {@link #exitCode()}, the window titles it with its {@link #title()}. An error of a kind Redock
 * expects (bad input, an engine or a registry saying no) shows its own message; anything else is a bug, shown as such
 * and logged with its stack trace.
 */
public enum Failure {

    /** Input refused before anything was done. */
    INVALID(422, Failure.EXIT_INVALID, "Not accepted"),
    /** No service has that name or id. */
    UNKNOWN_SERVICE(404, Failure.EXIT_INVALID, "No such service"),
    /** Another service has that name. */
    NAME_TAKEN(409, Failure.EXIT_INVALID, "Name taken"),
    /** The registry has no such repository or tag. */
    UNKNOWN_TAG(422, Failure.EXIT_FAILED, "Unknown repository or tag"),
    /** The git remote has no such branch. */
    UNKNOWN_BRANCH(422, Failure.EXIT_FAILED, "No such branch"),
    /** The repository answered, but its commit cannot be used (no Dockerfile there, say). */
    UNUSABLE_SOURCE(422, Failure.EXIT_FAILED, "Cannot read the repository"),
    /** The build of a commit failed. */
    BUILD_FAILED(502, Failure.EXIT_FAILED, "The build failed"),
    /** The git remote cannot be reached, or refused to answer. */
    REMOTE_UNREACHABLE(502, Failure.EXIT_FAILED, "Repository unreachable"),
    /** The registry refused the credentials, or asked for some. */
    UNAUTHORISED(502, Failure.EXIT_FAILED, "Unauthorised"),
    /** The registry limits how often it is asked. */
    RATE_LIMITED(502, Failure.EXIT_FAILED, "Rate limited by the registry"),
    /** The registry cannot be reached, or fails. */
    REGISTRY_UNREACHABLE(502, Failure.EXIT_FAILED, "Registry unreachable"),
    /** The registry answered with something Redock cannot use. */
    REGISTRY_PROTOCOL(502, Failure.EXIT_FAILED, "The registry's answer cannot be used"),
    /** The Docker engine does not answer. */
    ENGINE_UNAVAILABLE(503, Failure.EXIT_FAILED, "Docker is not reachable"),
    /** The Docker engine refused or failed an operation. */
    ENGINE_REFUSED(502, Failure.EXIT_FAILED, "Docker refused"),
    /** Another Redock process already does this for the data folder. */
    BUSY(409, Failure.EXIT_FAILED, "Already running"),
    /** Redock's own data cannot be read or written. */
    STORAGE(500, Failure.EXIT_FAILED, "Redock's data cannot be read or written"),
    /** A bug. */
    INTERNAL(500, Failure.EXIT_FAILED, "Something went wrong");

    /** The CLI's exit code for input that was refused. */
    public static final int EXIT_INVALID = 2;
    /** The CLI's exit code for an operation that failed (engine, registry, git, deployment). */
    public static final int EXIT_FAILED = 1;

    private final int httpStatus;
    private final int exitCode;
    private final String title;

    Failure(int httpStatus, int exitCode, String title) {
        this.httpStatus = httpStatus;
        this.exitCode = exitCode;
        this.title = title;
    }

    /** The kind of failure {@code e} is. */
    public static Failure of(Throwable e) {
        if (e instanceof ServiceManager.UnknownServiceException) {
            return UNKNOWN_SERVICE;
        }
        if (e instanceof NameTakenException) {
            return NAME_TAKEN;
        }
        if (e instanceof ValidationException) {
            return INVALID;
        }
        if (e instanceof RegistryException r) {
            return registry(r);
        }
        if (e instanceof GitException g) {
            if (g.affectsRemote()) {
                return REMOTE_UNREACHABLE;
            }
            return String.valueOf(g.getMessage()).contains("does not exist") ? UNKNOWN_BRANCH : UNUSABLE_SOURCE;
        }
        if (e instanceof BuildFailedException) {
            return BUILD_FAILED;
        }
        if (e instanceof EngineUnavailableException) {
            return ENGINE_UNAVAILABLE;
        }
        if (e instanceof EngineException) {
            return ENGINE_REFUSED;
        }
        if (e instanceof SchedulerLock.AlreadyRunningException) {
            return BUSY;
        }
        if (e instanceof StoreException) {
            return STORAGE;
        }
        return INTERNAL;
    }

    private static Failure registry(RegistryException r) {
        if (r instanceof ManifestUnknownException) {
            return UNKNOWN_TAG;
        }
        if (r instanceof RegistryAuthException) {
            return UNAUTHORISED;
        }
        if (r instanceof RegistryRateLimitedException) {
            return RATE_LIMITED;
        }
        if (r instanceof RegistryUnavailableException) {
            return REGISTRY_UNREACHABLE;
        }
        return REGISTRY_PROTOCOL;
    }

    /** What to tell a user of {@code e}: its own message when Redock expects it, else what it is. */
    public static String message(Throwable e) {
        Failure f = of(e);
        String m = e.getMessage();
        return f == INTERNAL || m == null || m.isBlank() ? e.toString() : m;
    }

    /** The field an input error is about ({@code image}, {@code git.url}, ...), or null. */
    public static String field(Throwable e) {
        if (e instanceof ServiceManager.UnknownServiceException) {
            return null;
        }
        if (e instanceof ValidationException v) {
            return v.field();
        }
        if (e instanceof RegistryException) {
            return "image";
        }
        if (e instanceof GitException) {
            return "git";
        }
        return null;
    }

    /** The last lines of a failed build's output, to show in place of what streamed; empty for any other failure. */
    public static java.util.List<String> buildLogTail(Throwable e) {
        return e instanceof BuildFailedException b ? b.logTail() : java.util.List.of();
    }

    /** Whether the log should keep the stack trace: a bug, or Redock's own data failing. */
    public boolean worthStackTrace() {
        return this == INTERNAL || this == STORAGE;
    }

    /** Whether the input was refused (nothing was done), as opposed to an operation that failed. */
    public boolean isRefusedInput() {
        return exitCode == EXIT_INVALID;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public int exitCode() {
        return exitCode;
    }

    /** A short title for the window: what went wrong, in a few words. */
    public String title() {
        return title;
    }
}
