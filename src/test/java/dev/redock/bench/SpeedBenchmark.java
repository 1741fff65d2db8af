package dev.redock.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.github.dockerjava.api.DockerClient;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import dev.redock.app.Redock;
import dev.redock.service.AdoptRequest;
import dev.redock.testenv.DockerTest;
import dev.redock.testenv.Redocks;
import dev.redock.testenv.RedockProcess;
import dev.redock.testenv.TestEnv;
import dev.redock.testenv.TestImages;
import dev.redock.testenv.XDisplay;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Prints the table of "how fast": for each row, Redock's figure beside its reference, measured in the same run on the real
 * engine and registry, and their ratio. The commands are timed as a user's shell runs them: a new process each time, from
 * its start to its exit, with the README's run command ({@code java -XX:SharedArchiveFile=target/redock.jsa -jar
 * target/redock.jar}, the archive {@code mvn package} makes) and, where it has been built, the packaged launcher (which
 * carries a class-data-sharing archive of its own, trained on the window too).
 *
 * <p>Not a test: its name matches no test pattern, so only the README's benchmark command runs it. Each figure is printed on
 * a line starting with {@code [bench]}.
 */
@ExtendWith(DockerTest.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SpeedBenchmark {

    /** How many services the data folder holds, each with a container of its own: the window's row is held to 2 s at 100. */
    static final int SERVICES = Integer.getInteger("redock.bench.services", 100);
    static final Path LAUNCHER = Path.of("target", "packages", "redock", "bin", "redock");

    @TempDir
    static Path home;

    static String image;

    @BeforeAll
    static void servicesWithContainers() throws Exception {
        String repo = TestEnv.uniqueName("bench/list");
        TestImages.push(TestImages.webImage("bench"), repo + ":stable");
        image = TestEnv.registry() + "/" + repo + ":stable";
        DockerClient docker = TestEnv.docker();
        List<String> names = new ArrayList<>();
        for (int i = 1; i <= SERVICES; i++) {
            String name = TestEnv.uniqueName(String.format("bench-%03d", i));
            String id = docker.createContainerCmd(image).withName(name).withLabels(TestEnv.runLabels()).exec().getId();
            docker.startContainerCmd(id).exec();
            names.add(name);
        }
        try (Redock redock = Redocks.open(home)) {
            for (String name : names) {
                redock.services().adoptions().adopt(new AdoptRequest(null, name, null, false));
            }
        }
        Bench.print(SERVICES + " services, each with a running container, on " + TestEnv.dockerHost());
    }

    @AfterAll
    static void stopProcesses() {
        RedockProcess.killAll();
    }

    /** The environment a user's shell gives both tools: the same engine, Redock's data folder. */
    static Map<String, String> env() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("DOCKER_HOST", TestEnv.dockerHost().toString());
        env.put("REDOCK_HOME", home.toAbsolutePath().toString());
        return env;
    }

    /** The class-data-sharing archive that {@code mvn package} makes beside the jar, for the README's run command. */
    static final Path ARCHIVE = RedockProcess.JAR.resolveSibling("redock.jsa");

    /** How the rows name the README's run command. */
    static final String RUN_COMMAND = "java -jar with its archive";

    /** The README's run command: {@code java -XX:SharedArchiveFile=target/redock.jsa -jar target/redock.jar}. */
    static List<String> jar(String... args) {
        return java(List.of("-XX:SharedArchiveFile=" + ARCHIVE.toAbsolutePath()), args);
    }

    /** {@code java -jar target/redock.jar} alone: every class read from the jar. */
    static List<String> bareJar(String... args) {
        return java(List.of(), args);
    }

    /** {@code java OPTIONS... -jar target/redock.jar ARGS...} */
    private static List<String> java(List<String> options, String... args) {
        List<String> command = new ArrayList<>(List.of(Bench.java()));
        command.addAll(options);
        command.addAll(List.of("-jar", RedockProcess.JAR.toAbsolutePath().toString()));
        command.addAll(List.of(args));
        return command;
    }

    static List<String> launcher(String... args) {
        List<String> command = new ArrayList<>(List.of(LAUNCHER.toAbsolutePath().toString()));
        command.addAll(List.of(args));
        return command;
    }

    @Test
    @Order(1)
    void theCliBesideDockerPs() {
        assertThat(RedockProcess.JAR).as("mvn package makes it; run the README's benchmark command").exists();
        assertThat(ARCHIVE).as("mvn package makes it beside the jar (packaging/jar-archive.sh); run the README's benchmark"
                + " command").exists();
        // The archive is mapped (-Xshare:on refuses to start without it), or the rows below would not be the run command's.
        Bench.millis(java(List.of("-Xshare:on", "-XX:SharedArchiveFile=" + ARCHIVE.toAbsolutePath()), "--version"), env());
        long dockerPs = Bench.medianMillis(List.of("docker", "ps"), env());
        Bench.row("`redock --version` (" + RUN_COMMAND + ")", Bench.medianMillis(jar("--version"), env()), "`docker ps`",
                dockerPs, "none named");
        long lsAlone = Bench.medianMillis(jar("service", "ls"), env());
        Bench.row("`redock service ls`, no Redock process running (" + RUN_COMMAND + ")", lsAlone, "`docker ps`", dockerPs,
                "under 1 s");
        Bench.row("`redock service ls`, no Redock process running (java -jar without the archive)",
                Bench.medianMillis(bareJar("service", "ls"), env()), "`docker ps`", dockerPs,
                "none named: what the archive saves");
        boolean packaged = Files.isExecutable(LAUNCHER);
        if (packaged) {
            Bench.row("`redock service ls`, no Redock process running (packaged launcher)",
                    Bench.medianMillis(launcher("service", "ls"), env()), "`docker ps`", dockerPs, "under 1 s");
        }

        RedockProcess agent = RedockProcess.launcher(home, TestEnv.dockerHost())
                .start("agent", "--interval", "60s", "--api-port", "0");
        agent.awaitLine(Pattern.compile("polling every"), Duration.ofSeconds(120));
        try {
            Bench.row("`redock service ls`, an agent running (" + RUN_COMMAND + ")",
                    Bench.medianMillis(jar("service", "ls"), env()), "`docker ps`", dockerPs, "within 6x");
            if (packaged) {
                Bench.row("`redock service ls`, an agent running (packaged launcher)",
                        Bench.medianMillis(launcher("service", "ls"), env()), "`docker ps`", dockerPs, "within 6x");
            }
        } finally {
            agent.sigterm();
            agent.awaitExit(Duration.ofSeconds(60));
        }

        // A process killed while it served the database leaves H2's lock file behind, and its API's address.
        long afterKill = Bench.median(Bench.RUNS, () -> {
            RedockProcess killed = RedockProcess.launcher(home, TestEnv.dockerHost())
                    .start("agent", "--interval", "60s", "--api-port", "0");
            killed.awaitLine(Pattern.compile("polling every"), Duration.ofSeconds(120));
            killed.sigkill();
            killed.awaitExit(Duration.ofSeconds(60));
            return Bench.millis(jar("service", "ls"), env());
        });
        Bench.row("`redock service ls`, the first after an agent was killed (SIGKILL) (" + RUN_COMMAND + ")", afterKill,
                "`redock service ls` (" + RUN_COMMAND + ")", lsAlone, "none named: as fast as any other start");
        if (!packaged) {
            Bench.print("(the packaged launcher's rows need `bash packaging/package.sh --no-deb` first)");
        }
    }

    /** What the window logs once, when its list first shows rows: the benchmark waits for it. */
    static final Pattern FIRST_PAINT = Pattern.compile("First list painted with (\\d+) services after (\\d+) ms");

    @Test
    @Order(2)
    void theWindowPaintsItsListFromTheDatabase() throws Exception {
        windowRow(RUN_COMMAND, jar());
        if (Files.isExecutable(LAUNCHER)) {
            windowRow("packaged launcher", launcher());
        } else {
            Bench.print("(the packaged launcher's window row needs `bash packaging/package.sh --no-deb` first)");
        }
    }

    /** Launches the window with {@code command} on an X display of its own, {@link Bench#RUNS} times; prints the median. */
    private static void windowRow(String how, List<String> command) throws Exception {
        Path log = home.resolve("logs").resolve("redock.log");
        List<Long> painted = new ArrayList<>();
        try (XDisplay x = XDisplay.start(RedockProcess.LOGS.resolve("bench-display"))) {
            for (int i = 0; i < Bench.RUNS; i++) {
                long before = Files.exists(log) ? Files.size(log) : 0;
                long started = System.nanoTime();
                Process window = x.spawn("bench-window-" + how.replace(' ', '-') + "-" + i, command, env());
                try {
                    Awaitility.await("the window's first painted list (see " + log + ")").atMost(Duration.ofSeconds(90))
                            .pollInterval(Duration.ofMillis(10)).until(() -> firstPaintSince(log, before));
                    painted.add((System.nanoTime() - started) / 1_000_000);
                } finally {
                    window.destroy();
                    window.waitFor(60, java.util.concurrent.TimeUnit.SECONDS);
                    window.destroyForcibly();
                }
            }
        }
        long median = Bench.median(painted);
        Bench.row("the window's first painted list, " + SERVICES + " services, from launch (" + how + ")",
                Bench.seconds(median) + " | reference: 2 s | " + String.format(java.util.Locale.ROOT, "%.1fx", median / 2000.0),
                "within 2 s");
    }

    /** Whether the log has the first-paint line after {@code offset}, for as many services as the data folder holds. */
    private static boolean firstPaintSince(Path log, long offset) throws java.io.IOException {
        if (!Files.exists(log) || Files.size(log) <= offset) {
            return false;
        }
        try (var in = Files.newInputStream(log)) {
            in.skipNBytes(offset);
            var m = FIRST_PAINT.matcher(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
            return m.find() && Integer.parseInt(m.group(1)) == SERVICES;
        }
    }
}
