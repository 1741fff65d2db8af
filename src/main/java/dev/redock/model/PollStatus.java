package dev.redock.model;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** What this process's polling says of itself, for the window's status bar and service pages. */
public interface PollStatus {

    /** Whether every autoredeploy is paused. */
    boolean isPaused();

    /** When the next poll runs, or null before the first is scheduled. */
    Instant nextPoll();

    /**
     * Why a service's tag (or branch) could not be checked at the last poll, or why the new version it found could not be
     * fetched, if either.
     */
    Optional<String> problem(Service service);

    /**
     * The budgets of checks of the registries that have one and were checked in the last hour, for the status bar. Read
     * from memory: fit for the FX thread.
     */
    default List<RegistryBudget> budgets() {
        return List.of();
    }
}
