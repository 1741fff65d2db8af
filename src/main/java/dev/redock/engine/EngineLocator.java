package dev.redock.engine;

import java.net.URI;

import dev.redock.model.EngineEntry;

/**
 * Finds the engines of the user's list: the default one where Redock was told at start (the docker CLI's engine), a
 * docker context as the docker CLI reads it, an address as given. Every engine gets the default one's timeouts and
 * common labels.
 */
public final class EngineLocator implements Engines.Locator {

    private final EngineSettings current;
    private final String currentSource;

    /**
     * @param current       how to reach the default engine, already resolved
     * @param currentSource why there ({@code DOCKER_HOST}, {@code docker context "x"}, {@code the default socket})
     */
    public EngineLocator(EngineSettings current, String currentSource) {
        this.current = current;
        this.currentSource = currentSource;
    }

    @Override
    public Engines.Located locate(EngineEntry entry) throws EngineException {
        return switch (entry.kind()) {
            case CURRENT -> new Engines.Located(current, currentSource);
            case CONTEXT -> throw new EngineUnavailableException("docker contexts are not read yet", null);
            case ADDRESS -> new Engines.Located(current.withHost(URI.create(entry.target())), "added by address");
        };
    }
}
