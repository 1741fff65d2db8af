package dev.redock.service;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.redock.engine.DockerEngine;
import dev.redock.engine.EngineException;
import dev.redock.engine.Engines;
import dev.redock.model.ContainerSummary;
import dev.redock.model.DeployEvents;
import dev.redock.model.ExistingContainer;
import dev.redock.model.ImageRef;
import dev.redock.model.InvalidReferenceException;
import dev.redock.model.Labels;
import dev.redock.model.Service;
import dev.redock.model.UnfollowedContainer;
import dev.redock.model.ValidationException;
import dev.redock.store.ServiceStore;

/**
 * Following what already runs: the containers on the engines that no service follows, and adopting them (one, or a whole
 * compose project) as services. Adopting changes nothing on the engine: the container keeps running as it is, and Redock
 * writes down what it runs. Its own label only comes with the first container Redock makes for it, at the next redeploy.
 */
public final class Adoptions {

    private static final Logger LOG = LoggerFactory.getLogger(Adoptions.class);
    /** An image given by id: {@code sha256:<hex>} or a prefix of the hex. */
    private static final Pattern IMAGE_ID = Pattern.compile("(?:sha256:)?[0-9a-f]{12,64}");

    private final ServiceStore services;
    private final Engines engines;
    private final EngineService engineList;
    private final DeployEvents events;
    private final Clock clock;

    Adoptions(ServiceStore services, Engines engines, EngineService engineList, DeployEvents events, Clock clock) {
        this.services = services;
        this.engines = engines;
        this.engineList = engineList;
        this.events = events;
        this.clock = clock;
    }

    /**
     * The containers no service follows, on every engine that answers (asked side by side), by engine, compose project and
     * name. Left out: Redock's own, Swarm's tasks (Swarm replaces them itself) and compose's one-off containers.
     */
    public List<UnfollowedContainer> unfollowed() {
        List<Service> all = services.all();
        Map<String, CompletableFuture<List<ContainerSummary>>> answers = engines.askEach(engineList.names(), DockerEngine::summaries);
        List<UnfollowedContainer> result = new ArrayList<>();
        answers.forEach((engine, answer) -> {
            try {
                answer.join().stream().filter(c -> followable(c, all)).map(c -> unfollowed(engine, c)).forEach(result::add);
            } catch (CompletionException e) {
                LOG.debug("Engine {} did not say what runs there: {}", engine, e.getCause().getMessage());
            }
        });
        result.sort(Comparator.comparing(UnfollowedContainer::engine)
                .thenComparing(c -> c.project() == null ? "" : c.project())
                .thenComparing(UnfollowedContainer::name));
        return result;
    }

    /** The containers no service follows on one engine. */
    public List<UnfollowedContainer> unfollowed(String engine) throws EngineException {
        String name = engineList.require(engine).name();
        List<Service> all = services.all();
        return engines.of(name).summaries().stream().filter(c -> followable(c, all)).map(c -> unfollowed(name, c))
                .sorted(Comparator.comparing((UnfollowedContainer c) -> c.project() == null ? "" : c.project())
                        .thenComparing(UnfollowedContainer::name))
                .toList();
    }

    private static boolean followable(ContainerSummary c, List<Service> all) {
        Map<String, String> labels = c.labels();
        if (labels.containsKey(ExistingContainer.SWARM_TASK) || "True".equalsIgnoreCase(labels.get(ExistingContainer.COMPOSE_ONE_OFF))) {
            return false;
        }
        String owner = labels.get(Labels.SERVICE);
        return all.stream().noneMatch(s -> s.id().toString().equals(owner) || c.id().equals(s.adopted()));
    }

    private static UnfollowedContainer unfollowed(String engine, ContainerSummary c) {
        return new UnfollowedContainer(engine, c.id(), c.name(), c.image(), c.state(), c.status(),
                c.labels().get(ExistingContainer.COMPOSE_PROJECT), c.labels().get(ExistingContainer.COMPOSE_SERVICE),
                c.created(), noTag(c.name(), c.image()));
    }

    /** Why a container of this image reference could not be autoredeployed, or null: it names no tag. */
    static String noTag(String name, String image) {
        if (image == null || IMAGE_ID.matcher(image).matches()) {
            return name + " runs its image by id: there is no tag to follow, so autoredeploy stays off";
        }
        if (image.contains("@")) {
            return name + " runs its image by digest: there is no tag to follow, so autoredeploy stays off";
        }
        return null;
    }

    /**
     * Adopts what the request names: one container, or every container of a compose project (all of them, or none when
     * one cannot be). Nothing changes on the engine.
     *
     * @return the new services, by name
     */
    public List<Service> adopt(AdoptRequest request) throws EngineException {
        String engineName = request.engine() == null ? locate(request) : engineList.require(request.engine()).name();
        DockerEngine engine = engines.of(engineName);
        List<String> containers;
        if (request.container() != null) {
            containers = List.of(request.container());
        } else {
            List<Service> all = services.all();
            containers = engine.summaries().stream()
                    .filter(c -> request.project().equals(c.labels().get(ExistingContainer.COMPOSE_PROJECT)))
                    .filter(c -> followable(c, all))
                    .sorted(Comparator.comparing(ContainerSummary::name))
                    .map(ContainerSummary::id)
                    .toList();
            if (containers.isEmpty()) {
                throw new ValidationException("project", "no container of compose project \"" + request.project()
                        + "\" that Redock does not follow yet on engine \"" + engineName + "\"");
            }
        }
        List<Service> adopted = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (String container : containers) {
            Service s = adoption(engine, engineName, container, request.autoredeploy());
            if (!names.add(s.name())) {
                throw new ValidationException("container", "two containers are named \"" + s.name() + "\"");
            }
            adopted.add(s);
        }
        services.insertAll(adopted);
        LOG.info("Adopted {} on engine {}", adopted.stream().map(Service::name).toList(), engineName);
        events.servicesChanged();
        return adopted;
    }

