package dev.redock.deploy;

import dev.redock.engine.DockerEngine;
import dev.redock.engine.Engines;
import dev.redock.engine.EngineException;
import dev.redock.engine.RegistryAuth;
import dev.redock.model.ImageRef;
import dev.redock.model.PullProgress;
import dev.redock.model.Service;
import dev.redock.registry.CredentialStore;
import dev.redock.registry.Credentials;
import dev.redock.registry.RegistryClient;
import dev.redock.registry.RegistryException;

/**
 * Versions of a service that follows an image tag: the digest the registry says the tag points at, pulled by that digest
 * so that what runs is exactly what was checked.
 */
public final class ImageReleases implements ReleaseSource {

    private final Engines engines;
    private final RegistryClient registry;
    private final CredentialStore credentials;
    private final DeployPolicy policy;

    /** @param credentials the user's registry credentials, for pulls from private registries */
    public ImageReleases(Engines engines, RegistryClient registry, CredentialStore credentials, DeployPolicy policy) {
        this.engines = engines;
        this.registry = registry;
        this.credentials = credentials;
        this.policy = policy;
    }

    @Override
    public boolean serves(Service service) {
        return service.git() == null;
    }

    /** The reference's own digest when it names one; else the tag's, as the registry says it. */
    @Override
    public String latest(Service service, ReleaseProgress progress) throws ReleaseException {
        if (service.image().digest() != null) {
            return service.image().digest();
        }
        try {
            return registry.digest(service.image()).digest();
        } catch (RegistryException e) {
            throw new ReleaseException("cannot read the tag's digest: " + e.getMessage(), e, e.affectsRegistry());
        }
    }

    @Override
    public Candidate candidate(String digest) {
        return Candidate.ofDigest(digest);
    }

    @Override
    public Candidate fetch(Service service, Candidate candidate, ReleaseProgress progress) throws ReleaseException {
        if (localImage(service, candidate.digest()) == null) {
            pull(service, candidate.digest(), progress.pull());
        }
        return candidate.atHand();
    }

    /**
     * The image, by digest (unless a poll pulled it already): exactly what the registry said the tag is. A service that
     * follows an image by its id on the engine (adopted from a container started by image id) runs that image again: no
     * registry knows it.
     */
    @Override
    public Release prepare(Service service, Candidate candidate, ReleaseProgress progress) throws ReleaseException {
        String local = localImage(service, candidate.digest());
        if (local != null) {
            return new Release(service.image(), candidate.digest(), null, local);
        }
        if (!candidate.fetched()) {
            pull(service, candidate.digest(), progress.pull());
        }
        return new Release(service.image(), candidate.digest(), null);
    }

    /**
     * The image id the service is pinned to, when its pinned "digest" is the id of an image on its engine rather than a
     * registry's manifest digest; else null.
     */
    private String localImage(Service service, String digest) throws ReleaseException {
        if (service.image().digest() == null || !service.image().digest().equals(digest)) {
            return null;
        }
        try {
            return engines.of(service.engine()).hasImageId(digest) ? digest : null;
        } catch (EngineException e) {
            throw new ReleaseException("cannot look up image " + digest + ": " + e.getMessage(), e, true);
        }
    }

    /**
     * Pulls the image at exactly this digest onto the service's engine, with the user's credentials for its registry, and
     * tags it there with the reference's tag. A pull that fails says nothing about the version: it never arrived.
     */
    private void pull(Service service, String digest, PullProgress progress) throws ReleaseException {
        ImageRef ref = service.image();
        String image = ref.withDigest(digest);
        RegistryAuth auth = credentials.lookup(ref.registry())
                .filter(Credentials::hasPassword)
                .map(c -> new RegistryAuth(ref.registry(), c.username(), c.password()))
                .orElse(null);
        try {
            DockerEngine engine = engines.of(service.engine());
            engine.pull(image, auth, policy.pullTimeout(), progress);
            engine.tag(image, ref);
        } catch (EngineException e) {
            throw new ReleaseException("pull failed: " + e.getMessage(), e, true);
        }
    }
}
