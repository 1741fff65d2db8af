package dev.redock.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import dev.redock.Main;
import dev.redock.app.Redock;
import dev.redock.model.ContainerSpec;
import dev.redock.model.Durations;
import dev.redock.model.ImageRef;
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
 * Redock at scale: an agent (a process of its own, as users run it, with a small heap) following {@value ScaleSetup#SERVICES}
 * services over {@value ScaleSetup#TAGS} distinct tags ({@link ScaleSetup}) on the test registry behind a proxy that answers
 * each request 50 ms later, as a registry across the internet does. Prints, on lines starting with {@code [bench]}:
 *
 * <ul>
 *   <li>the agent's CPU at rest (nothing to deploy), from {@code /proc/<pid>/stat} over a minute, as a share of one core,
 *   and its resident memory, polling every 10 s;</li>
 *   <li>how long its poll cycles take;</li>
 *   <li>from a push to the new version serving, polling every 2 s, for one service with a container among the others.</li>
 * </ul>
 *
 * <p>Not a test: its name matches no test pattern, so only the README's benchmark command runs it. System properties
 * change its figures: {@code bench.services}, {@code bench.tags}, {@code bench.delay.ms} (the registry's answer time),
 * {@code bench.warmup.s} (how long the agent runs before its CPU is measured, default 300) and {@code bench.jvm} (the
 * agent's JVM options, default {@code -Xmx128m -XX:+UseSerialGC}).
 */
@ExtendWith(DockerTest.class)
class ScaleBenchmark {

    private static final int SERVICES = Integer.getInteger("bench.services", ScaleSetup.SERVICES);
    private static final int TAGS = Integer.getInteger("bench.tags", ScaleSetup.TAGS);
    private static final Duration DELAY = Duration.ofMillis(Long.getLong("bench.delay.ms", 50));
    private static final List<String> JVM = Arrays.asList(System.getProperty("bench.jvm", "-Xmx128m -XX:+UseSerialGC").split("\\s+"));
    private static final Duration REST_INTERVAL = Duration.ofSeconds(10);
    private static final Duration PUSH_INTERVAL = Duration.ofSeconds(2);
    /** Long enough for the JIT's second compiler to settle: it keeps compiling for the first few minutes. */
    private static final Duration WARM_UP = Duration.ofSeconds(Long.getLong("bench.warmup.s", 300));
    private static final Duration MEASURED = Duration.ofSeconds(60);
    private static final int PUSHES = 5;
    private static final Pattern CYCLE = Pattern.compile("Poll cycle: (\\d+) checked, .* in (\\d+) ms");

    @TempDir
    Path home;

    @Test
    void anAgentFollowingManyServicesAtRest() throws Exception {
        try (SlowRegistry slow = SlowRegistry.start(TestEnv.registry(), DELAY)) {
            ScaleSetup.create(home, TestEnv.registry(), slow.address(), TestEnv.uniqueName("scale"), SERVICES, TAGS);
            try (Agent agent = Agent.start(home, REST_INTERVAL)) {
                agent.awaitCycles(1, Duration.ofMinutes(2));
                Thread.sleep(WARM_UP.toMillis());
                int cyclesBefore = agent.cycles().size();
                long cpuBefore = agent.cpuTicks();
                Map<String, Long> threadsBefore = agent.threadTicks();
                long measuredFrom = System.nanoTime();
                Thread.sleep(MEASURED.toMillis());
                long cpu = agent.cpuTicks() - cpuBefore;
                Map<String, Long> threads = agent.threadTicks();
                threadsBefore.forEach((name, ticks) -> threads.merge(name, -ticks, Long::sum));
                double seconds = (System.nanoTime() - measuredFrom) / 1e9;
                long rss = agent.residentKb();
                List<Cycle> measured = agent.cycles().subList(cyclesBefore, agent.cycles().size());
                assertThat(measured).as("cycles while measuring").isNotEmpty();
                assertThat(measured).allSatisfy(c -> assertThat(c.checked()).isEqualTo(TAGS));

                String what = SERVICES + " services over " + TAGS + " tags, polling every " + REST_INTERVAL.toSeconds()
                        + " s, registry answering in " + DELAY.toMillis() + " ms, " + String.join(" ", JVM);
                print("agent CPU at rest: %.2f %% of a core over %.0f s (%s)", 100.0 * cpu / clockTicks() / seconds, seconds, what);
                print("agent resident memory: %d MB (%s)", rss / 1024, what);
                long ticks = clockTicks();
                print("agent CPU by thread: %s", threads.entrySet().stream().filter(e -> e.getValue() > 0)
                        .sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(10)
                        .map(e -> String.format(Locale.ROOT, "%s %.2f %%", e.getKey(), 100.0 * e.getValue() / ticks / seconds))
                        .collect(java.util.stream.Collectors.joining(", ")));
                List<Long> millis = new ArrayList<>(measured.stream().map(Cycle::millis).toList());
                Collections.sort(millis);
                print("poll cycle: median %d ms, max %d ms, %d cycles of %d tags (%s)", millis.get(millis.size() / 2),
                        millis.get(millis.size() - 1), millis.size(), TAGS, what);
            }
        }
    }

    @Test
    void aPushToTheNewVersionServingAmongManyServices() throws Exception {
        try (SlowRegistry slow = SlowRegistry.start(TestEnv.registry(), DELAY)) {
            ScaleSetup.create(home, TestEnv.registry(), slow.address(), TestEnv.uniqueName("scale"), SERVICES - 1, TAGS - 1);
            String repo = TestEnv.uniqueName("scale/web");
            TestImages.push(TestImages.webImage("push 0"), repo + ":stable");
            int port = TestImages.freePort();
            String name = TestEnv.uniqueName("web");
            try (Redock redock = Redocks.open(home)) {
                ContainerSpec spec = new ContainerSpec(List.of(new PortBinding("127.0.0.1", port, 80, "tcp")), Map.of(), null,
                        null, null, Map.of(), null, 1);
                Service web = redock.services().launch(new LaunchRequest(name,
                        ImageRef.parse(slow.address() + "/" + repo + ":stable"), spec, true), null);
                assertThat(web.autoredeploy()).isTrue();
            }
            assertThat(TestImages.httpGet(port)).contains("push 0");
            List<Long> millis = new ArrayList<>();
            try (Agent agent = Agent.start(home, PUSH_INTERVAL)) {
                agent.awaitCycles(2, Duration.ofMinutes(2));
                for (int i = 1; i <= PUSHES; i++) {
                    String content = "push " + i;
                    String local = TestImages.webImage(content);
                    TestImages.push(local, repo + ":stable");
                    long pushed = System.nanoTime();
                    await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(20))
                            .until(() -> content.equals(strip(TestImages.httpGet(port))));
                    millis.add((System.nanoTime() - pushed) / 1_000_000);
                }
            } finally {
                // The agent's deployments made containers without the test run's label: removed with the service.
                try (Redock redock = Redocks.open(home)) {
                    redock.services().remove(name, false);
                }
            }
            Collections.sort(millis);
            print("a push to the new version serving, polling every %d s among %d services over %d tags: median %d ms, max %d ms"
                            + " (%d pushes; the goal is the interval + 3 s = %d ms)", PUSH_INTERVAL.toSeconds(), SERVICES, TAGS,
                    millis.get(millis.size() / 2), millis.get(millis.size() - 1), PUSHES, PUSH_INTERVAL.toMillis() + 3000);
        }
    }

    private static String strip(String s) {
        return s == null ? null : s.strip();
    }

    private static void print(String format, Object... args) {
        System.out.println("[bench] " + String.format(Locale.ROOT, format, args));
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

        private Agent(Process process, Path log) {
            this.process = process;
            this.log = log;
        }

        static Agent start(Path home, Duration interval) throws IOException {
            Path logs = home.resolve("bench-logs");
            Files.createDirectories(logs);
            Path config = logs.resolve("logback.xml");
            Files.writeString(config, """
                    <configuration>
                      <appender name="FILE" class="ch.qos.logback.core.FileAppender">
                        <file>%s</file>
                        <encoder><pattern>%%d{HH:mm:ss.SSS} %%-5level [%%thread] %%logger{24} - %%msg%%n</pattern></encoder>
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
            return new Agent(process, logs.resolve("agent.log"));
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

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
