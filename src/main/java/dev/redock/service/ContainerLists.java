package dev.redock.service;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.redock.engine.Engines;
import dev.redock.model.ContainerInfo;
import dev.redock.model.Labels;
import dev.redock.model.Service;

/**
 * Each engine's containers, as the list of services shows them: the engines asked side by side, each waited for until a
 * deadline. An engine that accepts connections and never answers (a hung daemon, a remote host over a dead tunnel) would
 * otherwise hold its services at "checking" for as long as its connection's response timeout (a minute); past the
 * deadline it counts as unreachable, and the other engines are not held up by it.
 *
 * <p>An engine is asked again only once it has answered: a list wanted while a question to it is still unanswered waits
 * on that question instead of stacking another request on a connection that does not answer (the window asks at every
 * change). An answer that comes after its askers stopped waiting is kept for the next list, for as long as the deadline,
 * and said with {@code lateAnswer} so that the window asks for that list. Thread-safe.
 */
final class ContainerLists {

    private static final Logger LOG = LoggerFactory.getLogger(ContainerLists.class);

    /**
     * A question to one engine.
     *
     * @param adopted    the containers asked about by id beside those carrying Redock's label
     * @param answeredAt when the answer came ({@link System#nanoTime()})
     */
    private record Asked(Set<String> adopted, CompletableFuture<List<ContainerInfo>> answer,
                         CompletableFuture<Long> answeredAt) {
    }

    private final Engines engines;
    private final Duration deadline;
    private final Runnable lateAnswer;
    /** The question to each engine that is unanswered, or answered after its askers stopped waiting. */
    private final Map<String, Asked> asked = new ConcurrentHashMap<>();

    /**
     * @param deadline   how long a list waits for each engine
     * @param lateAnswer told when an answer comes after its askers stopped waiting
     */
    ContainerLists(Engines engines, Duration deadline, Runnable lateAnswer) {
        this.engines = engines;
        this.deadline = deadline;
        this.lateAnswer = lateAnswer;
    }

    /**
     * The containers of these services, engine by engine, waiting at most the deadline: on each engine, those carrying
     * Redock's label and those the services were adopted from (see {@link dev.redock.engine.DockerEngine#statuses}).
     *
     * @param byEngine the services on each engine
     * @return for each engine a future that is done: its containers, or its failure (an engine exception as the cause of
     *         the {@link java.util.concurrent.CompletionException}), which says so when it did not answer in time
     */
    Map<String, CompletableFuture<List<ContainerInfo>>> of(Map<String, List<Service>> byEngine) {
        Map<String, Asked> questions = new LinkedHashMap<>();
        byEngine.forEach((name, here) -> questions.put(name, question(name, here)));
        long end = System.nanoTime() + deadline.toNanos();
        Map<String, CompletableFuture<List<ContainerInfo>>> answers = new LinkedHashMap<>();
        questions.forEach((name, question) -> answers.put(name, awaited(name, question, end)));
        return answers;
    }

    /**
     * The question to this engine: the one still unanswered, or one answered late and recently enough that covers these
     * services, else a new one.
     */
    private Asked question(String engine, List<Service> here) {
        Set<String> adopted = here.stream().map(Service::adopted).filter(Objects::nonNull).collect(Collectors.toSet());
        return asked.compute(engine, (name, known) -> {
            if (known != null && (!known.answer().isDone() || answeredLately(known) && known.adopted().containsAll(adopted))) {
                return known;
            }
            return ask(name, adopted);
        });
    }

    private boolean answeredLately(Asked question) {
        long now = System.nanoTime();
        return now - question.answeredAt().getNow(now) <= deadline.toNanos();
    }

    private Asked ask(String engine, Set<String> adopted) {
        long askedAt = System.nanoTime();
        CompletableFuture<List<ContainerInfo>> answer = engines.askEach(List.of(engine),
                e -> e.statuses(Labels.SERVICE, adopted)).get(engine);
        CompletableFuture<Long> answeredAt = answer.handle((containers, failure) -> {
            long now = System.nanoTime();
            if (now - askedAt > deadline.toNanos()) {
                LOG.info("Engine {} {} after {} ms, past the list's deadline", engine,
                        failure == null ? "answered" : "failed", TimeUnit.NANOSECONDS.toMillis(now - askedAt));
                lateAnswer.run();
            }
            return now;
        });
        return new Asked(Set.copyOf(adopted), answer, answeredAt);
    }

    /** The question's answer once it came, or that the engine did not answer by {@code end}. */
    private CompletableFuture<List<ContainerInfo>> awaited(String engine, Asked question, long end) {
        try {
            question.answer().get(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            return CompletableFuture.failedFuture(engines.didNotAnswer(engine, deadline));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CompletableFuture.failedFuture(engines.notWaitedFor(engine, e));
        } catch (ExecutionException e) {
            // the engine's failure, in the answer itself
        }
        // Used: the next list asks again.
        asked.remove(engine, question);
        return question.answer();
    }
}
