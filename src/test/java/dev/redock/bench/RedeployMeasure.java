package dev.redock.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.redock.Main;
import dev.redock.model.Deployment;
import dev.redock.model.Json;
import dev.redock.store.Database;
import dev.redock.store.DeploymentStore;
import dev.redock.testenv.TestEnv;

/**
 * Measures a redeploy of a changed tag two ways on the same engine and registry: Redock, asked through the API of a
 * running agent, from the request until the deployment is recorded in the database; and the same steps by hand with the
 * docker CLI (pull, stop, rename aside, create, start, wait until running, remove the old one). During each, a
 * {@link RefusalWatch} sends HTTP GETs to the service's published port every few milliseconds and keeps the longest stretch
 * in which none that was sent got an answer.
 *
 * <p>Only the measuring: what to run and how often is the caller's ({@link RedeployBenchmark}). Nothing here asserts a
 * time.
 */
public final class RedeployMeasure {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Pattern API_LINE = Pattern.compile("API on (http://\\S+)/api/v1/");
    private static final Duration RECORD_POLL = Duration.ofMillis(5);

    private RedeployMeasure() {
    }

    /** One redeploy: how long it took, and the longest stretch in which the service's port answered nothing. */
    public record Round(Duration took, Duration refused) {
    }

    /** The median of a list of durations (the upper one of the middle two for an even count). */
    public static Duration median(List<Duration> values) {
        List<Duration> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    // ----------------------------------------------------------------------------------------------------- by hand

    /**
     * What a person does with the docker CLI to put a changed tag live in place of container {@code name}: pull, stop,
     * rename aside, create with the same settings, start, wait until it runs, remove the old one.
     *
     * @param createArgs the options {@code docker create} gets besides the name and the image ({@code -p 8080:80}, labels)
     */
    public static Duration byHand(String name, String image, List<String> createArgs) {
        long begin = System.nanoTime();
        docker("pull", "-q", image);
        docker("stop", name);
        docker("rename", name, name + "-old");
        List<String> create = new ArrayList<>(List.of("create", "--name", name));
        create.addAll(createArgs);
        create.add(image);
        docker(create.toArray(String[]::new));
        docker("start", name);
        while (!docker("inspect", "-f", "{{.State.Running}}", name).strip().equals("true")) {
            pause(Duration.ofMillis(10));
        }
        docker("rm", name + "-old");
        return Duration.ofNanos(System.nanoTime() - begin);
    }

    /** Runs {@code docker <args>} (Debian's client where there is one) and returns its output; fails when docker does. */
    public static String docker(String... args) {
        List<String> command = new ArrayList<>();
        command.add(Files.isExecutable(Path.of("/usr/bin/docker")) ? "/usr/bin/docker" : "docker");
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("DOCKER_HOST", TestEnv.dockerHost().toString());
        try {
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException("docker " + String.join(" ", args) + " failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // ----------------------------------------------------------------------------------------------------- Redock

    /**
     * A {@code redock agent} in a JVM of its own on this JVM's class path, serving the API on a free port, on a data folder
     * of its own; and a connection to its database (through H2's server in the agent) to see deployments recorded.
     */
    public static final class Agent implements AutoCloseable {

        private final Process process;
        private final String baseUrl;
        private final String token;
        private final Database db;
        private final DeploymentStore deployments;
        private final StringBuffer output = new StringBuffer();

        private Agent(Process process, String baseUrl, String token, Database db) {
            this.process = process;
            this.baseUrl = baseUrl;
            this.token = token;
            this.db = db;
            this.deployments = new DeploymentStore(db);
        }

        /**
         * Starts the agent and waits until its API answers.
         *
         * @param env     environment variables for it besides the data folder and the engine
         * @param jvmArgs options for its JVM
         */
        public static Agent start(Path home, Map<String, String> env, List<String> jvmArgs) throws IOException {
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(jvmArgs);
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), "-Dlogback.configurationFile=logback.xml",
                    Main.class.getName(), "agent", "--api-port", "0", "--interval", "1h"));
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            pb.environment().remove("DOCKER_CONTEXT");
            pb.environment().put("DOCKER_HOST", TestEnv.dockerHost().toString());
            pb.environment().put("REDOCK_HOME", home.toAbsolutePath().toString());
            pb.environment().putAll(env);
            Process p = pb.start();
            StringBuffer seen = new StringBuffer();
            String url = readUntilApi(p.getInputStream(), seen, Duration.ofSeconds(60));
            if (url == null) {
                p.destroyForcibly();
                throw new IllegalStateException("the agent did not serve its API within 60 s; it said:\n" + seen);
            }
            String token = Files.readString(home.resolve("api-token")).strip();
            Agent agent = new Agent(p, url, token, Database.open(home));
            agent.output.append(seen);
            agent.drain(p.getInputStream());
            return agent;
        }

        private static String readUntilApi(InputStream in, StringBuffer seen, Duration timeout) {
            String[] found = new String[1];
            Thread reader = new Thread(() -> {
                BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
                try {
                    String line;
                    while ((line = r.readLine()) != null) {
                        seen.append(line).append('\n');
                        Matcher m = API_LINE.matcher(line);
                        if (m.find()) {
                            found[0] = m.group(1);
                            return;
                        }
                    }
                } catch (IOException e) {
                    seen.append(e).append('\n');
                }
            }, "bench-agent-start");
            reader.start();
            try {
                reader.join(timeout.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return found[0];
        }

        private void drain(InputStream in) {
            Thread t = new Thread(() -> {
                try {
                    byte[] buffer = new byte[8192];
                    int n;
                    while ((n = in.read(buffer)) >= 0) {
                        output.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
                    }
                } catch (IOException e) {
                    // the agent ended
                }
            }, "bench-agent-output");
            t.setDaemon(true);
            t.start();
        }

        /** Sends a request to the agent's API and returns its JSON answer; fails on an error status. */
        public JsonNode call(String method, String path, ObjectNode body) {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path))
                    .header("Authorization", "Bearer " + token)
                    .timeout(Duration.ofSeconds(120));
            b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body.toString()));
            try {
                HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() >= 300) {
                    throw new IllegalStateException(method + " " + path + " answered " + r.statusCode() + ": " + r.body());
                }
                return r.body().isBlank() ? null : Json.mapper().readTree(r.body());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        /** The service's latest deployment as recorded, or empty. */
        public Optional<Deployment> latest(UUID service) {
            return deployments.latest(service);
        }

        /**
         * Asks the agent to redeploy the service and waits until the deployment is recorded as ended.
         *
         * @return how long from the request to the record, and the deployment
         */
        public Recorded redeploy(UUID service, Duration timeout) {
            long before = latest(service).map(Deployment::id).orElse(-1L);
            long begin = System.nanoTime();
            call("POST", "/api/v1/service/" + service + "/redeploy/", null);
            long deadline = begin + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                Optional<Deployment> d = latest(service);
                if (d.isPresent() && d.get().id() != before && d.get().ended() != null) {
                    return new Recorded(Duration.ofNanos(System.nanoTime() - begin), d.get());
                }
                pause(RECORD_POLL);
            }
            throw new IllegalStateException("no deployment of " + service + " recorded within " + timeout.toSeconds()
                    + " s; the agent said:\n" + output);
        }

