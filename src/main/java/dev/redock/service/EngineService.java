package dev.redock.service;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.redock.engine.EngineException;
import dev.redock.engine.Engines;
import dev.redock.model.DeployEvents;
import dev.redock.model.EngineEntry;
import dev.redock.model.EngineStatus;
import dev.redock.model.Service;
import dev.redock.model.ValidationException;
import dev.redock.store.EngineStore;

/**
 * The user's engines, as every surface shows and changes them ({@code redock engine ls|add|rm|use}, Settings, the API's
 * {@code engines}): the list, each engine's state, which engine new services go to.
 */
public final class EngineService {

    /** The setting that names the engine new services go to when none is named. */
    public static final String FOR_NEW = "engine.for-new";

    private final EngineStore store;
    private final Engines engines;
    private final Settings settings;
    private final DeployEvents events;
    private final Clock clock;

    public EngineService(EngineStore store, Engines engines, Settings settings, DeployEvents events, Clock clock) {
        this.store = store;
        this.engines = engines;
        this.settings = settings;
        this.events = events;
        this.clock = clock;
    }

    /** Every engine with what it answered when last asked (no engine is asked now). */
    public List<EngineStatus> list() {
        return engines.reread().stream()
                .map(e -> engines.lastKnown(e.name()).orElse(new EngineStatus(e, null, null, false, null, null, null, null)))
                .toList();
    }

    /** Every engine, each asked now, side by side. */
    public List<EngineStatus> check() {
        return engines.probeAll();
    }

    /** One engine, asked now. */
    public EngineStatus check(String name) {
        require(name);
        return engines.probe(name);
    }

    /** The names of the engines, the default one first. */
    public List<String> names() {
        return engines.reread().stream().map(EngineEntry::name).toList();
    }

    /** How many services run on each engine that has any. */
    public Map<String, Integer> serviceCounts() {
        return store.serviceCounts();
    }

    /**
     * Adds an engine: {@code where} is a docker context's name, or an address ({@code unix://}, {@code tcp://},
     * {@code ssh://user@host[:port]}), with a folder of TLS material ({@code ca.pem}, {@code cert.pem}, {@code key.pem})
     * for a {@code tcp://} address that uses TLS. It is refused when it cannot be located (no such context, an address of
     * the wrong shape, TLS material missing); an engine that does not answer yet is added, with its state saying so.
     *
     * @return the engine, asked once
     */
    public EngineStatus add(String name, String where, String tlsDir) {
        EngineEntry.validName(name);
        if (where == null || where.isBlank()) {
            throw new ValidationException("engine", "say where engine \"" + name + "\" is: a docker context's name or an"
                    + " address (unix://, tcp://, ssh://user@host)");
        }
        String target = where.strip();
        boolean address = target.contains("://");
        String tls = tlsDir == null || tlsDir.isBlank() ? null : ServiceInput.expandHome(tlsDir.strip());
        if (tls != null && !address) {
            throw new ValidationException("engine", "a docker context brings its own TLS material: give a TLS folder only"
                    + " with a tcp:// address");
        }
        EngineEntry entry = new EngineEntry(name, address ? EngineEntry.Kind.ADDRESS : EngineEntry.Kind.CONTEXT, target, tls);
        if (store.find(name).isPresent()) {
            throw new ValidationException("engine", "an engine named \"" + name + "\" already exists");
        }
        try {
            engines.locate(entry);
        } catch (EngineException e) {
            throw new ValidationException("engine", e.getMessage());
        }
        store.add(entry, clock.instant());
        engines.reread();
        events.servicesChanged();
        return engines.probe(name);
    }

    /** Removes an engine no service runs on (the default one stays). */
    public void remove(String name) {
        EngineEntry entry = require(name);
        if (entry.kind() == EngineEntry.Kind.CURRENT) {
            throw new ValidationException("engine", "engine \"" + name + "\" is the docker CLI's own and cannot be removed");
        }
        store.remove(name);
        if (name.equals(forNew())) {
            settings.put(FOR_NEW, Service.DEFAULT_ENGINE);
        }
        engines.reread();
        events.servicesChanged();
    }

    /**
     * What could be added and is not in the list yet, in words for the user: the docker contexts of this machine, and the
     * sockets of Podman and rootless Docker where they exist.
     */
    public List<String> offered() {
        return engines.offered().stream().toList();
    }

    /** The engine new services go to when none is named. */
    public String forNew() {
        String chosen = settings.get(FOR_NEW).orElse(Service.DEFAULT_ENGINE);
        return engines.entry(chosen).isPresent() ? chosen : Service.DEFAULT_ENGINE;
    }

    /** Makes new services go to this engine when none is named. */
    public void use(String name) {
        require(name);
        settings.put(FOR_NEW, name);
        events.servicesChanged();
    }

    /** The engine of this name, or a clear refusal. */
    public EngineEntry require(String name) {
        return find(name).orElseThrow(() -> new ValidationException("engine", "there is no engine named \"" + name + "\""));
    }

    public Optional<EngineEntry> find(String name) {
        return name == null ? Optional.empty() : engines.entry(name);
    }
}
