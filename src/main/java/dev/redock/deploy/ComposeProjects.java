package dev.redock.deploy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.redock.engine.ComposeCli;
import dev.redock.engine.ComposeProject;
import dev.redock.engine.EngineException;
import dev.redock.engine.Engines;
import dev.redock.model.ExistingContainer;
import dev.redock.model.Service;

/**
 * What a redeploy of a compose project's service does so that compose still sees its own container: the configuration
 * hash compose expects now (with the new image), so that a later {@code docker compose up} in the project's folder
 * recreates nothing; and the order in which several services of one project that moved at once are redeployed
 * (dependencies first). Both come from compose itself, reading the project's files, where they are readable here.
 */
public final class ComposeProjects {

    private static final Logger LOG = LoggerFactory.getLogger(ComposeProjects.class);

    private final Engines engines;
    private volatile Optional<ComposeCli> cli;

    public ComposeProjects(Engines engines) {
        this.engines = engines;
    }

    private Optional<ComposeCli> cli() {
        Optional<ComposeCli> found = cli;
        if (found == null) {
            found = ComposeCli.find();
            cli = found;
            LOG.debug("Compose {}", found.isPresent() ? "found" : "not installed: compose projects keep their labels as they are");
        }
        return found;
    }

    /**
     * The compose labels a new container of the service gets beside its own: the configuration hash compose expects now.
     * Empty for a service outside any project, and where compose cannot tell (its files are not readable here, compose
     * is not installed): then the container keeps the labels it had, and a later {@code up} may recreate it.
     */
    Map<String, String> labelsFor(Service service) {
        Optional<ComposeProject> project = ComposeProject.of(service.spec().labels());
        if (project.isEmpty() || !project.get().filesReadable() || cli().isEmpty()) {
            return Map.of();
        }
        try {
            Map<String, String> env = engines.of(service.engine()).clientEnvironment();
            return cli().get().configHash(project.get(), env)
                    .map(hash -> Map.of(ExistingContainer.COMPOSE_CONFIG_HASH, hash))
                    .orElse(Map.of());
        } catch (EngineException e) {
            return Map.of();
        }
    }

    /**
     * The services in the order they are to be redeployed: those of one compose project (on one engine) after the
     * services they depend on ({@code depends_on} and {@code links} in the project's files; without readable files, by
     * their service names), each project's as one chain; the others as they came.
     *
     * @return chains: the services of a chain redeploy one after another, chains side by side
     */
    public List<List<Service>> chains(List<Service> moved) {
        Map<String, List<Service>> byProject = new LinkedHashMap<>();
        List<List<Service>> chains = new ArrayList<>();
        for (Service s : moved) {
            Optional<ComposeProject> project = ComposeProject.of(s.spec().labels());
            if (project.isEmpty()) {
                chains.add(List.of(s));
            } else {
                byProject.computeIfAbsent(s.engine() + "\u0000" + project.get().name(), k -> new ArrayList<>()).add(s);
            }
        }
        byProject.values().forEach(group -> chains.add(group.size() == 1 ? group : ordered(group)));
        return chains;
    }

    /** One project's services, dependencies first. */
    private List<Service> ordered(List<Service> group) {
        Map<String, Service> byComposeName = new LinkedHashMap<>();
        group.stream()
                .sorted(Comparator.comparing(s -> s.spec().labels().get(ExistingContainer.COMPOSE_SERVICE)))
                .forEach(s -> byComposeName.put(s.spec().labels().get(ExistingContainer.COMPOSE_SERVICE), s));
        Map<String, List<String>> dependencies = dependencies(group.get(0));
        List<Service> result = new ArrayList<>();
        Set<String> placed = new LinkedHashSet<>();
        List<String> names = new ArrayList<>(dependencies.keySet());
        byComposeName.keySet().stream().filter(n -> !names.contains(n)).forEach(names::add);
        for (String name : names) {
            place(name, dependencies, byComposeName, placed, result, new LinkedHashSet<>());
        }
        return result;
    }

    private static void place(String name, Map<String, List<String>> dependencies, Map<String, Service> byComposeName,
                              Set<String> placed, List<Service> result, Set<String> visiting) {
        if (placed.contains(name) || !visiting.add(name)) {
            return; // placed already, or a cycle compose itself would refuse
        }
        for (String dependency : dependencies.getOrDefault(name, List.of())) {
            place(dependency, dependencies, byComposeName, placed, result, visiting);
        }
        placed.add(name);
        if (byComposeName.containsKey(name)) {
            result.add(byComposeName.get(name));
        }
    }

    private Map<String, List<String>> dependencies(Service any) {
        Optional<ComposeProject> project = ComposeProject.of(any.spec().labels());
        if (project.isEmpty() || !project.get().filesReadable() || cli().isEmpty()) {
            return Map.of();
        }
        try {
            return cli().get().dependencies(project.get(), engines.of(any.engine()).clientEnvironment()).orElse(Map.of());
        } catch (EngineException e) {
            return Map.of();
        }
    }
}
