package dev.redock.deploy;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.redock.engine.Engines;
import dev.redock.engine.EngineException;
import dev.redock.engine.ReadyResult;
import dev.redock.git.GitException;
import dev.redock.model.BuildProgress;
import dev.redock.model.PullProgress;
import dev.redock.model.Service;
import dev.redock.registry.RegistryException;
import dev.redock.store.Database;
import dev.redock.store.LaunchJournal;
import dev.redock.store.ServiceStore;

/**
 * Launches a new service the way a redeploy puts a version live: its {@link ReleaseSource} names the newest version and
 * makes it ready (pulls the tag's image by digest, or fetches the branch's head and builds it); the container is created
 * through the {@link ContainerSwap} with its id in the journal first, started, and has to prove itself. Only then is the
 * service written, with its launch in its history, in one transaction. On any failure the container is removed again
 * and nothing is written; a launch cut short by a process that stopped is undone by {@link #undoCutShort}.
 */
public final class Launcher {

    private static final Logger LOG = LoggerFactory.getLogger(Launcher.class);

    private final Database db;
    private final ServiceStore services;
    private final DeploymentJournal journal;
    private final Engines engines;
    private final List<ReleaseSource> sources;
    private final Swaps swaps;
    private final DeployPolicy policy;
    private final Clock clock;

    /** The container steps on an engine. */
    @FunctionalInterface
    interface Swaps {
        ContainerSwap on(String engine) throws EngineException;
    }

    Launcher(Database db, ServiceStore services, DeploymentJournal journal, Engines engines, List<ReleaseSource> sources,
             Swaps swaps, DeployPolicy policy, Clock clock) {
        this.db = db;
        this.services = services;
        this.journal = journal;
        this.engines = engines;
        this.sources = sources;
        this.swaps = swaps;
        this.policy = policy;
        this.clock = clock;
    }

    /**
     * Launches the service and waits until it runs.
     *
     * @param draft the service to be, without a version yet: its id, its free name, its source (an image or a git
     *              source), its spec and autoredeploy, and when it was asked for as its creation time
     * @param pull  hears an image's pull; may be null
     * @param build hears the fetch and the build, line by line; may be null
     * @return the service as written, running its release
     * @throws EngineException   as the engine said it (the container is removed again)
     * @throws RegistryException when the tag's digest cannot be read
     * @throws GitException      when the branch's head cannot be read or fetched
     */
    public Service launch(Service draft, PullProgress pull, BuildProgress build)
            throws EngineException, RegistryException, GitException {
        ReleaseProgress progress = ReleaseProgress.of(pull, build);
        Release release = prepare(draft, progress);
        Service service = release.runBy(draft, draft.created());
        String container;
        try {
            container = createJournalled(service, release);
        } catch (EngineException | RuntimeException e) {
            discardBuilt(service, release);
            throw e;
        }
        try {
            progress.build().line("Starting " + service.name());
            startAndRecord(service, container, release);
        } catch (EngineException | RuntimeException e) {
            removeQuietly(service, container);
            discardBuilt(service, release);
            journal.launchEnded(service.id());
            throw e;
        }
        LOG.info("Launched {} ({}) at {}", service.name(), service.source(), release.describe());
        return service;
    }

    /** The newest version of the draft's source, made ready to run; a failure is thrown as its source met it. */
    private Release prepare(Service draft, ReleaseProgress progress) throws EngineException, RegistryException, GitException {
        ReleaseSource source = ReleaseSource.of(sources, draft);
        try {
            Candidate newest = source.candidate(source.latest(draft, progress));
            return source.prepare(draft, source.identify(draft, newest, progress), progress);
        } catch (ReleaseException e) {
            throw e.unwrapped();
        }
    }

    /**
     * Creates the new service's container, with the launch written to the journal first: a launch cut short (a killed
     * process) is undone by the next {@link #undoCutShort}, which removes the container no service owns.
     */
    private String createJournalled(Service service, Release release) throws EngineException {
        journal.launchBegun(service);
        try {
            return swaps.on(service.engine()).create(service, service.name(), release.runAs(),
                    Deployer.redockLabels(service, release.digest(), release.commit()),
                    container -> journal.launchCreated(service.id(), container));
        } catch (EngineException | RuntimeException e) {
            journal.launchEnded(service.id());
            throw e;
        }
    }

    /**
     * Starts the container, waits until it has proved itself, and only then writes the service with its launch in its
     * history, in one transaction (which also ends the launch's journal entry).
     */
    private void startAndRecord(Service service, String container, Release release) throws EngineException {
        ContainerSwap swap = swaps.on(service.engine());
        engines.of(service.engine()).start(container);
        ReadyResult ready = swap.proveItself(service, container);
        if (!ready.ready()) {
            throw new EngineException("the container " + ready.reason());
        }
        Instant ended = clock.instant();
        db.inTransaction(c -> {
            services.insert(c, service);
            journal.launched(c, service, release, ended);
            return null;
        });
    }

    /**
     * Undoes launches whose process stopped half way: their container (created, maybe started) belongs to no service, so
     * it is removed with the anonymous volumes made for it. A launch of another host counts as stopped once it has taken
     * longer than any launch may.
     *
     * @return what was done, a line per launch, for the user
     */
    public List<String> undoCutShort() {
        List<String> done = new ArrayList<>();
        Instant stale = clock.instant().minus(policy.pullTimeout().plus(policy.buildTimeout()).plus(policy.readyTimeout()));
        for (LaunchJournal.Entry launch : journal.launches()) {
            if (Owner.isThisProcess(launch.owner()) || !Owner.isGone(launch.owner()) && launch.started().isAfter(stale)) {
                continue;
            }
            try {
                ContainerSwap swap = swaps.on(launch.engine());
                for (String idOrName : Stream.of(launch.container(), launch.name()).filter(Objects::nonNull).toList()) {
                    swap.removeIfOurs(idOrName, launch.serviceId());
                }
                journal.launchEnded(launch.serviceId());
                LOG.warn("Undid the launch of {} cut short by a stopped process", launch.name());
                done.add(launch.name() + ": a launch cut short by a stopped process was undone (its container removed)");
            } catch (EngineException e) {
                LOG.warn("Cannot undo the launch of {} yet: {}", launch.name(), e.getMessage());
            }
        }
        return done;
    }

    /** An image built for a launch that failed is not kept (unless something else uses it). */
    private void discardBuilt(Service service, Release release) {
        if (release.built()) {
            ContainerSwap.quietly(() -> engines.of(service.engine()).removeImage(release.image().nameWithTag()));
        }
    }

    private void removeQuietly(Service service, String container) {
        try {
            engines.of(service.engine()).removeWithOwnVolumes(container);
        } catch (EngineException | RuntimeException e) {
            LOG.warn("Cannot remove the container {} of a failed launch: {}", container, e.getMessage());
        }
    }
}
