package dev.redock.engine;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.redock.model.EngineEntry;

/**
 * Finds the engines of the user's list: the default one where the docker CLI would go in Redock's environment (or where
 * Redock was told), a docker context as the docker CLI reads it, an address as given. Every engine gets the default one's
 * timeouts, common labels and home (whose {@code .ssh} signs in to {@code ssh://} engines).
 */
public final class EngineLocator implements Engines.Locator {

    private static final Logger LOG = LoggerFactory.getLogger(EngineLocator.class);

    private final EngineSettings base;
    private final Supplier<Engines.Located> chooser;
    private final DockerContexts contexts;
    /** The default engine, chosen on first use (reading the docker CLI's configuration costs a CLI command time). */
    private Engines.Located current;

    private EngineLocator(EngineSettings base, Supplier<Engines.Located> chooser, DockerContexts contexts) {
        this.base = base;
        this.chooser = chooser;
        this.contexts = contexts;
    }

    /**
     * The engines as the environment finds them: the default one is the engine the docker CLI would use there
     * ({@code DOCKER_HOST}, {@code DOCKER_CONTEXT}, the context {@code docker context use} chose, or the default socket).
     * When that choice cannot be used (a context that does not exist), every call to the default engine says why.
     */
    public static EngineLocator fromEnvironment(Map<String, String> env) {
        String home = env.get("HOME");
        EngineSettings base = EngineSettings.of(EngineAddress.defaultSocket())
                .withHome(home == null || home.isBlank() ? null : Path.of(home.strip()));
        DockerContexts contexts = DockerContexts.of(env);
        return new EngineLocator(base, () -> {
            try {
                DockerContexts.Resolved chosen = contexts.current();
                LOG.info("Docker engine: {}", chosen);
                return new Engines.Located(base.withAddress(chosen.address()), chosen.source(), null);
            } catch (EngineException e) {
                LOG.warn("No Docker engine to use: {}", e.getMessage());
                return new Engines.Located(base, "no engine", e);
            }
        }, contexts);
    }

    /** The default engine as given (tests give theirs); docker contexts as the environment has them. */
    public static EngineLocator given(EngineSettings current, Map<String, String> env) {
        Engines.Located given = new Engines.Located(current, "as given", null);
        return new EngineLocator(current, () -> given, DockerContexts.of(env));
    }

    /** Where the default engine is: the docker CLI's choice, or why there is none. */
    public synchronized Engines.Located current() {
        if (current == null) {
            current = chooser.get();
        }
        return current;
    }

    @Override
    public Engines.Located locate(EngineEntry entry) throws EngineException {
        return switch (entry.kind()) {
            case CURRENT -> current();
            case CONTEXT -> new Engines.Located(base.withAddress(contexts.context(entry.target())),
                    "docker context \"" + entry.target() + "\"", null);
            case ADDRESS -> new Engines.Located(base.withAddress(EngineAddress.parse(entry.target(),
                    entry.tlsDir() == null ? null : Path.of(entry.tlsDir()))), "added by address", null);
        };
    }

    /** The docker contexts and local sockets (Podman, rootless Docker) that the list does not have yet. */
    @Override
    public List<String> offered(List<EngineEntry> listed) {
        Set<String> contextsListed = listed.stream().filter(e -> e.kind() == EngineEntry.Kind.CONTEXT)
                .map(EngineEntry::target).collect(Collectors.toSet());
        Set<String> addressesListed = listed.stream().filter(e -> e.kind() == EngineEntry.Kind.ADDRESS)
                .map(EngineEntry::target).collect(Collectors.toSet());
        if (current().unchosen() == null) {
            addressesListed.add(current().settings().host().toString());
        }
        List<String> offers = new ArrayList<>();
        for (DockerContexts.ContextEntry c : contexts.list()) {
            if (!c.name().equals(DockerContexts.DEFAULT) && !contextsListed.contains(c.name())
                    && !addressesListed.contains(c.address().host().toString())) {
                offers.add("docker context \"" + c.name() + "\" (" + c.address() + ")");
            }
        }
        for (EngineAddress socket : contexts.localSockets()) {
            if (!addressesListed.contains(socket.host().toString())) {
                offers.add(socket.host().getPath().contains("podman") ? "Podman's socket " + socket.host()
                        : "rootless Docker's socket " + socket.host());
            }
        }
        return offers;
    }
}
