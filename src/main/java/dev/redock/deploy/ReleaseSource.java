package dev.redock.deploy;

import java.util.List;
import java.util.Optional;

import dev.redock.model.Service;

/**
 * Where a service's versions come from, and how one is made ready to run: an image tag in a registry
 * ({@link ImageReleases}), a git branch that the engine builds ({@link GitReleases}). A redeploy and a launch ask the
 * service's source the same questions, in this order, and do the rest (the records, the container swap, the journal)
 * the same way whatever the source:
 *
 * <ol>
 *   <li>{@link #latest}: which version is the newest;</li>
 *   <li>{@link #identify} (or, for a poll, {@link #fetch}): what that version is, as history records it;</li>
 *   <li>{@link #prepare}: the version made ready to run, as a {@link Release}.</li>
 * </ol>
 *
 * A new kind of source is one more class that answers these, given to the {@link Deployer} with the others.
 */
public interface ReleaseSource {

    /** Whether the service's versions come from this source. */
    boolean serves(Service service);

    /** The newest version of the service: the digest its tag points at, the commit at the head of its branch. */
    String latest(Service service, ReleaseProgress progress) throws ReleaseException;

    /** A version known by its id alone (one {@link #latest} gave, or one a poll just saw). */
    Candidate candidate(String version);

    /**
     * What history records of the version when its deployment starts: a commit's author and message, say, which need it
     * fetched. Most sources know all of it from the id.
     */
    default Candidate identify(Service service, Candidate candidate, ReleaseProgress progress) throws ReleaseException {
        return candidate;
    }

    /**
     * Brings the version's content here and identifies it: what a poll does before it records anything, so that a
     * registry or remote failing half way leaves no history behind (the next poll asks again).
     */
    Candidate fetch(Service service, Candidate candidate, ReleaseProgress progress) throws ReleaseException;

    /**
     * Why a poll leaves a fetched version alone although the service does not run it (it changes nothing the service
     * follows), or empty to deploy it.
     */
    default Optional<String> whyUnchanged(Service service, Candidate candidate) {
        return Optional.empty();
    }

    /** Makes the identified version ready to run: pulls its image, or builds it. */
    Release prepare(Service service, Candidate candidate, ReleaseProgress progress) throws ReleaseException;

    /** The one of the sources that serves the service. */
    static ReleaseSource of(List<ReleaseSource> sources, Service service) {
        return sources.stream().filter(s -> s.serves(service)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no release source serves " + service.name()));
    }
}
