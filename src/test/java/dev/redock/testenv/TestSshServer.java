package dev.redock.testenv;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real OpenSSH server ({@code /usr/sbin/sshd -D -e}) of the test's own, on a free 127.0.0.1 port, with its own host key,
 * config, authorized keys and log in one folder: public key logins only, {@code root} included (the tests run as root),
 * and git's {@code git-upload-pack} runs through the login shell as for any ssh remote.
 *
 * <pre>{@code
 * Path key = TestSshServer.generateKey(dir.resolve("keys"), "client");
 * try (TestSshServer server = TestSshServer.start(dir.resolve("sshd"), List.of(Path.of(key + ".pub")))) {
 *     String url = "ssh://root@" + server.address() + "/srv/repo.git";
 * }
 * }</pre>
 */
public final class TestSshServer implements AutoCloseable {

    /** Debian's openssh-server. */
    public static final Path SSHD = Path.of("/usr/sbin/sshd");
    /** Debian's openssh-client. */
    public static final Path SSH_KEYGEN = Path.of("/usr/bin/ssh-keygen");
    /** Where sshd insists on its privilege separation folder (made by its service at boot, which nobody runs here). */
    private static final Path PRIVSEP_DIR = Path.of("/run/sshd");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(15);

    private final Process process;
    private final int port;
    private final Path hostKey;
    private final Path log;

    private TestSshServer(Process process, int port, Path hostKey, Path log) {
        this.process = process;
        this.port = port;
        this.hostKey = hostKey;
        this.log = log;
    }

    /**
     * Fails with a message naming the setup command when the OpenSSH programs these tests start are not installed.
     *
     * @param programs besides sshd and ssh-keygen, e.g. {@link TestSshAgent#SSH_AGENT}
     */
    public static void requireInstalled(Path... programs) {
        for (Path program : Stream.concat(Stream.of(SSHD, SSH_KEYGEN), Stream.of(programs)).toList()) {
            if (!Files.isExecutable(program)) {
                throw new IllegalStateException(program + " is not installed. These tests need a real OpenSSH server and agent:"
                        + " run them with `" + TestEnv.SETUP_COMMAND + "`, which installs what is missing"
                        + " (apt packages openssh-server and openssh-client).");
            }
        }
    }

