package dev.redock.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Frame;

import dev.redock.testenv.RedockProcess;
import dev.redock.testenv.TestEnv;
import dev.redock.testenv.TestImages;

/**
 * A Redock service under a fault, and the checks the matrix makes of it, all on the engine itself:
 * <ul>
 * <li>exactly one container carries its label {@code dev.redock.service=<uuid>}, and it runs;</li>
 * <li>serving: its published port answers 200 with the page of the version that container runs;</li>
 * <li>data intact: the file written into its anonymous volume ({@code /data}) before the fault reads the same after.</li>
 * </ul>
 */
final class FaultService {

    static final String SERVICE_LABEL = "dev.redock.service";
    static final String DIGEST_LABEL = "dev.redock.digest";
    private static final ObjectMapper JSON = new ObjectMapper();

    final String name;
    final String id;
    final int port;
    /** {@code <test registry or proxy>/<repository>}: where its tag lives. */
    final String repository;
    final String token;
    private final DockerClient engine;
    /** The container the service was adopted from (it carries no label of Redock's), or null. */
    private final String adoptedFrom;

    private FaultService(String name, String id, int port, String repository, DockerClient engine, String adoptedFrom) {
        this.name = name;
        this.id = id;
        this.port = port;
        this.repository = repository;
        this.engine = engine;
        this.adoptedFrom = adoptedFrom;
        this.token = TestEnv.uniqueName("data");
    }

    /**
     * Pushes {@code first} to a repository of its own, starts a container of it on the engine as {@code docker run} would
     * (a published port, a short stop timeout, the run label, restart unless-stopped), adopts it with
     * {@code redock service adopt}, and writes the data file into its volume.
     */
    static FaultService adopt(RedockProcess.Launcher redock, DockerClient engine, String registry, FaultImages first) {
        String repository = TestEnv.uniqueName("fm") + "/web";
        first.pushTo(repository, "stable");
        String image = registry + "/" + repository + ":stable";
        try {
            engine.pullImageCmd(registry + "/" + repository).withTag("stable").start().awaitCompletion(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        String name = TestEnv.uniqueName("fm");
        int port = TestImages.freePort();
        var exposed = com.github.dockerjava.api.model.ExposedPort.tcp(80);
        var ports = new com.github.dockerjava.api.model.Ports();
        ports.bind(exposed, com.github.dockerjava.api.model.Ports.Binding.bindPort(port));
        String container = engine.createContainerCmd(image).withName(name).withLabels(TestEnv.runLabels())
                .withExposedPorts(exposed).withStopTimeout(2)
                .withHostConfig(com.github.dockerjava.api.model.HostConfig.newHostConfig().withPortBindings(ports)
                        .withRestartPolicy(com.github.dockerjava.api.model.RestartPolicy.unlessStoppedRestart()))
                .exec().getId();
        engine.startContainerCmd(container).exec();
        String id = redock.cli("service", "adopt", name).strip().split(" ")[0];
        FaultService s = new FaultService(name, id, port, repository, engine, container);
        State up = s.await(Duration.ofSeconds(60), st -> st.exactlyOneContainer() && st.serving());
        assertThat(up.serving()).as("%s serves once adopted: %s", name, up).isTrue();
        s.writeData();
        assertThat(s.state().dataIntact()).as("%s holds its data file after writing it", name).isTrue();
        return s;
    }

    /**
     * Pushes {@code first} to a repository of its own, launches a service from it with {@code redock service run} (the
     * given options, a published port, a short stop timeout, the run label), waits until it serves, and writes the data
     * file into its volume.
     *
     * @param registry the registry the service's image names: the test registry, or a proxy in front of it
     */
    static FaultService launch(RedockProcess.Launcher redock, DockerClient engine, String registry, FaultImages first,
                               String... options) {
        String repository = TestEnv.uniqueName("fm") + "/web";
        first.pushTo(repository, "stable");
        String name = TestEnv.uniqueName("fm");
        int port = TestImages.freePort();
        List<String> args = new ArrayList<>(List.of("service", "run", "--name", name, "-p", port + ":80",
                "-l", TestEnv.RUN_LABEL + "=" + TestEnv.runId()));
        args.addAll(List.of(options));
        if (!args.contains("--stop-timeout")) {
            args.addAll(List.of("--stop-timeout", "2"));
        }
        args.add(registry + "/" + repository + ":stable");
        String id = redock.cli(args.toArray(String[]::new)).strip();
        FaultService s = new FaultService(name, id, port, repository, engine, null);
        State up = s.await(Duration.ofSeconds(60), st -> st.exactlyOneContainer() && st.serving());
        assertThat(up.serving()).as("%s serves after its launch: %s", name, up).isTrue();
        s.writeData();
        assertThat(s.state().dataIntact()).as("%s holds its data file after writing it", name).isTrue();
        return s;
    }

    /** Whether this is the container the service was adopted from. */
    boolean wasAdoptedFrom(String containerId) {
        return adoptedFrom != null && adoptedFrom.equals(containerId);
    }

    /** Moves the service's tag to another image; returns its digest. */
    String push(FaultImages image) {
        return image.pushTo(repository, "stable");
    }

    /** The containers carrying the service's label, and the one it was adopted from while it is there; stopped ones too. */
    List<Container> containers() {
        List<Container> all = new ArrayList<>(engine.listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(SERVICE_LABEL, id)).exec());
        if (adoptedFrom != null) {
            all.addAll(engine.listContainersCmd().withShowAll(true).withIdFilter(List.of(adoptedFrom)).exec());
        }
        return all;
    }

    /** What the engine says of the service now. */
    State state() {
        List<Container> all;
        try {
            all = containers();
        } catch (RuntimeException e) {
            return new State(List.of(), 0, null, false, false, "engine does not answer: " + e);
        }
        List<String> described = all.stream().map(FaultService::describe).toList();
        List<Container> running = all.stream().filter(c -> "running".equals(c.getState())).toList();
        if (running.size() != 1) {
            return new State(described, running.size(), null, false, false, null);
        }
        Container c = running.get(0);
        String version = FaultImages.versionOf(c.getLabels().get(DIGEST_LABEL));
        String page = TestImages.httpGet(port);
        if (version == null && wasAdoptedFrom(c.getId())) {
            version = FaultImages.versionServing(page);
        }
        boolean serving = page != null && (version == null ? page.startsWith("redock fault matrix ")
                : page.equals(FaultImages.page(version)));
        boolean data = token.equals(exec(c.getId(), "cat", "/data/marker").strip());
        return new State(described, 1, version, serving, data, null);
    }

    /**
     * Waits until the service is whole again (one container, running, serving, data there) and returns what it is then; or,
     * when it does not get there in time, what it is at the end, for the table and the assertions to say.
     */
    State awaitGood(Duration timeout) {
        return await(timeout, State::good);
    }

    /** As {@link #awaitGood}, and until the version that serves is {@code version}. */
    State awaitGood(String version, Duration timeout) {
        return await(timeout, st -> st.good() && version.equals(st.version()));
    }

    /** Waits until the service's state passes {@code test}; returns the last state seen, whether it passed or not. */
    State await(Duration timeout, java.util.function.Predicate<State> test) {
        State[] last = {null};
        try {
            Awaitility.await().atMost(timeout).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(500))
                    .until(() -> test.test(last[0] = state()));
        } catch (ConditionTimeoutException notThere) {
            // last[0] says how it is
        }
        return last[0];
    }

