package dev.redock.deploy;

import dev.redock.engine.EngineException;
import dev.redock.git.GitException;
import dev.redock.registry.RegistryException;

/**
 * A release source could not name or prepare a version: its registry, its git remote or the engine failed, or the
 * version itself did (a build that fails on its own content). The message is what history says of it
 * ({@code pull failed: ...}); the cause is the failure as it was met, which a launch reports unchanged.
 */
public final class ReleaseException extends Exception {

    private final boolean passing;

    /**
     * @param message what history says of it
     * @param passing whether it passes by itself (a registry, remote or engine that failed for a moment) and so says
     *                nothing about the version
     */
    ReleaseException(String message, Exception cause, boolean passing) {
        super(message, cause);
        this.passing = passing;
    }

    boolean passing() {
        return passing;
    }

    /** The failure in its own words, without what the source was doing (for a poll, which records nothing). */
    String reason() {
        return getCause().getMessage();
    }

    /**
     * Throws the failure as the source met it (the engine's, the registry's or git's own), for a caller that reports it in
     * its own words; a failure of any other kind comes back unchecked, for the caller to throw.
     */
    IllegalStateException unwrapped() throws EngineException, RegistryException, GitException {
        Throwable cause = getCause();
        if (cause instanceof EngineException e) {
            throw e;
        }
        if (cause instanceof RegistryException e) {
            throw e;
        }
        if (cause instanceof GitException e) {
            throw e;
        }
        return new IllegalStateException(getMessage(), cause);
    }
}
