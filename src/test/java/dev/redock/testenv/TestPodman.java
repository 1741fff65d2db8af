package dev.redock.testenv;

import static dev.redock.testenv.HostCommands.capture;
import static dev.redock.testenv.HostCommands.deleteTree;
import static dev.redock.testenv.HostCommands.isRoot;
import static dev.redock.testenv.HostCommands.run;
import static dev.redock.testenv.HostCommands.unmountUnder;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A Podman service of the tests' own ({@code podman system service}), serving its Docker-compatible API on a socket in a
 * folder of its own: never the user's Podman, and never the user's Docker engine.
 *
 * <p>Everything it keeps is in that folder: its {@code containers.conf} (named by {@code CONTAINERS_CONF}), its registries
 * configuration (by {@code CONTAINERS_REGISTRIES_CONF}: the test registry, on loopback, is allowed over plain http), its
 * storage ({@code --root}, {@code --runroot}, {@code --tmpdir}), its events log and its network configuration. Its default
 * network is a bridge of its own, {@code rd-pm<N>} on 172.31.N.0/24, and the networks made through it are cut from the same
 * /24, so the host's {@code docker0} and Podman's usual {@code podman0} are never named.
 *
 * <p>Two settings make Podman work on a machine without systemd, such as CI: its default ulimits are emptied (otherwise
 * each container fails with "error setting rlimit ... operation not permitted"), and it keeps cgroups with {@code cgroupfs}
 * and its events in a file. Without systemd it runs no HEALTHCHECK by itself: that is what Redock has to live with.
 *
 * <pre>{@code
 * try (TestPodman podman = TestPodman.start()) {
 *     DockerEngine engine = DockerEngine.connect(EngineSettings.defaults().withHost(podman.host()));
 * }   // its containers are removed; its folder (images, volumes, networks) goes
 * }</pre>
 *
 * <p>It needs root and {@code podman}; without them it fails, naming the setup command.
 */
