package dev.redock.git;

/** A git remote could not be read, or a commit could not be fetched or exported; the message is fit to show a user. */
public class GitException extends Exception {

    private final boolean affectsRemote;

    public GitException(String message, boolean affectsRemote, Throwable cause) {
        super(message, cause);
        this.affectsRemote = affectsRemote;
    }

    /**
     * Whether the remote itself failed (unreachable, refused, timed out, authentication), so that asking it again soon
     * is pointless; false for a failure that is the source's own (a missing branch, a missing Dockerfile).
     */
    public boolean affectsRemote() {
        return affectsRemote;
    }
}
