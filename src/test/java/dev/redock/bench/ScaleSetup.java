package dev.redock.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.redock.app.Redock;
import dev.redock.model.ImageRef;
import dev.redock.model.Service;
import dev.redock.testenv.FollowedServices;
import dev.redock.testenv.RegistryPush;
import dev.redock.testenv.Redocks;

/**
 * Many followed services over fewer distinct tags, for measuring Redock at scale: the tags pushed to a real registry
 * over its HTTP API (small images, a few per repository), the services stored straight into a data folder's database with
 * autoredeploy on and at their tag's digest, so polling checks every tag at every cycle and has nothing to deploy. No
 * containers are made: what is measured is the cost of following, not of running.
 *
 * <p>The default is the scale Redock is held to: 1,000 services over 250 tags ({@link #SERVICES}, {@link #TAGS}), five
 * tags per repository (as a team's images have a few tags each), four services per tag.
 */
public final class ScaleSetup {

    public static final int SERVICES = 1_000;
    public static final int TAGS = 250;
    public static final int TAGS_PER_REPOSITORY = 5;

    private ScaleSetup() {
    }

    /** What was set up: each tag followed (as services name it) with its digest, and the services. */
    public record Followed(Map<ImageRef, String> tags, List<Service> services) {
    }

    /**
     * Pushes {@code tags} tags to the registry at {@code pushTo} and stores {@code services} services following them (round
     * robin) in the data folder, which it opens and closes.
     *
     * @param pushTo   the registry to push to, {@code 127.0.0.1:<port>}
     * @param followAt the registry as the services' image references name it: the same, or a proxy in front of it
     * @param prefix   the repositories' first path component, unique to the run
     */
    public static Followed create(Path dataFolder, String pushTo, String followAt, String prefix, int services, int tags)
            throws IOException, InterruptedException {
        Map<ImageRef, String> pushed = pushTags(pushTo, followAt, prefix, tags);
        try (Redock redock = Redocks.open(dataFolder)) {
            return new Followed(pushed, store(redock, pushed, services));
        }
    }

    /**
     * Pushes the tags, {@value #TAGS_PER_REPOSITORY} per repository ({@code <prefix>/app<n>:v<m>}), each a small image of its
     * own; returns each as the services will name it, with its digest.
     */
    public static Map<ImageRef, String> pushTags(String pushTo, String followAt, String prefix, int tags)
            throws IOException, InterruptedException {
        RegistryPush push = new RegistryPush(pushTo);
        Map<ImageRef, String> pushed = new LinkedHashMap<>();
        for (int i = 0; i < tags; i++) {
            String repository = prefix + "/app" + i / TAGS_PER_REPOSITORY;
            String tag = "v" + i % TAGS_PER_REPOSITORY;
            String digest = push.pushImage(repository, tag, "scale " + prefix + " " + i);
            pushed.put(ImageRef.parse(followAt + "/" + repository + ":" + tag), digest);
        }
        return pushed;
    }

    /** Stores {@code count} services following the tags round robin, each at its tag's digest, in one transaction. */
    public static List<Service> store(Redock redock, Map<ImageRef, String> tags, int count) {
        List<ImageRef> refs = new ArrayList<>(tags.keySet());
        List<Service> services = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ImageRef ref = refs.get(i % refs.size());
            services.add(FollowedServices.service(String.format("scale-%04d", i), ref, tags.get(ref)));
        }
        return FollowedServices.insert(redock, services);
    }
}
