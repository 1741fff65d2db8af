package dev.redock.deploy;

import dev.redock.model.CommitInfo;
import dev.redock.model.Deployment;
import dev.redock.model.Service;

/**
 * A version of a service on its way to a deployment, as history records it: by the digest its tag points at, or by the
 * commit its branch points at (with the author and message once fetched). Its id is the commit where there is one, else
 * the digest, as in a service and in its history.
 *
 * @param digest  the digest history records at the start, or null until a build makes the image
 * @param commit  the commit it is built from, or null
 * @param fetched whether its content is here already (a poll fetches it before it records anything)
 */
public record Candidate(String digest, CommitInfo commit, boolean fetched) {

    /** A version its source could not name: a deployment that could not even read it records this. */
    static final Candidate UNKNOWN = new Candidate(null, null, false);

    /** A version named by the digest its tag points at. */
    static Candidate ofDigest(String digest) {
        return new Candidate(digest, null, false);
    }

    /** A version named by a commit, not fetched yet. */
    static Candidate ofCommit(String sha) {
        return new Candidate(null, new CommitInfo(sha, null, null), false);
    }

    /** A commit fetched into Redock's cache, with its author and message. */
    static Candidate ofFetched(CommitInfo commit) {
        return new Candidate(null, commit, true);
    }

    /** The same version, its content here. */
    Candidate atHand() {
        return new Candidate(digest, commit, true);
    }

    /** Its id: the commit, else the digest. */
    String version() {
        return commit != null ? commit.sha() : digest;
    }

    /** Whether the service runs this version now. */
    boolean runBy(Service service) {
        return version().equals(service.commit() != null ? service.commit() : service.digest());
    }

    /** Whether the deployment was of this version. */
    boolean triedBy(Deployment d) {
        return version().equals(d.commit() != null ? d.commit().sha() : d.newDigest());
    }

    /** How the log names it: the full digest, or the short commit with its message once fetched. */
    String describe() {
        if (commit == null) {
            return digest;
        }
        return commit.message() == null ? commit.shortSha() : commit.shortSha() + " (" + commit.message() + ")";
    }

    /** How a short message names it: the short commit or the short digest. */
    String shortly() {
        return commit != null ? commit.shortSha() : Deployer.shortDigest(digest);
    }

    /** What polls wait for once this version did not come up. */
    String waitingFor() {
        return commit != null ? "waiting for a new commit" : "waiting for a new push";
    }
}
