package dev.redock.schedule;

import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;

import dev.redock.app.Redock;
import dev.redock.deploy.DeployQueue;
import dev.redock.registry.RegistryBackoff;
import dev.redock.registry.RegistryClient;

/**
 * A scheduler over a core's services, deployer and engines, with a clock, an interval, a registry client and a budget of
 * the test's own; closed with its deployment queue.
 */
final class OwnScheduler implements AutoCloseable {

    private final DeployQueue queue;
    private final Scheduler scheduler;

    OwnScheduler(Redock redock, RegistryClient registry, Clock clock, Supplier<Duration> interval, CheckBudget budget) {
        this.queue = new DeployQueue(redock.deployer());
        this.scheduler = new Scheduler(redock.serviceStore(), registry, new RegistryBackoff(), null, null, redock.deployer(),
                queue, redock.engines(), engine -> { }, clock, interval, budget);
    }

    /** With the core's registry client. */
    OwnScheduler(Redock redock, Clock clock, Duration interval, CheckBudget budget) {
        this(redock, redock.registry(), clock, () -> interval, budget);
    }

    Scheduler get() {
        return scheduler;
    }

    @Override
    public void close() {
        scheduler.close();
        queue.close();
    }
}