    /** Writes the data file into the service's anonymous volume, through its running container. */
    void writeData() {
        Container c = containers().stream().filter(x -> "running".equals(x.getState())).findFirst().orElseThrow();
        exec(c.getId(), "sh", "-c", "echo " + token + " > /data/marker");
    }

    /** The service's deployments, newest first, as {@code redock service inspect} prints them. */
    List<JsonNode> history(RedockProcess.Launcher redock) {
        RedockProcess.Result r = redock.run("service", "inspect", name);
        assertThat(r.exit()).as("redock service inspect %s\n%s", name, r).isZero();
        try {
            List<JsonNode> history = new ArrayList<>();
            JSON.readTree(r.out()).path("history").forEach(history::add);
            return history;
        } catch (IOException e) {
            throw new AssertionError("redock service inspect printed no JSON: " + r, e);
        }
    }

    /** One line per deployment: {@code outcome (error)}, newest first. */
    static String describe(List<JsonNode> history) {
        List<String> lines = new ArrayList<>();
        for (JsonNode d : history) {
            String error = d.path("error").asText("");
            lines.add(d.path("outcome").asText() + (error.isEmpty() || "null".equals(error) ? "" : " (" + error + ")"));
        }
        return String.join(" / ", lines);
    }

    private String exec(String containerId, String... command) {
        StringBuilder out = new StringBuilder();
        try {
            String exec = engine.execCreateCmd(containerId).withCmd(command).withAttachStdout(true).withAttachStderr(true)
                    .exec().getId();
            try (var callback = new ResultCallback.Adapter<Frame>() {
                @Override
                public void onNext(Frame frame) {
                    synchronized (out) {
                        out.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
                    }
                }
            }) {
                engine.execStartCmd(exec).exec(callback).awaitCompletion(30, TimeUnit.SECONDS);
            }
        } catch (IOException | RuntimeException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
        synchronized (out) {
            return out.toString();
        }
    }

    private static String describe(Container c) {
        String name = c.getNames() == null || c.getNames().length == 0 ? c.getId() : c.getNames()[0].replaceFirst("^/", "");
        String version = FaultImages.versionOf(c.getLabels().get(DIGEST_LABEL));
        return name + " " + c.getState() + (version == null ? "" : " " + version);
    }

    /**
     * The service as the engine shows it.
     *
     * @param containers every container with its label: {@code name state version}
     * @param running    how many of them run
     * @param version    the version of the one that runs, when exactly one does
     * @param problem    why nothing could be seen (the engine did not answer), or null
     */
    record State(List<String> containers, int running, String version, boolean serving, boolean dataIntact, String problem) {

        /** Whole: exactly one container, running, serving its page, with the data. */
        boolean good() {
            return containers.size() == 1 && running == 1 && serving && dataIntact;
        }

        boolean exactlyOneContainer() {
            return containers.size() == 1 && running == 1;
        }

        @Override
        public String toString() {
            if (problem != null) {
                return problem;
            }
            return containers.size() + " container(s) " + containers + ", " + (serving ? "serving " + version : "not serving")
                    + ", data " + (dataIntact ? "intact" : "missing");
        }
    }
}