        /** What the agent printed so far. */
        public String output() {
            return output.toString();
        }

        @Override
        public void close() {
            db.close();
            process.destroy();
            try {
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }

    /** A deployment seen recorded, and how long after the request. */
    public record Recorded(Duration took, Deployment deployment) {
    }

    // -------------------------------------------------------------------------------------------------- refusals

    /**
     * Sends {@code GET /} to 127.0.0.1:port every {@value #EVERY_MILLIS} ms until closed, each request on a thread of its own
     * so that one left hanging (a connection the engine's proxy accepted for a container going away) holds up no other;
     * then keeps the longest stretch from the sending of a request that got no 200 answer (refused, reset, closed early,
     * timed out, or another status) to the sending of the next one that got it. Judged by when each request was sent, a
     * request that hangs until after the service answers again does not lengthen the stretch.
     */
    public static final class RefusalWatch implements AutoCloseable {

        private static final long EVERY_MILLIS = 5;
        private static final int TIMEOUT_MILLIS = 2_000;

        private final int port;
        private final ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor(daemon("bench-refusal-clock"));
        private final ExecutorService requests = Executors.newCachedThreadPool(daemon("bench-refusal-request"));
        /** Whether the request sent at each instant (nanoTime) was answered. */
        private final ConcurrentSkipListMap<Long, Boolean> answered = new ConcurrentSkipListMap<>();

        private RefusalWatch(int port) {
            this.port = port;
        }

        /** Starts watching; the service should answer already. */
        public static RefusalWatch on(int port) {
            RefusalWatch w = new RefusalWatch(port);
            w.clock.scheduleAtFixedRate(() -> {
                long sent = System.nanoTime();
                w.requests.execute(() -> w.answered.put(sent, w.answers()));
            }, 0, EVERY_MILLIS, TimeUnit.MILLISECONDS);
            return w;
        }

        private static ThreadFactory daemon(String name) {
            return r -> {
                Thread t = new Thread(r, name);
                t.setDaemon(true);
                return t;
            };
        }

        private boolean answers() {
            try (Socket s = new Socket()) {
                s.setSoTimeout(TIMEOUT_MILLIS);
                s.setTcpNoDelay(true);
                s.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_MILLIS);
                OutputStream out = s.getOutputStream();
                out.write("GET / HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                String status = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII)).readLine();
                return status != null && status.contains(" 200 ");
            } catch (IOException e) {
                return false;
            }
        }

        /**
         * Waits until a request sent after the last unanswered one is answered (at most {@code timeout}), stops watching, and
         * returns the longest stretch without an answer; a stretch still open at the timeout counts up to then.
         */
        public Duration longestRefusal(Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline && stillRefused()) {
                pause(Duration.ofMillis(EVERY_MILLIS));
            }
            close();
            long longest = 0;
            long firstFailure = -1;
            for (Map.Entry<Long, Boolean> request : answered.entrySet()) {
                if (!request.getValue() && firstFailure < 0) {
                    firstFailure = request.getKey();
                } else if (request.getValue() && firstFailure >= 0) {
                    longest = Math.max(longest, request.getKey() - firstFailure);
                    firstFailure = -1;
                }
            }
            long open = firstFailure < 0 ? 0 : System.nanoTime() - firstFailure;
            return Duration.ofNanos(Math.max(longest, open));
        }

        /** Whether no request sent after the last unanswered one has been answered yet. */
        private boolean stillRefused() {
            Map.Entry<Long, Boolean> lastFailure = answered.entrySet().stream().filter(e -> !e.getValue())
                    .reduce((first, second) -> second).orElse(null);
            return lastFailure != null && !answered.tailMap(lastFailure.getKey(), false).containsValue(true);
        }

        @Override
        public void close() {
            clock.shutdownNow();
            requests.shutdown();
            try {
                requests.awaitTermination(TIMEOUT_MILLIS * 2L, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Measures {@code redeploy} with a refusal watch on {@code port} around it. */
    public static Round watched(int port, Supplier<Duration> redeploy) {
        RefusalWatch watch = RefusalWatch.on(port);
        Duration took = redeploy.get();
        return new Round(took, watch.longestRefusal(Duration.ofSeconds(30)));
    }

    static void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
