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

    /**
     * How strongly a trigger asks for a deployment, for requests that fold into one follow-up: a poll redeploys only a
     * version the service does not run yet, an explicit request (API, trigger URL, announcement, webhook) redeploys
     * anyway, and a user's own request is the strongest of all.
     */
    public int strength() {
        return switch (this) {
            case REGISTRY_POLL, GIT_POLL -> 0;
            case MANUAL -> 2;
            default -> 1;
        };
    }

    /** Whether the scheduler asked, having seen a new version: a poll redeploys only a version not tried yet. */
    public boolean isPoll() {
        return this == REGISTRY_POLL || this == GIT_POLL;
    }

    /** The stronger of two triggers (the first when they are equal). */
    public static Trigger strongest(Trigger a, Trigger b) {
        if (a == null) {
            return b;
        }
        return b == null || a.strength() >= b.strength() ? a : b;
    }

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
