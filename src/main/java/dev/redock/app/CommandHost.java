package dev.redock.app;

import dev.redock.api.ApiServer;

/**
 * Runs the CLI's commands that other processes on the data folder hand to this one, on this process's open core. The CLI
 * provides it (the core does not know the CLI's commands); the window and the agent pass it to {@link Startup}, which
 * serves it on the API.
 */
@FunctionalInterface
public interface CommandHost {

    /** What answers the commands on this core (an API endpoint; the API checks the token first). */
    ApiServer.CommandHandler endpoint(Redock redock);
}