    /**
     * The engine what the request names runs on, when it names none: the one new services go to, if it is there; otherwise
     * the one engine (of those that answer) where it is. On several, the user says which.
     */
    private String locate(AdoptRequest request) {
        String home = engineList.forNew();
        Map<String, CompletableFuture<List<ContainerSummary>>> answers = engines.askEach(engineList.names(), DockerEngine::summaries);
        List<String> found = new ArrayList<>();
        answers.forEach((engine, answer) -> {
            try {
                if (answer.join().stream().anyMatch(c -> named(c, request))) {
                    found.add(engine);
                }
            } catch (CompletionException e) {
                LOG.debug("Engine {} did not say what runs there: {}", engine, e.getCause().getMessage());
            }
        });
        if (found.contains(home) || found.isEmpty()) {
            return home; // where it is, or where the refusal names it is not
        }
        if (found.size() > 1) {
            throw new ValidationException("engine", (request.container() != null ? "a container named \"" + request.container()
                    : "compose project \"" + request.project()) + "\" is on several engines (" + String.join(", ", found)
                    + "): say which one");
        }
        return found.get(0);
    }

    private static boolean named(ContainerSummary c, AdoptRequest request) {
        if (request.container() != null) {
            return c.name().equals(request.container()) || c.id().startsWith(request.container());
        }
        return request.project().equals(c.labels().get(ExistingContainer.COMPOSE_PROJECT));
    }

    /** The service a container becomes, checked; nothing is written yet. */
    private Service adoption(DockerEngine engine, String engineName, String container, boolean autoredeploy)
            throws EngineException {
        ExistingContainer found = engine.existing(container).orElseThrow(() -> new ValidationException("container",
                "no container named or with the id \"" + container + "\" on engine \"" + engineName + "\""));
        var info = found.info();
        Optional<Service> follower = services.all().stream().filter(s -> s.owns(info)).findFirst();
        if (follower.isPresent()) {
            throw new ValidationException("container", info.name() + " is already followed: it is the service "
                    + follower.get().name());
        }
        if (found.autoRemove()) {
            throw new ValidationException("container", info.name() + " was started with --rm: the engine removes it as"
                    + " soon as it stops, so Redock could not keep it to fall back on if a new version failed. Start it"
                    + " without --rm to adopt it");
        }
        if (info.labels().containsKey(ExistingContainer.SWARM_TASK)) {
            throw new ValidationException("container", info.name() + " is a task of a Swarm service: Swarm replaces it"
                    + " itself");
        }
        String name = Service.validName(info.name());
        if (services.findByName(name).isPresent()) {
            throw new ValidationException("container", "a service named \"" + name + "\" already exists: rename the"
                    + " container (docker rename) or that service's own container first");
        }
        ImageRef image = imageOf(found);
        String tagless = noTag(name, info.image());
        if (autoredeploy && tagless != null) {
            throw new ValidationException("autoredeploy", tagless + " (adopt it without autoredeploy)");
        }
        Instant now = clock.instant();
        return new Service(UUID.randomUUID(), name, image, found.spec(), autoredeploy, digestOf(found, image), now, now,
                null, null, engineName, info.id());
    }

    /**
     * The reference the container's image is followed by: as it was started (a tag, or a digest); for one started by image
     * id, the image pinned to that id under a name it has.
     */
    private static ImageRef imageOf(ExistingContainer found) {
        var info = found.info();
        String given = info.image();
        try {
            if (given != null && !IMAGE_ID.matcher(given).matches()) {
                return ImageRef.parse(given);
            }
            if (!found.repoDigests().isEmpty()) {
                return ImageRef.parse(found.repoDigests().get(0));
            }
            if (!found.repoTags().isEmpty()) {
                ImageRef named = ImageRef.parse(found.repoTags().get(0));
                return new ImageRef(named.registry(), named.repository(), named.tag(), info.imageId());
            }
        } catch (InvalidReferenceException e) {
            throw new ValidationException("image", info.name() + " runs an image Redock cannot name: " + e.getMessage());
        }
        throw new ValidationException("image", info.name() + " runs an image with neither a name nor a digest ("
                + info.imageId() + "): tag it (docker tag) to adopt the container");
    }

    /**
     * The digest the container runs, from its image's {@code RepoDigests} for the reference's repository; null when the
     * registry does not know this image (built or loaded here): then the first check of the tag tells.
     */
    private static String digestOf(ExistingContainer found, ImageRef image) {
        if (image.digest() != null) {
            return image.digest();
        }
        for (String repoDigest : found.repoDigests()) {
            try {
                ImageRef known = ImageRef.parse(repoDigest);
                if (known.name().equals(image.name())) {
                    return known.digest();
                }
            } catch (InvalidReferenceException e) {
                LOG.debug("Ignored a repository digest Redock cannot read: {}", repoDigest);
            }
        }
        return null;
    }
}
