package dev.redock.deploy;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.redock.engine.EngineException;
import dev.redock.model.DeployPhase;

/**
 * Points in a deployment where Redock's fault tests stop it, so that every step's recovery can be shown on real processes
 * and a real engine. Off unless the environment asks:
 *
 * <ul>
 *   <li>{@code REDOCK_PAUSE_AT=step[,step...]}: on reaching the step, print {@code redock: paused at <step>} on stderr and
 *   wait until the process is killed;</li>
 *   <li>{@code REDOCK_FAIL_AT=step[,step...]}: the engine call that would reach the step fails instead.</li>
 * </ul>
 * Steps are named as in {@link DeployPhase#step()}.
 */
public final class Failpoints {

    private static final Logger LOG = LoggerFactory.getLogger(Failpoints.class);
    public static final Failpoints NONE = new Failpoints(Set.of(), Set.of());

    private final Set<DeployPhase> pauseAt;
    private final Set<DeployPhase> failAt;
    private final Set<DeployPhase> paused = ConcurrentHashMap.newKeySet();

    Failpoints(Set<DeployPhase> pauseAt, Set<DeployPhase> failAt) {
        this.pauseAt = Set.copyOf(pauseAt);
        this.failAt = Set.copyOf(failAt);
    }

    public static Failpoints fromEnvironment(Map<String, String> env) {
        Set<DeployPhase> pause = steps(env.get("REDOCK_PAUSE_AT"));
        Set<DeployPhase> fail = steps(env.get("REDOCK_FAIL_AT"));
        if (pause.isEmpty() && fail.isEmpty()) {
            return NONE;
        }
        LOG.warn("Fault points set: pause at {}, fail at {}", pause, fail);
        return new Failpoints(pause, fail);
    }

    private static Set<DeployPhase> steps(String list) {
        if (list == null || list.isBlank()) {
            return Set.of();
        }
        return java.util.Arrays.stream(list.split(","))
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .map(DeployPhase::ofStep)
                .collect(Collectors.toUnmodifiableSet());
    }

    /** Fails the engine call about to reach the step, when asked to. */
    void beforeStep(DeployPhase phase) throws EngineException {
        if (failAt.contains(phase)) {
            throw new EngineException("the engine call for step " + phase.step() + " failed (REDOCK_FAIL_AT)");
        }
    }

    /**
     * Whether a deployment waits at the step for good now: it made the step's engine calls and makes no more (for tests in
     * this process; another process says so on stderr).
     */
    boolean pausedAt(DeployPhase phase) {
        return paused.contains(phase);
    }

    /** Waits here for good once the step is reached, when asked to. */
    void reached(DeployPhase phase) {
        if (!pauseAt.contains(phase)) {
            return;
        }
        paused.add(phase);
        System.err.println("redock: paused at " + phase.step());
        System.err.flush();
        LOG.warn("Paused at {} (REDOCK_PAUSE_AT)", phase.step());
        Object forever = new Object();
        synchronized (forever) {
            while (true) {
                try {
                    forever.wait();
                } catch (InterruptedException e) {
                    // stays paused: only a signal ends it
                }
            }
        }
    }
}
