package dev.redock.model;


/**
 * What a request to redeploy came to.
 *
 * @param kind       whether it ran, was folded into one under way, or found nothing to do
 * @param deployment the recorded deployment when it ran (the last one, when follow-ups ran after it)
 * @param message    one line for the user
 */
public record DeployResult(Kind kind, Deployment deployment, String message) {

    public enum Kind {
        /** A deployment ran; see its outcome. */
        DEPLOYED,
        /** Another deployment of the service is under way; this request will run as its follow-up. */
        QUEUED,
        /** The service already runs that digest. */
        UNCHANGED,
        /**
         * A poll found a new version but could not fetch it (the registry or git remote failed on the way); nothing was
         * recorded, and the next poll tries again.
         */
        POSTPONED
    }
}
