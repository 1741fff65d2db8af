package dev.redock.testenv;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Image;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import dev.redock.engine.DockerEngine;
import dev.redock.engine.EngineSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The test environment every Docker test shares: the run id and its label, one docker-java client, the test registry.
 *
 * <p>{@code bash src/test/scripts/run-tests.sh} sets it up and passes it in as system properties ({@code redock.test.run},
 * {@code redock.test.registry}, {@code redock.test.registry.log}, {@code redock.test.fixture}). Run without the script
 * ({@code mvn test}), it makes up a run id and starts a registry of its own, but it needs a Docker engine: without one,
 * tests fail (they do not skip) and say which command sets things up.
 *
 * <p>Each test JVM has an id of its own within the run, {@code <run id>-<JVM>} ({@code redock.test.jvm}, which the build
 * sets for each fork, e.g. {@code surefire2}): test JVMs that run side by side keep to their own things on the engine, as
 * two runs on one machine do.
 *
 * <p>Everything a test makes on the engine (containers, images, volumes, networks) carries the run label
 * {@value #RUN_LABEL} with the JVM's id, and is removed by label at the end of the JVM ({@link DockerTest}) and of the
 * script (which removes its own id's and its JVMs'). Nothing without this JVM's id is ever touched by the JVM.
 */
public final class TestEnv {

    public static final String RUN_LABEL = "dev.redock.test.run";
    public static final String SETUP_COMMAND = "bash src/test/scripts/run-tests.sh";

    private static final Logger LOG = LoggerFactory.getLogger(TestEnv.class);
    private static final String RUN_ID = initRunId();

    private static DockerClient docker;
    private static String dockerProblem;
    private static DockerEngine engine;
    private static TestRegistry ownRegistry;

    private TestEnv() {
    }

    private static String initRunId() {
        String given = System.getProperty("redock.test.run");
        String run = given != null && !given.isBlank() ? given.strip()
                : "jvm" + System.currentTimeMillis() / 1000 + "-" + HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt());
        String jvm = System.getProperty("redock.test.jvm");
        return jvm == null || jvm.isBlank() ? run : run + "-" + jvm.strip();
    }

    /** This JVM's id in the run: the script's run id (or one made up), and the JVM's own, {@code <run id>-<JVM>}. */
    public static String runId() {
        return RUN_ID;
    }

    /** {@code {dev.redock.test.run: <run id>-<JVM>}}: put it on everything a test makes on the engine. */
    public static Map<String, String> runLabels() {
        return Map.of(RUN_LABEL, RUN_ID);
    }

    /** A name no other test or run uses: {@code prefix-<random>}, valid as a container, volume or network name. */
    public static String uniqueName(String prefix) {
        return prefix + "-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    }

    public static URI dockerHost() {
        return EngineSettings.defaultHost();
    }

    /**
     * The shared docker-java client (httpclient5 transport, 5 s to connect, 120 s to answer). Fails with a message naming
     * the setup command when the engine does not answer.
     */
    public static synchronized DockerClient docker() {
        if (docker == null && dockerProblem == null) {
            DefaultDockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                    .withDockerHost(dockerHost().toString())
                    .build();
            DockerClient client = DockerClientImpl.getInstance(config, new ApacheDockerHttpClient.Builder()
                    .dockerHost(dockerHost())
                    .connectionTimeout(Duration.ofSeconds(5))
                    .responseTimeout(Duration.ofSeconds(120))
                    .maxConnections(32)
                    .build());
            try {
                client.pingCmd().exec();
                docker = client;
            } catch (RuntimeException e) {
                Throwable root = e;
                while (root.getCause() != null) {
                    root = root.getCause();
                }
                dockerProblem = "The Docker engine at " + dockerHost() + " does not answer (" + root.getMessage() + "). "
                        + "These tests need a real Docker engine and a registry: run them with `" + SETUP_COMMAND
                        + "`, which installs and starts what is missing.";
            }
        }
        if (docker == null) {
            throw new IllegalStateException(dockerProblem);
        }
        return docker;
    }

    /**
     * The shared engine over {@link #docker()}, which labels every container it creates with this run's label. Do not close
     * it.
     */
    public static synchronized DockerEngine engine() {
        if (engine == null) {
            engine = new DockerEngine(docker(), dockerHost(), runLabels());
        }
        return engine;
    }

    /** The test registry as an image reference names it: {@code 127.0.0.1:<port>}. */
    public static synchronized String registry() {
        String given = System.getProperty("redock.test.registry");
        if (given != null && !given.isBlank()) {
            return given.strip();
        }
        return ownRegistry().address();
    }

    /** The test registry's log file, for {@link RegistryLog}. */
    public static synchronized Path registryLogFile() {
        String given = System.getProperty("redock.test.registry.log");
        if (System.getProperty("redock.test.registry") != null && given != null && !given.isBlank()) {
            return Path.of(given.strip());
        }
        return ownRegistry().log();
    }

    /** The requests the test registry has logged. */
    public static RegistryLog registryLog() {
        return new RegistryLog(registryLogFile());
    }

    /** The script's fixture web image ({@code redock-fixture/web:<run id>}), or null when run without the script. */
    public static String fixtureImage() {
        String given = System.getProperty("redock.test.fixture");
        return given == null || given.isBlank() ? null : given.strip();
    }

    private static TestRegistry ownRegistry() {
        if (ownRegistry == null) {
            ownRegistry = TestRegistry.start(Path.of("target", "test-env", "registry-" + RUN_ID));
            Runtime.getRuntime().addShutdownHook(new Thread(ownRegistry::close, "test-registry-stop"));
        }
        return ownRegistry;
    }

    /** Creates a named volume carrying the run label; returns its name. */
    public static String createVolume(String prefix) {
        String name = uniqueName(prefix);
        docker().createVolumeCmd().withName(name).withLabels(runLabels()).exec();
        return name;
    }

    /**
     * Removes a container a test made and every anonymous volume it mounts (Redock mounts an old container's anonymous
     * volumes again by name in its replacement, so removing the container with its volumes does not always take them).
     */
    public static void removeWithAnonymousVolumes(String containerId) {
        List<String> anonymous = new ArrayList<>();
        try {
            var mounts = docker().inspectContainerCmd(containerId).exec().getMounts();
            if (mounts != null) {
                mounts.stream().map(m -> m.getName()).filter(n -> n != null && n.matches("[0-9a-f]{64}")).forEach(anonymous::add);
            }
        } catch (NotFoundException e) {
            return;
        }
        List<String> left = new ArrayList<>();
        tryRemove(left, "container " + containerId,
                () -> docker().removeContainerCmd(containerId).withForce(true).withRemoveVolumes(true).exec());
        for (String volume : anonymous) {
            tryRemove(left, "volume " + volume, () -> docker().removeVolumeCmd(volume).exec());
        }
        if (!left.isEmpty()) {
            LOG.warn("Test clean-up left {}", left);
        }
    }

    /** Creates a bridge network carrying the run label; returns its name. */
    public static String createNetwork(String prefix) {
        String name = uniqueName(prefix);
        docker().createNetworkCmd().withName(name).withDriver("bridge").withLabels(runLabels()).exec();
        return name;
    }

    /**
     * Removes every container, network, volume and image that carries this JVM's id in the run label, and nothing else:
     * not what another test JVM of the run still uses. The script's fixture image stays: the script removes it when it
     * ends, after every test JVM.
     */
    public static synchronized void cleanUp() {
        if (docker == null) {
            return;
        }
        Map<String, String> label = runLabels();
        List<String> left = new ArrayList<>();
        // The anonymous volumes of this run's containers are this run's too; Redock mounts them again by name in a
        // replacement, so removing the container with its volumes does not always take them along.
        List<String> anonymous = new ArrayList<>();
        for (var c : docker.listContainersCmd().withShowAll(true).withLabelFilter(label).exec()) {
            if (c.getMounts() != null) {
                c.getMounts().stream().map(m -> m.getName()).filter(n -> n != null && n.matches("[0-9a-f]{64}")).forEach(anonymous::add);
            }
            tryRemove(left, "container " + c.getId(), () -> docker.removeContainerCmd(c.getId()).withForce(true).withRemoveVolumes(true).exec());
        }
        for (String volume : anonymous) {
            tryRemove(left, "volume " + volume, () -> docker.removeVolumeCmd(volume).exec());
        }
        for (var n : docker.listNetworksCmd().withFilter("label", List.of(RUN_LABEL + "=" + RUN_ID)).exec()) {
            tryRemove(left, "network " + n.getName(), () -> docker.removeNetworkCmd(n.getId()).exec());
        }
        for (var v : docker.listVolumesCmd().withFilter("label", List.of(RUN_LABEL + "=" + RUN_ID)).exec().getVolumes()) {
            tryRemove(left, "volume " + v.getName(), () -> docker.removeVolumeCmd(v.getName()).exec());
        }
        String keep = fixtureImageId();
        // Children before parents: an image built on another goes first, so two passes remove both.
        for (int pass = 0; pass < 2; pass++) {
            List<String> imageFailures = new ArrayList<>();
            for (Image image : docker.listImagesCmd().withShowAll(true).withLabelFilter(label).exec()) {
                if (!image.getId().equals(keep)) {
                    tryRemove(imageFailures, "image " + image.getId(), () -> docker.removeImageCmd(image.getId()).withForce(true).exec());
                }
            }
            if (imageFailures.isEmpty()) {
                break;
            }
            if (pass == 1) {
                left.addAll(imageFailures);
            }
        }
        if (!left.isEmpty()) {
            LOG.warn("Test clean-up left {}", left);
        }
    }

    private static String fixtureImageId() {
        String fixture = fixtureImage();
        if (fixture == null) {
            return null;
        }
        try {
            return docker.inspectImageCmd(fixture).exec().getId();
        } catch (NotFoundException e) {
            return null;
        }
    }

    private static void tryRemove(List<String> failures, String what, Runnable removal) {
        try {
            removal.run();
        } catch (NotFoundException alreadyGone) {
            // fine
        } catch (DockerException e) {
            failures.add(what + " (" + e.getMessage().strip() + ")");
        }
    }
}
