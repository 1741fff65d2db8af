package dev.redock.deploy;

/**
 * Whether a deployment put its version to the test, so that how it ended says something about the version. A version
 * that was tried and did not come up is not tried again by polling (the next push or commit is, or a user); one that never
 * got that far (its pull or fetch failed, the engine went away, Redock stopped) is tried again, with backoff.
 */
enum Trial {
    /** The version was built or ran, and its outcome judges it. */
    TRIED,
    /** The version was not put to the test: what went wrong on the way says nothing about it. */
    NOT_TRIED;

    /** Tried when the failure was the version's own fault. */
    static Trial of(boolean versionsFault) {
        return versionsFault ? TRIED : NOT_TRIED;
    }

    boolean tried() {
        return this == TRIED;
    }
}