    /** Makes an ed25519 key pair without a passphrase: {@code dir/name} and {@code dir/name.pub}; returns the private key. */
    public static Path generateKey(Path dir, String name) {
        requireInstalled();
        Path key = dir.resolve(name);
        try {
            Files.createDirectories(dir);
            run(List.of(SSH_KEYGEN.toString(), "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", key.toString()), Map.of());
            return key;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Starts sshd with its files in {@code dir}, letting in the holders of these public keys; fails with a message naming
     * the setup command or the server's log when it cannot.
     */
    public static TestSshServer start(Path dir, List<Path> authorizedPublicKeys) {
        return start(dir, authorizedPublicKeys, Map.of());
    }

    /**
     * As {@link #start(Path, List)}, with these variables set in every session ({@code SetEnv}): e.g. {@code DOCKER_HOST},
     * so that {@code docker system dial-stdio} run through it reaches the tests' engine.
     */
    public static TestSshServer start(Path dir, List<Path> authorizedPublicKeys, Map<String, String> sessionEnv) {
        requireInstalled();
        Path home = dir.toAbsolutePath();
        try {
            Files.createDirectories(home);
            Path hostKey = generateKey(home, "ssh_host_ed25519_key");
            StringBuilder authorized = new StringBuilder();
            for (Path publicKey : authorizedPublicKeys) {
                authorized.append(Files.readString(publicKey, StandardCharsets.UTF_8).strip()).append('\n');
            }
            Files.writeString(home.resolve("authorized_keys"), authorized.toString(), StandardCharsets.UTF_8);
            ensurePrivsepDir();
            IllegalStateException failure = null;
            for (int attempt = 0; attempt < 3; attempt++) {
                try {
                    return startOnce(home, hostKey, sessionEnv);
                } catch (IllegalStateException e) {
                    failure = e; // most likely the port was taken meanwhile: try another
                }
            }
            throw failure;
        } catch (IOException e) {
            throw new UncheckedIOException("could not prepare " + home + " for sshd", e);
        }
    }

    private static void ensurePrivsepDir() throws IOException {
        if (!Files.isDirectory(PRIVSEP_DIR)) {
            // What Debian's ssh service makes when it starts: an empty folder sshd chroots its unprivileged child into.
            Files.createDirectories(PRIVSEP_DIR);
            Files.setPosixFilePermissions(PRIVSEP_DIR, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    private static TestSshServer startOnce(Path home, Path hostKey, Map<String, String> sessionEnv) throws IOException {
        int port = TestImages.freePort();
        Path config = home.resolve("sshd_config");
        Path log = home.resolve("sshd.log");
        Files.writeString(config, """
                ListenAddress 127.0.0.1:%d
                HostKey %s
                PidFile %s
                AuthorizedKeysFile %s
                PubkeyAuthentication yes
                PasswordAuthentication no
                KbdInteractiveAuthentication no
                PermitRootLogin prohibit-password
                StrictModes no
                UsePAM no
                LogLevel VERBOSE
                """.formatted(port, hostKey, home.resolve("sshd.pid"), home.resolve("authorized_keys")) + setEnv(sessionEnv),
                StandardCharsets.UTF_8);
        Process process = new ProcessBuilder(SSHD.toString(), "-D", "-e", "-f", config.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        TestSshServer server = new TestSshServer(process, port, hostKey, log);
        server.awaitBanner();
        return server;
    }

    private static String setEnv(Map<String, String> sessionEnv) {
        StringBuilder lines = new StringBuilder();
        sessionEnv.forEach((name, value) -> lines.append("SetEnv \"").append(name).append('=').append(value).append("\"\n"));
        return lines.toString();
    }

    private void awaitBanner() {
        ChildProcess.awaitUp(process, START_TIMEOUT, this::answers, "sshd on " + address(), log);
    }

    private boolean answers() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            socket.setSoTimeout(1000);
            InputStream in = socket.getInputStream();
            byte[] banner = new byte[4];
            return in.readNBytes(banner, 0, 4) == 4 && new String(banner, StandardCharsets.US_ASCII).equals("SSH-");
        } catch (IOException notYet) {
            return false;
        }
    }

    /** {@code 127.0.0.1:<port>}. */
    public String address() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** The server's line for a {@code known_hosts} file: {@code [127.0.0.1]:<port> ssh-ed25519 AAAA...}. */
    public String knownHostsLine() {
        try {
            String[] publicKey = Files.readString(Path.of(hostKey + ".pub"), StandardCharsets.UTF_8).strip().split("\\s+");
            return "[127.0.0.1]:" + port + " " + publicKey[0] + " " + publicKey[1];
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What sshd has logged so far (it logs each login it accepts or refuses). */
    public String logText() {
        return ChildProcess.logText(log);
    }

    /** Stops the server and the session processes it forked for connections still open. */
    @Override
    public void close() {
        ChildProcess.stop(process);
    }

    /**
     * Runs a short OpenSSH program (ssh-keygen, ssh-add) with these environment variables and no input, for 30 s at most;
     * fails with its output.
     */
    static void run(List<String> command, Map<String, String> environment) throws IOException {
        Path output = Files.createTempFile("redock-ssh-tool", ".log");
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(output.toFile());
        pb.environment().putAll(environment);
        Process p = pb.start();
        try {
            boolean done = p.waitFor(30, TimeUnit.SECONDS);
            if (!done || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + (done ? " failed: " : " took over 30 s: ")
                        + Files.readString(output, StandardCharsets.UTF_8));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(String.join(" ", command) + " was interrupted", e);
        } finally {
            if (p.isAlive()) {
                p.destroyForcibly();
            }
            Files.deleteIfExists(output);
        }
    }
}
