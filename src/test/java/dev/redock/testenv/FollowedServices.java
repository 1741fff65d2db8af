package dev.redock.testenv;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import dev.redock.app.Redock;
import dev.redock.model.ContainerSpec;
import dev.redock.model.ImageRef;
import dev.redock.model.Service;

/**
 * Services stored straight into the database, following a tag with autoredeploy on and already at a digest: what
 * polling reads, without containers on the engine. A service whose digest is the tag's own has nothing to deploy, so
 * polling it only checks; one at another digest is handed to the deployer.
 */
public final class FollowedServices {

    private FollowedServices() {
    }

    /** One service named {@code name} following {@code ref} at {@code digest}. */
    public static Service insert(Redock redock, String name, ImageRef ref, String digest) {
        return insert(redock, List.of(service(name, ref, digest))).get(0);
    }

    /** The services, in one transaction. */
    public static List<Service> insert(Redock redock, List<Service> services) {
        redock.database().inTransaction(c -> {
            for (Service s : services) {
                redock.serviceStore().insert(c, s);
            }
            return null;
        });
        return services;
    }

    /**
     * Pushes {@code count} tags ({@code v0}, {@code v1}, ...) of a repository of its own ({@code <repository>-<random>}) to
     * the test registry, each a small image of its own, and returns a service following each at its digest, named
     * {@code <namePrefix>-<n>}, not stored yet.
     */
    public static List<Service> onTestRegistry(String repository, String namePrefix, int count) throws Exception {
        String repo = TestEnv.uniqueName(repository);
        RegistryPush push = new RegistryPush(TestEnv.registry());
        List<Service> services = new java.util.ArrayList<>();
        for (int i = 0; i < count; i++) {
            String digest = push.pushImage(repo, "v" + i, repo + " " + i);
            services.add(service(namePrefix + "-" + i, ImageRef.parse(TestEnv.registry() + "/" + repo + ":v" + i), digest));
        }
        return services;
    }

    /** A service following {@code ref} at {@code digest} with autoredeploy on, not stored yet. */
    public static Service service(String name, ImageRef ref, String digest) {
        Instant now = Instant.now();
        return new Service(UUID.randomUUID(), name, ref, ContainerSpec.empty(), true, digest, now, now);
    }
}
