package dev.redock.model;

/** What started a deployment. */
public enum Trigger {
    /** The service's first deployment. */
    LAUNCH,
    /** A user asked for it (CLI, window). */
    MANUAL,
    /** The scheduler saw the tag move to a new digest. */
    REGISTRY_POLL,
    /** A call to the local HTTP API. */
    API,
    /** A secret redeploy trigger URL was called (by a registry's webhook, a CI job, a script). */
    TRIGGER_URL,
    /** A CI job announced a new image tag ({@code POST /api/v1/image-push}). */
    IMAGE_PUSH,
    /** A verified push webhook (GitHub, GitLab). */
    WEBHOOK,
    /** The scheduler saw a new commit on the followed branch (services built from source). */
    GIT_POLL;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
