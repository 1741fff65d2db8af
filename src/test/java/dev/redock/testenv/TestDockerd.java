package dev.redock.testenv;

import static dev.redock.testenv.HostCommands.capture;
import static dev.redock.testenv.HostCommands.deleteTree;
import static dev.redock.testenv.HostCommands.isRoot;
import static dev.redock.testenv.HostCommands.run;
import static dev.redock.testenv.HostCommands.unmountUnder;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.PullImageResultCallback;
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
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A Docker engine of the tests' own, for the cases that stop or restart the engine: never the user's.
 *
 * <p>It runs beside the user's engine with everything of its own: socket, data root, exec root (with the containerd it
 * starts itself), pid file, an empty daemon configuration, and a bridge made for it ({@code rd-br<N>}, 172.30.N.1/24). The
 * host's {@code docker0} is never named: a second engine run with {@code --bridge none} once made it disappear (see the
 * environment notes), so this one gets a bridge of its own and no iptables rules. It never touches
 * {@code /var/run/docker.sock} or {@code /var/lib/docker}.
 *
 * <pre>{@code
 * try (TestDockerd engine = TestDockerd.start()) {
 *     engine.pull(TestEnv.registry() + "/app/web:1");   // images come from the test registry
 *     engine.restart();                                  // containers and their restart policies persist
 * }                                                      // its containers, volumes and images go with its folder
 * }</pre>
 *
 * <p>{@link #startWithTls} also has it listen on {@code tcp://127.0.0.1:<free port>} with {@code --tlsverify}: only clients
 * whose certificate the given CA signed get in (see {@link TestCertificates}).
 *
 * <p>It needs root and {@code dockerd} (CI has both); without them it fails, naming the setup command.
 */
public final class TestDockerd implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(90);
    /** How long the engine gives a container without a stop timeout of its own when it shuts down. */
    private static final int SHUTDOWN_TIMEOUT_SECONDS = 5;

    private final Path dir;
    private final String bridge;
    private final String dockerd;
    /** The CA, certificate and key of the TLS listener, or null for none. */
    private final List<Path> tls;
    private final int tlsPort;
    private final DockerClient docker;
    private final Thread shutdownHook;
    private Process process;
    private int starts;
    private boolean closed;

    private TestDockerd(Path dir, String bridge, String dockerd, List<Path> tls) {
        this.dir = dir;
        this.bridge = bridge;
        this.dockerd = dockerd;
        this.tls = tls;
        this.tlsPort = tls == null ? -1 : TestImages.freePort();
        DefaultDockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(host().toString())
                .build();
        this.docker = DockerClientImpl.getInstance(config, new ApacheDockerHttpClient.Builder()
                .dockerHost(host())
                .connectionTimeout(Duration.ofSeconds(5))
                .responseTimeout(Duration.ofSeconds(120))
                .maxConnections(16)
                .build());
        this.shutdownHook = new Thread(this::close, "test-dockerd-stop");
    }

    /** Makes the folders and the bridge, starts the engine and waits until it answers. */
    public static TestDockerd start() {
        return start(null);
    }

    /**
     * As {@link #start()}, and the engine also listens on {@link #tlsHost()}, verifying clients against {@code caCert}
     * ({@code --tlsverify}) and showing them {@code serverCert}.
     */
    public static TestDockerd startWithTls(Path caCert, Path serverCert, Path serverKey) {
        return start(List.of(caCert.toAbsolutePath(), serverCert.toAbsolutePath(), serverKey.toAbsolutePath()));
    }

    private static TestDockerd start(List<Path> tls) {
        String dockerd = requireSetup();
        Path dir;
        try {
            // Short: the engine's and containerd's unix sockets live under it, and their paths are limited to 107 bytes.
            dir = Files.createTempDirectory(Path.of("/tmp"), "rdd");
            Files.writeString(dir.resolve("daemon.json"), "{}\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String bridge = makeBridge();
        TestDockerd engine = new TestDockerd(dir, bridge, dockerd, tls);
        Runtime.getRuntime().addShutdownHook(engine.shutdownHook);
        try {
            engine.startEngine();
        } catch (RuntimeException e) {
            engine.close();
            throw e;
        }
        return engine;
    }

    /** {@code unix://<dir>/docker.sock}: what {@code DOCKER_HOST} says to reach this engine. */
    public URI host() {
        return URI.create("unix://" + dir.resolve("docker.sock"));
    }

    /** {@code tcp://127.0.0.1:<port>}: where the engine listens with TLS (only when started {@link #startWithTls}). */
    public URI tlsHost() {
        if (tls == null) {
            throw new IllegalStateException("this test engine was started without TLS");
        }
        return URI.create("tcp://127.0.0.1:" + tlsPort);
    }

    /** A client of this engine; it keeps working across {@link #restart()}. Do not close it. */
    public DockerClient docker() {
        return docker;
    }

    /** The engine's own log. */
    public Path log() {
        return dir.resolve("dockerd.log");
    }

    /** The bridge made for this engine ({@code rd-br<N>}). */
    public String bridge() {
        return bridge;
    }

    public synchronized boolean running() {
        return process != null && process.isAlive();
    }

    /** Whether the engine answers a ping right now. */
    public boolean answers() {
        try {
            docker.pingCmd().exec();
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Starts the engine again on the same folders (after {@link #stop()}) and waits until it answers. */
    public synchronized void startAgain() {
        if (running()) {
            throw new IllegalStateException("the test engine already runs");
        }
        startEngine();
    }

    /**
     * Stops the engine as a system shutdown would (SIGTERM) and waits until it and its containerd have exited. The engine
     * stops its containers first, each within its stop timeout.
     */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        long containerd = containerdPid();
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
        // Its containerd ends after it; a new engine on these folders would otherwise find the old one still going.
        if (containerd > 0) {
            ProcessHandle.of(containerd).ifPresent(p -> {
                try {
                    p.onExit().get(30, TimeUnit.SECONDS);
                } catch (Exception e) {
                    p.destroyForcibly();
                }
            });
        }
    }

    /** Stops the engine and starts it again on the same folders: containers and their restart policies persist. */
    public synchronized void restart() {
        stop();
        startEngine();
    }

    /**
     * Pulls an image into this engine (from the test registry: a loopback registry, which the engine allows without TLS).
     */
    public void pull(String reference) {
        try {
            docker.pullImageCmd(reference).exec(new PullImageResultCallback()).awaitCompletion(120, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while pulling " + reference, e);
        }
    }

    /**
     * Removes every container (with its volumes) and every volume: the state a case leaves behind, so that the next one
     * starts on an empty engine. Images stay, so that they are not pulled again. Only for this engine: it is the tests'.
     */
    public void removeContainersAndVolumes() {
        for (Container c : docker.listContainersCmd().withShowAll(true).exec()) {
            try {
                docker.removeContainerCmd(c.getId()).withForce(true).withRemoveVolumes(true).exec();
            } catch (NotFoundException gone) {
                // fine
            }
        }
        var volumes = docker.listVolumesCmd().exec().getVolumes();
        for (var v : volumes == null ? List.<com.github.dockerjava.api.command.InspectVolumeResponse>of() : volumes) {
            try {
                docker.removeVolumeCmd(v.getName()).exec();
            } catch (NotFoundException gone) {
                // fine
            }
        }
    }

    /** Stops the engine, removes its folders (its containers, volumes and images with them) and its bridge. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            stop();
        } finally {
            unmountUnder(dir);
            deleteTree(dir);
            run(List.of("ip", "link", "del", bridge));
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException shuttingDown) {
                // closing from the hook itself
            }
        }
    }

    @Override
    public String toString() {
        return "test engine " + host() + " (bridge " + bridge + ")";
    }

    private void startEngine() {
        starts++;
        List<String> command = new ArrayList<>(List.of(dockerd,
                "--host", host().toString(),
                "--data-root", dir.resolve("data").toString(),
                "--exec-root", dir.resolve("x").toString(),
                "--pidfile", dir.resolve("dockerd.pid").toString(),
                "--config-file", dir.resolve("daemon.json").toString(),
                "--bridge", bridge,
                "--iptables=false",
                "--ip6tables=false",
                "--shutdown-timeout", Integer.toString(SHUTDOWN_TIMEOUT_SECONDS)));
        if (tls != null) {
            command.addAll(List.of("--host", tlsHost().toString(), "--tlsverify", "--tlscacert", tls.get(0).toString(),
                    "--tlscert", tls.get(1).toString(), "--tlskey", tls.get(2).toString()));
        }
        try {
            Files.writeString(log(), "--- start " + starts + ": " + String.join(" ", command) + "\n", StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + dockerd, e);
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
            stop();
            throw new IllegalStateException("the test engine did not answer within " + START_TIMEOUT.toSeconds() + " s; its log ("
                    + log() + "):\n" + tail(log, 40));
        }
    }

    private long containerdPid() {
        try {
            return Long.parseLong(Files.readString(dir.resolve("x").resolve("containerd").resolve("containerd.pid")).strip());
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    /** Root and dockerd, or a failure that says how to get them. */
    private static String requireSetup() {
        String problem = null;
        if (!isRoot()) {
            problem = "the tests that stop and restart a Docker engine start one of their own, which needs root";
        }
        String dockerd = Stream.of("/usr/sbin/dockerd", "/usr/bin/dockerd", "/usr/local/bin/dockerd")
                .filter(p -> Files.isExecutable(Path.of(p)))
                .findFirst().orElse(null);
        if (problem == null && dockerd == null) {
            problem = "the tests that stop and restart a Docker engine start one of their own, and dockerd is missing";
        }
        if (problem == null && run(List.of("ip", "-V")) != 0) {
            problem = "the tests that stop and restart a Docker engine give it a bridge of its own, and `ip` (iproute2) is missing";
        }
        if (problem != null) {
            throw new IllegalStateException(problem + ": run the tests as root with `" + TestEnv.SETUP_COMMAND
                    + "`, which installs and starts what is missing");
        }
        return dockerd;
    }


    /**
     * A bridge of the engine's own: {@code rd-br<N>} with 172.30.N.1/24, N picked among those free (another run, or
     * another engineer's engine on this machine, may hold some).
     */
    private static String makeBridge() {
        for (int attempt = 0; attempt < 20; attempt++) {
            int n = ThreadLocalRandom.current().nextInt(100, 250);
            String name = "rd-br" + n;
            String subnet = "172.30." + n + ".";
            if (capture(List.of("ip", "-o", "addr")).contains(subnet) || capture(List.of("ip", "route")).contains(subnet)) {
                continue;
            }
            if (run(List.of("ip", "link", "add", name, "type", "bridge")) != 0) {
                continue; // taken meanwhile
            }
            if (run(List.of("ip", "addr", "add", subnet + "1/24", "dev", name)) == 0
                    && run(List.of("ip", "link", "set", name, "up")) == 0) {
                return name;
            }
            run(List.of("ip", "link", "del", name));
        }
        throw new IllegalStateException("could not make a bridge rd-br<N> with a free 172.30.N.0/24 for the test engine");
    }

    private static String tail(String text, int lines) {
        List<String> all = text.lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }
}
