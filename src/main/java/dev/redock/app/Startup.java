package dev.redock.app;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.redock.api.ApiServer;
import dev.redock.schedule.SchedulerLock;
import dev.redock.service.Core;

/**
 * How a long-running Redock process (the window, the agent, and the tests that stand in for them) starts on an open
 * core, always in this order:
 * <ol>
 *   <li>it takes the data folder's scheduler lock: one process polls a data folder;</li>
 *   <li>it finishes or undoes what a stopped process left unfinished (deployments, launches, removals);</li>
 *   <li>it starts polling;</li>
 *   <li>it serves the HTTP API, unless told not to, and with it the commands of other processes' CLI (see
 *   {@link ServingFile});</li>
 *   <li>it follows the changes other processes make (the window, which shows them).</li>
 * </ol>
 * The first step is quick and asks nothing of the engine or the network ({@link #begin}); the window shows its list after
 * it and does the rest in the background ({@link #finish}). A window that finds another process holding the lock goes on
 * without polling and without the API (that process serves them); an agent refuses to start. Closing it closes the core
 * (deployments under way reach their end first), then gives the lock back; a start that has not finished by then starts
 * nothing more.
 */
public final class Startup implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Startup.class);

    /**
     * What to start.
     *
     * @param requirePolling        fail when another process already polls the data folder (the agent), rather than go on
     *                              without polling (the window)
     * @param interval              the poll interval, or null to follow the stored setting
     * @param serveApi              whether to serve the HTTP API
     * @param apiPort               the API's port instead of the stored one (0 for any free port), or null
     * @param watchOtherProcesses   whether to tell this process's subscribers of changes other processes make
     * @param commands              what runs the CLI commands other processes hand over through the API, or null to
     *                              run none (each CLI then opens the core itself)
     */
    public record Options(boolean requirePolling, Duration interval, boolean serveApi, Integer apiPort,
                          boolean watchOtherProcesses, CommandHost commands) {

        /** The window: polls and serves the API unless another process does, and shows what other processes change. */
        public static Options window() {
            return new Options(false, null, true, null, true, null);
        }

        /** The agent: polls (or refuses to start), and serves the API unless told not to. */
        public static Options agent(Duration interval, boolean serveApi, Integer apiPort) {
            return new Options(true, interval, serveApi, apiPort, false, null);
        }

        /** This with another poll interval. */
        public Options withInterval(Duration every) {
            return new Options(requirePolling, every, serveApi, apiPort, watchOtherProcesses, commands);
        }

        /** This without the API. */
        public Options withoutApi() {
            return new Options(requirePolling, interval, false, null, watchOtherProcesses, commands);
        }

        /** This, running the CLI commands other processes on the data folder hand over (when it serves the API). */
        public Options withCommands(CommandHost host) {
            return new Options(requirePolling, interval, serveApi, apiPort, watchOtherProcesses, host);
        }
    }

    private final Redock redock;
    private final SchedulerLock lock;
    private final Options options;
    private volatile String apiProblem;
    private ServingFile serving;
    private boolean closed;

    private Startup(Redock redock, SchedulerLock lock, Options options) {
        this.redock = redock;
        this.lock = lock;
        this.options = options;
    }

    /**
     * Starts what the options ask for on an open core, in the order above. Blocks on the database, the engine and the
     * network: not on the FX thread.
     *
     * @throws SchedulerLock.AlreadyRunningException with {@link Options#requirePolling}, when another process polls
     */
    public static Startup start(Redock redock, Options options) throws IOException {
        Startup started = begin(redock, options);
        started.finish();
        return started;
    }

    /**
     * The first step: takes the scheduler lock, and makes the scheduler (not started yet) when this process is to poll, so
     * that the window can say so at once. Reads only the data folder: no engine, no registry.
     *
     * @throws SchedulerLock.AlreadyRunningException with {@link Options#requirePolling}, when another process polls
     */
    public static Startup begin(Redock redock, Options options) throws IOException {
        SchedulerLock lock = null;
        try {
            lock = SchedulerLock.acquire(redock.dataFolder());
        } catch (SchedulerLock.AlreadyRunningException e) {
            if (options.requirePolling()) {
                throw e;
            }
            LOG.info("Not scheduling here: {}", e.getMessage());
        }
        if (lock != null) {
            redock.scheduler(options.interval());
        }
        return new Startup(redock, lock, options);
    }

    /**
     * The other steps, after {@link #begin}: reconciles, then starts polling, the API and the watcher as the options say.
     * Blocks on the database and the engine: not on the FX thread. Once this is closed, it starts nothing more.
     */
    public void finish() {
        List<String> reconciled = redock.services().reconcile();
        if (!reconciled.isEmpty()) {
            LOG.info("Reconciled at start: {}", reconciled);
        }
        synchronized (this) {
            if (closed) {
                return;
            }
            if (lock != null) {
                redock.scheduler(options.interval()).start();
                LOG.info("Scheduler started on {}", redock.dataFolder());
                if (options.serveApi()) {
                    try {
                        ApiServer api = redock.startApi(options.apiPort());
                        serving = serveCommands(redock, api, options.commands());
                    } catch (IOException e) {
                        apiProblem = e.getMessage();
                        LOG.warn("The HTTP API could not start: {}", e.getMessage());
                    }
                }
            }
            if (options.watchOtherProcesses()) {
                // Changes made by the CLI, the agent or the API in other processes show up within a second.
                redock.watchOtherProcesses();
            }
        }
    }

    /**
     * Runs the commands the CLI of other processes hands over, and says so in the data folder ({@link ServingFile}), so
     * that the CLI asks this process rather than open the core itself; null when there is no command host.
     */
    private static ServingFile serveCommands(Redock redock, ApiServer api, CommandHost commands) {
        if (commands == null) {
            return null;
        }
        api.serveCommands(commands.endpoint(redock));
        try {
            return ServingFile.write(redock.dataFolder(), api.baseUrl());
        } catch (IOException e) {
            LOG.warn("Cannot write {} in {}: the CLI opens the data folder itself: {}", ServingFile.NAME,
                    redock.dataFolder(), e.getMessage());
            return null;
        }
    }

    /** Opens the core on a data folder as the environment sets it, and starts on it; a failed start closes it again. */
    public static Startup open(Path dataFolder, Map<String, String> env, Options options) throws IOException {
        Redock redock = Redock.openResident(dataFolder, env);
        try {
            return start(redock, options);
        } catch (IOException | RuntimeException e) {
            redock.close();
            throw e;
        }
    }

    /** The service layer, for the window or the agent. */
    public Core core() {
        return redock.core();
    }

    /** The core itself, for what only the wiring sees (tests among them). */
    public Redock redock() {
        return redock;
    }

    /** Whether this process polls the data folder (it holds the scheduler lock). */
    public boolean polls() {
        return lock != null;
    }

    /** Why the API could not start, if it was asked for and did not. */
    public Optional<String> apiProblem() {
        return Optional.ofNullable(apiProblem);
    }

    /**
     * Closes the core (deployments under way reach their end within the deploy policy's stop grace; see
     * {@link Redock#close()}), then gives the scheduler lock back.
     */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            if (serving != null) {
                // From now on the CLI opens the data folder itself.
                try {
                    serving.remove();
                } catch (IOException e) {
                    LOG.warn("Cannot remove {}: {}", ServingFile.NAME, e.getMessage());
                }
            }
        }
        redock.close();
        if (lock != null) {
            try {
                lock.close();
            } catch (IOException e) {
                LOG.warn("Cannot give the scheduler lock back: {}", e.getMessage());
            }
        }
    }
}