public final class TestPodman implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final List<String> PODMAN = List.of("/usr/bin/podman", "/usr/local/bin/podman");

    private final Path dir;
    private final String podman;
    private final String bridge;
    private final DockerClient docker;
    private final Thread shutdownHook;
    private Process process;
    private boolean closed;

    private TestPodman(Path dir, String podman, String bridge) {
        this.dir = dir;
        this.podman = podman;
        this.bridge = bridge;
        DefaultDockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(host().toString())
                .build();
        this.docker = DockerClientImpl.getInstance(config, new ApacheDockerHttpClient.Builder()
                .dockerHost(host())
                .connectionTimeout(Duration.ofSeconds(5))
                .responseTimeout(Duration.ofSeconds(120))
                .maxConnections(16)
                .build());
        this.shutdownHook = new Thread(this::close, "test-podman-stop");
    }

    /** Writes its configuration, starts the service and waits until it answers. */
    public static TestPodman start() {
        String podman = requireSetup();
        Path dir;
        try {
            // Short: the service's socket lives in it, and a unix socket's path is limited to 107 bytes.
            dir = Files.createTempDirectory(Path.of("/tmp"), "rpm");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int n = freeSubnet();
        TestPodman engine = new TestPodman(dir, podman, "rd-pm" + n);
        Runtime.getRuntime().addShutdownHook(engine.shutdownHook);
        try {
            engine.configure(n);
            engine.startService();
        } catch (RuntimeException e) {
            engine.close();
            throw e;
        }
        return engine;
    }

    /** {@code unix://<dir>/podman.sock}: what {@code DOCKER_HOST} says to reach this Podman. */
    public URI host() {
        return URI.create("unix://" + dir.resolve("podman.sock"));
    }

    /** A client of this Podman's Docker-compatible API. Do not close it. */
    public DockerClient docker() {
        return docker;
    }

    /** The service's own log (its errors, such as the health checks it could not schedule). */
    public Path log() {
        return dir.resolve("podman.log");
    }

    /** The bridge of its default network ({@code rd-pm<N>}), made by Podman when a container first joins it. */
    public String bridge() {
        return bridge;
    }

    /** Whether the service answers a ping right now. */
    public boolean answers() {
        try {
            docker.pingCmd().exec();
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Whether this machine runs systemd, without which Podman runs no HEALTHCHECK by itself. */
    public static boolean hostHasSystemd() {
        return Files.isDirectory(Path.of("/run/systemd/system"));
    }

    /** Creates a bridge network on this Podman, with the run label; returns its name. */
    public String createNetwork(String prefix) {
        String name = TestEnv.uniqueName(prefix);
        docker.createNetworkCmd().withName(name).withDriver("bridge").withLabels(TestEnv.runLabels()).exec();
        return name;
    }

    /**
     * Stops the service, removes its containers (Podman's containers outlive its service, each under its own conmon) and
     * its folder (images, volumes, networks with it), and its bridge if Podman left it.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            removeContainers();
            stopService();
            // Whatever the API could not remove (the service had died, say): the same command line, without the service.
            podmanCommand(List.of("rm", "--all", "--force", "--time", "0"));
        } finally {
            unmountUnder(dir);
            deleteTree(dir);
            if (run(List.of("ip", "link", "show", bridge)) == 0) {
                run(List.of("ip", "link", "del", bridge));
            }
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException shuttingDown) {
                // closing from the hook itself
            }
        }
    }

    @Override
    public String toString() {
        return "test Podman " + host() + " (bridge " + bridge + ")";
    }

    private void configure(int n) {
        String subnet = "172.31." + n;
        String registry = TestEnv.registry();
        String port = registry.substring(registry.lastIndexOf(':') + 1);
        try {
            Files.createDirectories(dir.resolve("networks"));
            Files.writeString(dir.resolve("containers.conf"), """
                    [containers]
                    # Podman's default ulimits cannot be set here: without this every container fails to start.
                    default_ulimits = []

                    [engine]
                    # No systemd on CI: cgroups by cgroupfs, events in a file of its own.
                    cgroup_manager = "cgroupfs"
                    events_logger = "file"
                    events_logfile_path = "%1$s/events.log"

                    [network]
                    network_backend = "netavark"
                    network_config_dir = "%1$s/networks"
                    default_subnet_pools = [{"base" = "%2$s.128/25", "size" = 28}]
                    """.formatted(dir, subnet));
            // The default network, written down so that it is a bridge of its own rather than podman0 on 10.88.0.0/16.
            Files.writeString(dir.resolve("networks").resolve("podman.json"), """
                    {
                      "name": "podman",
                      "id": "2f259bab93aaaaa2542ba43ef33eb990d0999ee1b9924b557b7be53c0b7a1bb9",
                      "driver": "bridge",
                      "network_interface": "%s",
                      "created": "2026-01-01T00:00:00Z",
                      "subnets": [{"subnet": "%s.0/25", "gateway": "%s.1"}],
                      "ipv6_enabled": false,
                      "internal": false,
                      "dns_enabled": false,
                      "ipam_options": {"driver": "host-local"}
                    }
                    """.formatted(bridge, subnet, subnet));
            Files.writeString(dir.resolve("registries.conf"), """
                    unqualified-search-registries = []

                    [[registry]]
                    location = "127.0.0.1:%1$s"
                    insecure = true

                    [[registry]]
                    location = "localhost:%1$s"
                    insecure = true
                    """.formatted(port));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<String> podmanArgs(List<String> command) {
        List<String> args = new ArrayList<>(List.of(podman,
                "--root", dir.resolve("root").toString(),
                "--runroot", dir.resolve("run").toString(),
                "--tmpdir", dir.resolve("tmp").toString(),
                "--storage-driver", "overlay"));
        args.addAll(command);
        return args;
    }

    private Map<String, String> podmanEnv() {
        Map<String, String> env = new HashMap<>();
        env.put("CONTAINERS_CONF", dir.resolve("containers.conf").toString());
        env.put("CONTAINERS_REGISTRIES_CONF", dir.resolve("registries.conf").toString());
        return env;
    }

    private void startService() {
        List<String> command = podmanArgs(List.of("system", "service", "--time=0", host().toString()));
        try {
            Files.writeString(log(), "--- " + String.join(" ", command) + "\n", StandardCharsets.UTF_8);
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            builder.environment().putAll(podmanEnv());
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + podman, e);
        }
        Process started = process;
        try {
            Awaitility.await().atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(100))
                    .until(() -> !started.isAlive() || answers());
        } catch (ConditionTimeoutException timedOut) {
            // reported below
        }
        if (!started.isAlive() || !answers()) {
            String log = ChildProcess.logText(log());
            stopService();
            throw new IllegalStateException("the test Podman did not answer within " + START_TIMEOUT.toSeconds() + " s; its log ("
                    + log() + "):\n" + log);
        }
    }

    private void removeContainers() {
        if (process == null || !process.isAlive()) {
            return;
        }
        try {
            for (Container c : docker.listContainersCmd().withShowAll(true).exec()) {
                try {
                    docker.removeContainerCmd(c.getId()).withForce(true).withRemoveVolumes(true).exec();
                } catch (NotFoundException gone) {
                    // fine
                }
            }
        } catch (RuntimeException e) {
            // the command line below tries again
        }
    }

    private synchronized void stopService() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        process = null;
    }

    private void podmanCommand(List<String> command) {
        try {
            ProcessBuilder builder = new ProcessBuilder(podmanArgs(command)).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()));
            builder.environment().putAll(podmanEnv());
            Process p = builder.start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        } catch (IOException e) {
            // its folder goes anyway
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Root and podman, or a failure that says how to get them. */
    private static String requireSetup() {
        String problem = null;
        if (!isRoot()) {
            problem = "the Podman tests start a Podman service of their own, which needs root";
        }
        String podman = PODMAN.stream().filter(p -> Files.isExecutable(Path.of(p))).findFirst().orElse(null);
        if (problem == null && podman == null) {
            problem = "the Podman tests start a Podman service of their own, and podman is missing";
        }
        if (problem == null && run(List.of("ip", "-V")) != 0) {
            problem = "the Podman tests check its bridge with `ip` (iproute2), which is missing";
        }
        if (problem != null) {
            throw new IllegalStateException(problem + ": run the tests as root with `" + TestEnv.SETUP_COMMAND
                    + "`, which installs what is missing");
        }
        return podman;
    }


    /** An N in 100..249 whose 172.31.N.0/24 no address or route of this machine uses, and whose rd-pm<N> is free. */
    private static int freeSubnet() {
        String addresses = capture(List.of("ip", "-o", "addr")) + capture(List.of("ip", "route"));
        String links = capture(List.of("ip", "-o", "link"));
        for (int attempt = 0; attempt < 50; attempt++) {
            int n = ThreadLocalRandom.current().nextInt(100, 250);
            if (!addresses.contains("172.31." + n + ".") && !links.contains("rd-pm" + n + ":")) {
                return n;
            }
        }
        throw new IllegalStateException("no free 172.31.N.0/24 for the test Podman's network");
    }

}
