package dev.redock.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.EventType;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import dev.redock.Main;
import dev.redock.app.Redock;
import dev.redock.deploy.Deployer;
import dev.redock.model.ContainerSpec;
import dev.redock.model.Durations;
import dev.redock.model.ImageRef;
import dev.redock.model.Labels;
import dev.redock.model.PortBinding;
import dev.redock.model.Service;
import dev.redock.service.LaunchRequest;
import dev.redock.testenv.DockerTest;
import dev.redock.testenv.Redocks;
import dev.redock.testenv.TestEnv;
import dev.redock.testenv.TestImages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Redock's agent at rest and at work, following many services: an agent (a process of its own, as users run it, with a
 * small heap) per count of followed services ({@link ScaleSetup}: four services per distinct tag) on the test registry
 * behind a proxy that answers each request 50 ms later, as a registry across the internet does. Prints, on lines starting
 * with {@code [bench]}, each figure beside its goal:
 *
 * <ul>
 *   <li>each agent's CPU at rest (nothing to deploy), from {@code /proc/<pid>/stat} over a minute, as a share of one core,
 *   its resident memory and how long its poll cycles take, polling every 10 s: the agents of all counts run side by side
 *   and are measured over the same minute, after the same warm-up;</li>
 *   <li>for each count, one after another, from a push to the new version serving, polling every 2 s, for one service with
 *   a container among the others (one service alone at count 0): five pushes after one that warms the agent's deployment
 *   code up, each once the one before is recorded, and where each push's time went.</li>
 * </ul>
 *
 * <p>Not a test: its name matches no test pattern, so only the README's benchmark commands run it. System properties
 * change its figures: {@code bench.services} (the counts, comma-separated, default {@code 1000}), {@code bench.tags} (the
 * distinct tags, default a quarter of the services), {@code bench.delay.ms} (the registry's answer time),
 * {@code bench.warmup.s} (how long the agents run before their CPU is measured, default 300) and {@code bench.jvm} (the
 * agents' JVM options, default {@code -Xmx128m -XX:+UseSerialGC}).
 */
@ExtendWith(DockerTest.class)
@TestMethodOrder(MethodOrderer.MethodName.class)
class ScaleBenchmark {

    private static final List<Integer> COUNTS = Arrays.stream(System.getProperty("bench.services",
            String.valueOf(ScaleSetup.SERVICES)).split(",")).map(String::strip).map(Integer::valueOf).toList();
    private static final Integer TAGS = Integer.getInteger("bench.tags");
    private static final Duration DELAY = Duration.ofMillis(Long.getLong("bench.delay.ms", 50));
    private static final List<String> JVM = Arrays.asList(System.getProperty("bench.jvm", "-Xmx128m -XX:+UseSerialGC").split("\\s+"));
    private static final Duration REST_INTERVAL = Duration.ofSeconds(10);
    private static final Duration PUSH_INTERVAL = Duration.ofSeconds(2);
    /** Long enough for the JIT's second compiler to settle: it keeps compiling for the first few minutes. */
    private static final Duration WARM_UP = Duration.ofSeconds(Long.getLong("bench.warmup.s", 300));
    private static final Duration MEASURED = Duration.ofSeconds(60);
    private static final int PUSHES = 5;
    private static final Pattern CYCLE = Pattern.compile("Poll cycle: (\\d+) checked, .* in (\\d+) ms");
    private static final Pattern STAMP = Pattern.compile("^(\\S+) ");

    @TempDir
    Path home;

    /** The distinct tags {@code services} services follow: as told, or one per four services. */
    private static int tagsFor(int services) {
        if (services == 0) {
            return 0;
        }
        return TAGS != null ? Math.min(TAGS, services) : Math.max(1, services * ScaleSetup.TAGS / ScaleSetup.SERVICES);
    }

    /** "0 services followed", "1 service followed over 1 tag", "100 services followed over 25 tags". */
    private static String followed(int services, int tags) {
        if (services == 0) {
            return "0 services followed";
        }
        return services + (services == 1 ? " service" : " services") + " followed over " + tags + (tags == 1 ? " tag" : " tags");
    }

    private static String setting() {
        return "registry answering in " + DELAY.toMillis() + " ms, " + String.join(" ", JVM);
    }

    @Test
    void anAgentAtRestPerCount() throws Exception {
        try (SlowRegistry slow = SlowRegistry.start(TestEnv.registry(), DELAY)) {
            List<Agent> agents = new ArrayList<>();
            try {
                for (int count : COUNTS) {
                    Path data = home.resolve("rest-" + count);
                    ScaleSetup.create(data, TestEnv.registry(), slow.address(), TestEnv.uniqueName("scale"), count,
                            tagsFor(count));
                    agents.add(Agent.start(data, REST_INTERVAL, "rest-" + count));
                }
                for (Agent agent : agents) {
                    agent.awaitCycles(1, Duration.ofMinutes(2));
                }
                Thread.sleep(WARM_UP.toMillis());
                List<Integer> cyclesBefore = new ArrayList<>();
                List<Long> cpuBefore = new ArrayList<>();
                List<Map<String, Long>> threadsBefore = new ArrayList<>();
                for (Agent agent : agents) {
                    cyclesBefore.add(agent.cycles().size());
                    cpuBefore.add(agent.cpuTicks());
                    threadsBefore.add(agent.threadTicks());
                }
                long measuredFrom = System.nanoTime();
                Thread.sleep(MEASURED.toMillis());
                long ticks = clockTicks();
                String side = agents.size() == 1 ? "" : ", " + agents.size() + " agents side by side";
                for (int i = 0; i < agents.size(); i++) {
                    Agent agent = agents.get(i);
                    int count = COUNTS.get(i);
                    int tags = tagsFor(count);
                    long cpu = agent.cpuTicks() - cpuBefore.get(i);
                    Map<String, Long> threads = agent.threadTicks();
                    threadsBefore.get(i).forEach((name, t) -> threads.merge(name, -t, Long::sum));
                    double seconds = (System.nanoTime() - measuredFrom) / 1e9;
                    List<Cycle> measured = agent.cycles().subList(cyclesBefore.get(i), agent.cycles().size());
                    assertThat(measured).as("cycles while measuring").isNotEmpty();
                    assertThat(measured).allSatisfy(c -> assertThat(c.checked()).isEqualTo(tags));

                    String what = followed(count, tags) + ", polling every "
                            + REST_INTERVAL.toSeconds() + " s";
                    String how = String.format(Locale.ROOT, "over %.0f s after %d s%s, %s", seconds, WARM_UP.toSeconds(),
                            side, setting());
                    Bench.row("agent CPU at rest, " + what, String.format(Locale.ROOT, "%.2f %% of a core (%s)",
                            100.0 * cpu / ticks / seconds, how), "under 2 % at 1,000 services");
                    Bench.row("agent resident memory, " + what, agent.residentKb() / 1024 + " MB (" + setting() + ")",
                            "under 300 MB at 1,000 services");
                    Bench.print("agent CPU by thread, " + followed(count, tags) + ": " + threads.entrySet().stream()
                            .filter(e -> e.getValue() > 0)
                            .sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(8)
                            .map(e -> String.format(Locale.ROOT, "%s %.2f %%", e.getKey(), 100.0 * e.getValue() / ticks / seconds))
                            .collect(Collectors.joining(", ")));
                    List<Long> millis = new ArrayList<>(measured.stream().map(Cycle::millis).toList());
                    Collections.sort(millis);
                    Bench.row("poll cycle, " + what, String.format(Locale.ROOT, "median %d ms, max %d ms (%d cycles, %s)",
                            millis.get(millis.size() / 2), millis.get(millis.size() - 1), millis.size(), setting()),
                            "under one interval (" + REST_INTERVAL.toSeconds() + " s)");
                }
            } finally {
                for (Agent agent : agents) {
                    try {
                        agent.close();
                    } catch (IOException e) {
                        System.err.println("Could not keep the agent's log: " + e);
                    }
                }
            }
        }
    }

    @Test
    void aPushToTheNewVersionServingPerCount() throws Exception {
        for (int count : COUNTS) {
            aPushToTheNewVersionServing(Math.max(1, count));
        }
    }

    /** Five pushes to the tag of one service with a container among {@code services - 1} others that only follow tags. */
    private void aPushToTheNewVersionServing(int services) throws Exception {
        Path data = home.resolve("push-" + services);
        int others = services - 1;
        int otherTags = others == 0 ? 0 : Math.max(1, tagsFor(services) - 1);
        try (SlowRegistry slow = SlowRegistry.start(TestEnv.registry(), DELAY)) {
            ScaleSetup.create(data, TestEnv.registry(), slow.address(), TestEnv.uniqueName("scale"), others, otherTags);
            String repo = TestEnv.uniqueName("scale/web");
            TestImages.push(TestImages.webImage("launched"), repo + ":stable");
            int port = TestImages.freePort();
            String name = TestEnv.uniqueName("web");
            Service web;
            try (Redock redock = Redocks.open(data)) {
                ContainerSpec spec = new ContainerSpec(List.of(new PortBinding("127.0.0.1", port, 80, "tcp")), Map.of(), null,
                        null, null, Map.of(), null, 1);
                web = redock.services().launch(new LaunchRequest(name,
                        ImageRef.parse(slow.address() + "/" + repo + ":stable"), spec, true), null);
                assertThat(web.autoredeploy()).isTrue();
            }
            assertThat(TestImages.httpGet(port)).contains("launched");
            List<Long> millis = new ArrayList<>();
            try (Timeline timeline = Timeline.follow(web.id().toString(), repo);
                 Agent agent = Agent.start(data, PUSH_INTERVAL, "push-" + services)) {
                agent.awaitCycles(2, Duration.ofMinutes(2));
                // Push 0 warms the agent's deployment code up (its first deployment loads classes no poll used): not counted.
                for (int i = 0; i <= PUSHES; i++) {
                    String content = "push " + i;
                    String local = TestImages.webImage(content);
                    long pushing = System.currentTimeMillis();
                    String digest = TestImages.push(local, repo + ":stable");
                    long pushed = System.currentTimeMillis();
                    long pushedNanos = System.nanoTime();
                    await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(20))
                            .until(() -> content.equals(strip(TestImages.httpGet(port))));
                    long took = (System.nanoTime() - pushedNanos) / 1_000_000;
                    if (i > 0) {
                        millis.add(took);
                    }
                    Bench.print(String.format(Locale.ROOT, "push %d%s, %s: %s, serving +%d ms", i,
                            i == 0 ? " (warm-up, not counted)" : "", followed(services, otherTags + 1),
                            timeline.since(pushing, pushed, agent.movedAt(digest)), took));
                    // The next push once this deployment is recorded (its minimum uptime passed), as pushes are spaced in
                    // use: one seen during it would wait for it as a follow-up.
                    agent.awaitLine("Deployed " + name + " at " + Deployer.shortDigest(digest), Duration.ofMinutes(2));
                }
            } finally {
                // The agent's deployments made containers without the test run's label: removed with the service.
                try (Redock redock = Redocks.open(data)) {
                    redock.services().remove(name, false);
                }
            }
            Collections.sort(millis);
            long goal = PUSH_INTERVAL.toMillis() + 3000;
            Bench.row("a push to the new version serving, polling every " + PUSH_INTERVAL.toSeconds() + " s, "
                            + followed(services, otherTags + 1),
                    String.format(Locale.ROOT, "median %s, max %s (%d pushes, %s)", Bench.seconds(millis.get(millis.size() / 2)),
                            Bench.seconds(millis.get(millis.size() - 1)), PUSHES, setting()),
                    "the interval + 3 s = " + Bench.seconds(goal) + " at any count");
        }
    }

    private static String strip(String s) {
        return s == null ? null : s.strip();
    }

    /** Clock ticks per second, the unit of {@code /proc/<pid>/stat}'s times. */
    private static long clockTicks() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("getconf", "CLK_TCK").start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
        p.waitFor(10, TimeUnit.SECONDS);
        return Long.parseLong(out);
    }

    /** One poll cycle as the agent logged it. */
    private record Cycle(int checked, long millis) {
    }

    /**
     * {@code redock agent} in a JVM of its own on this JVM's class path, with the benchmark's JVM options, logging each poll
     * cycle (the scheduler at DEBUG) into its data folder's log.
     */
    private static final class Agent implements AutoCloseable {
        private final Process process;
        private final Path log;
        private final String label;

        private Agent(Process process, Path log, String label) {
            this.process = process;
            this.log = log;
            this.label = label;
        }

        static Agent start(Path home, Duration interval, String label) throws IOException {
            Path logs = home.resolve("bench-logs");
            Files.createDirectories(logs);
            Path config = logs.resolve("logback.xml");
            Files.writeString(config, """
                    <configuration>
                      <appender name="FILE" class="ch.qos.logback.core.FileAppender">
                        <file>%s</file>
                        <encoder><pattern>%%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %%-5level [%%thread] %%logger{24} - %%msg%%n</pattern></encoder>
                      </appender>
                      <logger name="dev.redock" level="INFO"/>
                      <logger name="dev.redock.schedule.Scheduler" level="DEBUG"/>
                      <logger name="org.flywaydb" level="WARN"/>
                      <logger name="com.github.dockerjava" level="WARN"/>
                      <logger name="org.apache.hc" level="WARN"/>
                      <logger name="org.eclipse.jgit" level="WARN"/>
                      <root level="INFO"><appender-ref ref="FILE"/></root>
                    </configuration>
                    """.formatted(logs.resolve("agent.log")));
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(JVM);
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), "-Dlogback.configurationFile=" + config,
                    Main.class.getName(), "agent", "--interval", Durations.format(interval), "--no-api"));
            ProcessBuilder pb = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectErrorStream(true)
                    .redirectOutput(logs.resolve("agent.out").toFile());
            pb.environment().put("REDOCK_HOME", home.toAbsolutePath().toString());
            pb.environment().put("DOCKER_HOST", TestEnv.dockerHost().toString());
            pb.environment().put("REDOCK_MIN_UPTIME", "1s");
            Process process = pb.start();
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
            return new Agent(process, logs.resolve("agent.log"), label);
        }

        void awaitCycles(int n, Duration within) {
            await("the agent's first cycles").atMost(within).pollInterval(Duration.ofMillis(200)).until(() -> {
                assertThat(process.isAlive()).as("the agent runs").isTrue();
                return cycles().size() >= n;
            });
        }

        List<Cycle> cycles() throws IOException {
            List<Cycle> cycles = new ArrayList<>();
            if (!Files.exists(log)) {
                return cycles;
            }
            for (String line : Files.readAllLines(log)) {
                Matcher m = CYCLE.matcher(line);
                if (m.find()) {
                    cycles.add(new Cycle(Integer.parseInt(m.group(1)), Long.parseLong(m.group(2))));
                }
            }
            return cycles;
        }

        /** When the agent's poll first saw a tag move to this digest (epoch ms); -1 if it did not say. */
        long movedAt(String digest) throws IOException {
            for (String line : Files.readAllLines(log)) {
                Matcher m = STAMP.matcher(line);
                if (line.contains(" moved to " + digest) && m.find()) {
                    return OffsetDateTime.parse(m.group(1)).toInstant().toEpochMilli();
                }
            }
            return -1;
        }

        void awaitLine(String text, Duration within) {
            await(text).atMost(within).pollInterval(Duration.ofMillis(50))
                    .until(() -> Files.exists(log) && Files.readString(log).contains(text));
        }

        /** User and system time so far, in clock ticks. */
        long cpuTicks() throws IOException {
            String stat = Files.readString(Path.of("/proc", String.valueOf(process.pid()), "stat"));
            // The fields after the command's name (in parentheses, which may hold spaces): utime and stime are 14th and 15th.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        }

        /**
         * User and system time so far of each kind of thread, in clock ticks: threads named alike but for a number
         * ({@code redock-check-3}) counted together. Threads that ended are not counted.
         */
        Map<String, Long> threadTicks() throws IOException {
            Map<String, Long> ticks = new java.util.TreeMap<>();
            try (var tasks = Files.list(Path.of("/proc", String.valueOf(process.pid()), "task"))) {
                for (Path task : tasks.toList()) {
                    String stat;
                    try {
                        stat = Files.readString(task.resolve("stat"));
                    } catch (IOException ended) {
                        continue;
                    }
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replaceAll("[-#]?\\d+$", "");
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    ticks.merge(name, Long.parseLong(fields[11]) + Long.parseLong(fields[12]), Long::sum);
                }
            }
            return ticks;
        }

        long residentKb() throws IOException {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
            throw new IllegalStateException("no VmRSS for the agent");
        }

        /** Stops the agent and keeps its log in {@code target/bench-logs/<label>.log}, for a look at where time went. */
        @Override
        public void close() throws InterruptedException, IOException {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            if (Files.exists(log)) {
                Path kept = Path.of("target", "bench-logs");
                Files.createDirectories(kept);
                Files.copy(log, kept.resolve(label + ".log"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    /**
     * The engine's events of one service's containers and of its repository's pulls, followed while the pushes run: where
     * each push's time went, from the push on.
     */
    private static final class Timeline implements AutoCloseable {
        private final List<Event> events = new ArrayList<>();
        private final String service;
        private final String repository;
        private final ResultCallback.Adapter<Event> callback = new ResultCallback.Adapter<>() {
            @Override
            public void onNext(Event event) {
                synchronized (events) {
                    events.add(event);
                }
            }
        };

        private Timeline(String service, String repository) {
            this.service = service;
            this.repository = repository;
        }

        static Timeline follow(String service, String repository) {
            Timeline t = new Timeline(service, repository);
            TestEnv.docker().eventsCmd().withSince(Long.toString(System.currentTimeMillis() / 1000)).exec(t.callback);
            return t;
        }

        /**
         * When, after the push began ({@code pushing}, epoch ms), the agent saw the tag move ({@code moved}, -1 if it did not
         * say), the engine ended the pull, created the new container, stopped the old one and started the new one: each as
         * milliseconds after the push ended ({@code pushed}).
         */
        String since(long pushing, long pushed, long moved) {
            Map<String, Long> first = new java.util.LinkedHashMap<>();
            first.put("tag seen moved", moved < 0 ? null : moved);
            synchronized (events) {
                for (Event e : events) {
                    long at = e.getTimeNano() != null ? e.getTimeNano() / 1_000_000 : e.getTime() * 1000;
                    if (at < pushing) {
                        continue;
                    }
                    Map<String, String> attributes = e.getActor() == null || e.getActor().getAttributes() == null ? Map.of()
                            : e.getActor().getAttributes();
                    String step = null;
                    if (e.getType() == EventType.IMAGE && "pull".equals(e.getAction())
                            && String.valueOf(e.getActor().getId()).contains(repository)) {
                        step = "pulled";
                    } else if (e.getType() == EventType.CONTAINER && service.equals(attributes.get(Labels.SERVICE))) {
                        step = switch (String.valueOf(e.getAction())) {
                            case "create" -> "created";
                            case "kill" -> "old killed";
                            case "stop" -> "old stopped";
                            case "start" -> "started";
                            default -> null;
                        };
                    }
                    if (step != null) {
                        first.putIfAbsent(step, at);
                    }
                }
            }
            return first.entrySet().stream()
                    .map(e -> e.getKey() + (e.getValue() == null ? " ?" : String.format(Locale.ROOT, " %+d", e.getValue() - pushed)))
                    .collect(Collectors.joining(", "));
        }

        @Override
        public void close() throws IOException {
            callback.close();
        }
    }
}
