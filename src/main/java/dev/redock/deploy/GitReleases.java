package dev.redock.deploy;

import java.util.Optional;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.redock.engine.BuildFailedException;
import dev.redock.engine.EngineException;
import dev.redock.git.GitException;
import dev.redock.git.GitRemotes;
import dev.redock.git.SourceBuilder;
import dev.redock.model.GitSource;
import dev.redock.model.Service;

/**
 * Versions of a service built from source: the commit at the head of its branch, read from the remote without cloning,
 * fetched into Redock's cache and built by the engine into {@code redock/<service>:<short sha>}.
 */
public final class GitReleases implements ReleaseSource {

    private static final Logger LOG = LoggerFactory.getLogger(GitReleases.class);

    private final GitRemotes remotes;
    private final SourceBuilder builder;
    private final DeployPolicy policy;

    /**
     * @param remotes reads the heads of branches
     * @param builder fetches and builds their commits
     */
    public GitReleases(GitRemotes remotes, SourceBuilder builder, DeployPolicy policy) {
        this.remotes = remotes;
        this.builder = builder;
        this.policy = policy;
    }

    @Override
    public boolean serves(Service service) {
        return service.git() != null;
    }

    @Override
    public String latest(Service service, ReleaseProgress progress) throws ReleaseException {
        GitSource source = service.git();
        progress.build().line("Reading the head of " + source.branch() + " at " + source.urlWithoutCredentials());
        try {
            return remotes.head(source.url(), source.branch());
        } catch (GitException e) {
            throw new ReleaseException("cannot read the branch's head: " + e.getMessage(), e, e.affectsRemote());
        }
    }

    @Override
    public Candidate candidate(String sha) {
        return Candidate.ofCommit(sha);
    }

    /** The commit's author and message: it is fetched for them, so what is built later is here already. */
    @Override
    public Candidate identify(Service service, Candidate candidate, ReleaseProgress progress) throws ReleaseException {
        return fetch(service, candidate, progress);
    }

    @Override
    public Candidate fetch(Service service, Candidate candidate, ReleaseProgress progress) throws ReleaseException {
        try {
            return Candidate.ofFetched(builder.fetch(service.git(), candidate.version(), progress.build()));
        } catch (GitException e) {
            throw new ReleaseException("fetch failed: " + e.getMessage(), e, e.affectsRemote());
        }
    }

    /** A commit that changes no path the source's filters name leaves a service with path filters alone. */
    @Override
    public Optional<String> whyUnchanged(Service service, Candidate candidate) {
        GitSource source = service.git();
        if (source.paths().isEmpty() || service.commit() == null) {
            return Optional.empty();
        }
        String shortHead = candidate.shortly();
        Optional<Set<String>> changed;
        try {
            changed = builder.changedPaths(source, service.commit(), candidate.version());
        } catch (GitException e) {
            LOG.warn("Cannot tell which paths {} changes; taking it as changing all: {}", shortHead, e.getMessage());
            return Optional.empty();
        }
        if (changed.isEmpty() || source.touches(changed.get())) {
            return Optional.empty();
        }
        LOG.info("{}: {} changes nothing under the path filters {}", service.name(), shortHead, source.paths());
        return Optional.of(shortHead + " changes nothing under the path filters " + String.join(", ", source.paths()));
    }

    /**
     * Builds the fetched commit. A build that fails on its own content is the commit's fault; one the engine or the network
     * failed is not.
     */
    @Override
    public Release prepare(Service service, Candidate candidate, ReleaseProgress progress) throws ReleaseException {
        try {
            SourceBuilder.Built built = builder.build(service.engine(), service.name(), service.id(), service.git(), candidate.commit(),
                    policy.buildTimeout(), progress.build());
            return new Release(built.image(), built.imageId(), candidate.commit());
        } catch (GitException | EngineException e) {
            boolean passing = e instanceof GitException g ? g.affectsRemote() : Failures.passing(e);
            throw new ReleaseException(buildError(e), e, passing);
        }
    }

    /** What history says of a build that made no image: the reason, then the build output's last lines. */
    static String buildError(Exception e) {
        StringBuilder error = new StringBuilder("build failed: ").append(e.getMessage());
        if (e instanceof BuildFailedException failed && !failed.logTail().isEmpty()) {
            error.append("\n--- last lines of the build output ---\n").append(String.join("\n", failed.logTail()));
        }
        return error.toString();
    }
}
