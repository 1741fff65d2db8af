package dev.redock.engine;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.redock.model.Durations;
import dev.redock.model.EngineEntry;
import dev.redock.model.EngineStatus;

/**
 * The user's engines, each connected on first use and kept: what the deploy path, the service layer and the scheduler ask
 * for a service's engine. Each engine's state (connected, with its version, or unreachable, with the reason) is what it
 * answered when last asked ({@link #probe}).
 *
 * <p>The list itself is the store's: an engine another process added is found the first time it is asked for.
 * Thread-safe.
 */
public final class Engines implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Engines.class);

    /** Works out where an engine in the list is, and how to reach it. */
    @FunctionalInterface
    public interface Locator {
        /** Fails (as unavailable) when the engine cannot be located, e.g. a docker context that no longer exists. */
        Located locate(EngineEntry entry) throws EngineException;

        /** The engines this machine offers (docker contexts, local sockets) that the list lacks, in words for the user. */
        default List<String> offered(List<EngineEntry> listed) {
            return List.of();
        }
    }

    /**
     * Where an engine was found.
     *
     * @param settings how to reach it
     * @param source   why there ({@code DOCKER_HOST}, {@code docker context "remote"}, {@code the default socket}, ...)
     * @param unchosen why there is no engine to reach (the docker CLI's choice cannot be used), or null
     */
    public record Located(EngineSettings settings, String source, EngineException unchosen) {
    }

    private record Connection(EngineEntry entry, Located located, DockerEngine engine) {
    }

    /**
     * How long asking the engines waits for each one (its state, and the list of services' containers) before it counts
     * as unreachable: an engine that takes the connection and never answers (a hung daemon, a remote host behind a dead
     * tunnel) would otherwise hold its askers up for its connection's response timeout, a minute.
     * {@code REDOCK_ENGINE_ANSWER_TIMEOUT} sets another.
     */
    public static final Duration ANSWER_DEADLINE = Duration.ofSeconds(10);

    private final Supplier<List<EngineEntry>> list;
    private final Locator locator;
    private final Clock clock;
    private final Duration answerDeadline;
    /** Each engine's question about its state, once asked: while unanswered, every caller waits on that one. */
    private final Map<String, CompletableFuture<EngineStatus>> probing = new ConcurrentHashMap<>();
    private final Map<String, Connection> connections = new ConcurrentHashMap<>();
    private final Map<String, EngineStatus> statuses = new ConcurrentHashMap<>();
    /** Asks engines side by side: one thread per engine being asked, none kept when idle. */
    private final ExecutorService askers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "redock-engine-" + ASKERS.incrementAndGet());
        t.setDaemon(true);
        return t;
    });
    private static final AtomicInteger ASKERS = new AtomicInteger();
    private volatile List<EngineEntry> entries;
    private volatile boolean closed;

    /** A question to an engine. */
    @FunctionalInterface
    public interface Question<T> {
        T ask(DockerEngine engine) throws EngineException;
    }

    /**
     * @param list    reads the user's list of engines (the store's)
     * @param locator finds each of them
     */
    public Engines(Supplier<List<EngineEntry>> list, Locator locator, Clock clock) {
        this(list, locator, clock, ANSWER_DEADLINE);
    }

    /** @param answerDeadline how long asking an engine for its state waits for it ({@link #ANSWER_DEADLINE}) */
    public Engines(Supplier<List<EngineEntry>> list, Locator locator, Clock clock, Duration answerDeadline) {
        this.list = list;
        this.locator = locator;
        this.clock = clock;
        this.answerDeadline = answerDeadline;
    }

    /** Just this engine, as the default one (for the few places that are given one engine, such as tests). */
    public static Engines single(DockerEngine engine) {
        EngineEntry entry = EngineEntry.current();
        Engines engines = new Engines(() -> List.of(entry), e -> {
            throw new EngineUnavailableException("there is no engine named \"" + e.name() + "\"", null);
        }, Clock.systemUTC());
        engines.connections.put(entry.name(), new Connection(entry, new Located(null, "given", null), engine));
        return engines;
    }

    /** The user's engines, as last read. */
    public List<EngineEntry> entries() {
        List<EngineEntry> known = entries;
        return known != null ? known : reread();
    }

    /** Reads the list again (after an engine was added or removed, here or by another process). */
    public List<EngineEntry> reread() {
        List<EngineEntry> fresh = List.copyOf(list.get());
        entries = fresh;
        for (String gone : new ArrayList<>(connections.keySet())) {
            if (fresh.stream().noneMatch(e -> e.name().equals(gone))) {
                forget(gone);
            }
        }
        return fresh;
    }

    /** The entry of this name, reading the list again if this process does not know it yet. */
    public Optional<EngineEntry> entry(String name) {
        Optional<EngineEntry> found = entries().stream().filter(e -> e.name().equals(name)).findFirst();
        return found.isPresent() ? found : reread().stream().filter(e -> e.name().equals(name)).findFirst();
    }

    /**
     * The engine of this name, connected on first use (connecting sends nothing: an unreachable engine fails at its first
     * call). Fails as unavailable when the name is not in the list or the engine cannot be located.
     */
    public DockerEngine of(String name) throws EngineException {
        return connection(name).engine();
    }

    private Connection connection(String name) throws EngineException {
        Connection known = connections.get(name);
        if (known != null) {
            return known;
        }
        if (closed) {
            throw new EngineUnavailableException("Redock is stopping: engine \"" + name + "\" is closed", null);
        }
        EngineEntry entry = entry(name).orElseThrow(() ->
                new EngineUnavailableException("there is no engine named \"" + name + "\"", null));
        synchronized (this) {
            known = connections.get(name);
            if (known != null) {
                return known;
            }
            Located located = locator.locate(entry);
            DockerEngine engine = located.unchosen() != null ? DockerEngine.unchosen(located.settings(), located.unchosen())
                    : DockerEngine.connect(located.settings());
            Connection made = new Connection(entry, located, engine);
            connections.put(name, made);
            LOG.debug("Engine {} is at {} ({})", name, located.settings().host(), located.source());
            return made;
        }
    }

    /**
     * Checks that an engine not in the list yet can be located (its context exists, its address is well formed, its TLS
     * material is there), without asking it anything. Fails with a message for the user when it cannot.
     */
    public Located locate(EngineEntry entry) throws EngineException {
        return locator.locate(entry);
    }

    /** What could be added to the list and is not in it yet, in words for the user. */
    public List<String> offered() {
        return locator.offered(entries());
    }

    /**
     * Asks the engine whether it answers, and what it is, waiting at most the deadline; remembers the answer as its
     * state (see {@link #probe(Collection)}).
     */
    public EngineStatus probe(String name) {
        return probe(List.of(name)).get(0);
    }

    /** Asks the engine whether it answers, and what it is, as long as its connection allows; remembers the answer. */
    private EngineStatus probeNow(String name) {
        EngineEntry entry = entryOrUnlisted(name);
        EngineStatus status;
        String address = null;
        String source = null;
        try {
            Connection c = connection(name);
            address = c.engine().describeHost();
            source = c.located().source();
            c.engine().ping();
            String version = c.engine().version().toString();
            status = new EngineStatus(c.entry(), address, source, true, version, null, c.engine().limitations(),
                    clock.instant());
        } catch (EngineException e) {
            status = new EngineStatus(entry, address, source, false, null, e.getMessage(), List.of(), clock.instant());
        }
        return remember(name, status);
    }

    private EngineStatus remember(String name, EngineStatus status) {
        EngineStatus before = statuses.put(name, status);
        if (before != null && before.reachable() != status.reachable()) {
            if (status.reachable()) {
                LOG.info("Engine {} answers again: {}", name, status.version());
            } else {
                LOG.warn("Engine {} is unreachable: {}", name, status.problem());
            }
        }
        return status;
    }

    /**
     * Asks these engines side by side whether they answer, and what they are, and waits for each at most the deadline:
     * one that has not answered by then is unreachable, and says so. An engine still asked by an earlier call is not
     * asked again meanwhile (its answer, when it comes, is remembered as its state).
     */
    public List<EngineStatus> probe(Collection<String> names) {
        Map<String, CompletableFuture<EngineStatus>> asked = new java.util.LinkedHashMap<>();
        for (String name : new LinkedHashSet<>(names)) {
            asked.put(name, probing.compute(name, (n, known) -> known != null && !known.isDone() ? known
                    : CompletableFuture.supplyAsync(() -> probeNow(n), askers)));
        }
        long end = System.nanoTime() + answerDeadline.toNanos();
        List<EngineStatus> answers = new ArrayList<>();
        asked.forEach((name, answer) -> {
            try {
                answers.add(answer.get(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS));
            } catch (TimeoutException e) {
                answers.add(silent(name, didNotAnswer(name, answerDeadline)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                answers.add(silent(name, notWaitedFor(name, e)));
            } catch (ExecutionException e) {
                throw new IllegalStateException("asking engine \"" + name + "\" failed", e.getCause());
            }
        });
        return answers;
    }

    /** The engine has not answered (yet): unreachable, as its state until it does. */
    private EngineStatus silent(String name, EngineException why) {
        EngineEntry entry = entryOrUnlisted(name);
        Connection c = connections.get(name);
        return remember(name, new EngineStatus(entry, c == null ? null : c.engine().describeHost(),
                c == null ? null : c.located().source(), false, null, why.getMessage(), List.of(), clock.instant()));
    }

    /** The list's entry of this name, or an address-less one for a name the list does not have (any more). */
    private EngineEntry entryOrUnlisted(String name) {
        return entry(name).orElse(new EngineEntry(name, EngineEntry.Kind.ADDRESS, null, null));
    }

    /** That waiting for the engine's answer was cut short (the thread interrupted), where it is. */
    public EngineUnavailableException notWaitedFor(String name, InterruptedException why) {
        return new EngineUnavailableException("stopped waiting for the engine at " + whereIs(name), why);
    }

    /** That the engine did not answer within {@code deadline}, where it is, in words for the user. */
    public EngineUnavailableException didNotAnswer(String name, Duration deadline) {
        return new EngineUnavailableException("the engine at " + whereIs(name) + " did not answer within "
                + Durations.spoken(deadline), null);
    }

    /**
     * Asks each of these engines the same question, side by side: each answer, or the engine's failure (an
     * {@link EngineException} as the cause of the future's {@link java.util.concurrent.CompletionException}).
     */
    public <T> Map<String, CompletableFuture<T>> askEach(Collection<String> names, Question<T> question) {
        Map<String, CompletableFuture<T>> answers = new java.util.LinkedHashMap<>();
        for (String name : new LinkedHashSet<>(names)) {
            answers.put(name, CompletableFuture.supplyAsync(() -> {
                try {
                    return question.ask(of(name));
                } catch (EngineException e) {
                    throw new CompletionException(e);
                }
            }, askers));
        }
        return answers;
    }

    /**
     * Where the engine is, for a sentence: its address once it was connected, else as the list has it (an address, a
     * docker context's name). Asks it nothing and never waits.
     */
    public String whereIs(String name) {
        Connection known = connections.get(name);
        if (known != null) {
            return known.engine().describeHost();
        }
        return entries().stream().filter(e -> e.name().equals(name) && e.target() != null).findFirst()
                .map(EngineEntry::target).orElse("the docker CLI's choice");
    }

    /** Every engine in the list, each asked now. */
    public List<EngineStatus> probeAll() {
        return probe(reread().stream().map(EngineEntry::name).toList());
    }

    /** What the engine answered when last asked, if it was. */
    public Optional<EngineStatus> lastKnown(String name) {
        return Optional.ofNullable(statuses.get(name));
    }

    /** Closes this engine's connection (it was removed from the list, or its address changed). */
    public void forget(String name) {
        Connection c = connections.remove(name);
        statuses.remove(name);
        if (c != null) {
            c.engine().close();
        }
    }

    @Override
    public void close() {
        closed = true;
        askers.shutdown();
        for (String name : new ArrayList<>(connections.keySet())) {
            forget(name);
        }
    }
}
