package dev.redock.store;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.flywaydb.core.Flyway;
import org.h2.api.ErrorCode;
import org.h2.jdbcx.JdbcConnectionPool;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.redock.service.ApiToken;
import dev.redock.testenv.DatabaseServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

/**
 * The data folder on real files and a real H2 database, as several Redock processes share it: the database's server
 * answers on 127.0.0.1 only and asks for the password kept in the folder, a database made before that password gets it
 * without locking anybody out, and the folder and its files are the user's alone.
 */
class DataFolderSecurityTest {

    private static final String OWNER_ONLY_FOLDER = "rwx------";
    private static final String OWNER_ONLY_FILE = "rw-------";

    @TempDir
    Path home;

    @Test
    void theDatabaseServerAnswersOnLoopbackOnlyAndAnotherProcessStillSharesTheDatabaseThroughIt() throws Exception {
        InetAddress outside = DatabaseServer.nonLoopbackAddress();
        try (OtherProcess other = OtherProcess.open(home)) {
            InetSocketAddress server = DatabaseServer.inLockFile(home);
            assertThat(server.getHostString()).as("the address the lock file names for the other processes")
                    .isIn("localhost", "127.0.0.1");
            int port = server.getPort();
            assertThat(DatabaseServer.accepts(InetAddress.getLoopbackAddress(), port)).as("the server on 127.0.0.1:" + port).isTrue();
            assertThat(DatabaseServer.accepts(outside, port)).as("the server on " + outside.getHostAddress() + ":" + port
                    + ", a non-loopback address of this machine").isFalse();
            try (ServerSocket everywhere = new ServerSocket(0)) {
                assertThat(DatabaseServer.accepts(outside, everywhere.getLocalPort()))
                        .as("a socket listening on every interface answers on " + outside.getHostAddress()
                                + ", so the refusal above is the database server's own")
                        .isTrue();
            }

            // This process opens the same file: through the other process's server, with the stored password.
            try (Database db = Database.open(home)) {
                SettingsStore settings = new SettingsStore(db);
                assertThat(settings.get(OtherProcess.SETTING)).contains(Long.toString(other.pid()));
                settings.put("seen.by", "the second process");
            }
            assertThat(other.read("seen.by")).isEqualTo("the second process");
            assertThatThrownBy(() -> connect(home, "")).as("a connection without the password")
                    .isInstanceOfSatisfying(SQLException.class,
                            e -> assertThat(e.getErrorCode()).isEqualTo(ErrorCode.WRONG_USER_OR_PASSWORD));
        }
    }

    @Test
    void aDatabaseMadeWithTheEmptyPasswordGetsTheStoredOneWhileProcessesOpenItAtOnce() throws Exception {
        // Two other JVMs and two threads of this one open it together: whoever comes first sets the password, the others
        // find it set; none is turned away.
        makeDatabaseAsBeforePasswords(home);
        CyclicBarrier together = new CyclicBarrier(2);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try (OtherProcess other = OtherProcess.start(home); OtherProcess another = OtherProcess.start(home)) {
            // What each thread read, as soon as it read it: closing comes after, and when this process is the one that
            // serves the database (whoever opens it first does), closing waits until the other processes are done with
            // it, which is once they are let go below.
            List<CompletableFuture<String>> reads = List.of(new CompletableFuture<>(), new CompletableFuture<>());
            List<Future<?>> closed = new ArrayList<>();
            for (CompletableFuture<String> read : reads) {
                closed.add(threads.submit(() -> {
                    together.await(30, TimeUnit.SECONDS);
                    try (Database db = Database.open(home)) {
                        read.complete(new SettingsStore(db).get("made.before").orElse(null));
                    }
                    return null;
                }));
            }
            for (CompletableFuture<String> read : reads) {
                assertThat(read.get(2, TimeUnit.MINUTES)).isEqualTo("passwords");
            }
            for (OtherProcess p : List.of(other, another)) {
                p.awaitOpen();
                assertThat(p.read("made.before")).isEqualTo("passwords");
            }
            // Let go together: the one that serves the database waits, as it ends, for the others to be done with it.
            other.letGo();
            another.letGo();
            for (Future<?> close : closed) {
                close.get(2, TimeUnit.MINUTES);
            }
        } finally {
            threads.shutdownNow();
        }

        String password = Files.readString(home.resolve(DatabasePassword.FILE), StandardCharsets.UTF_8).strip();
        assertThat(password).matches("[A-Za-z0-9_-]{43}");
        assertThat(mode(home.resolve(DatabasePassword.FILE))).isEqualTo(OWNER_ONLY_FILE);
        assertThatThrownBy(() -> connect(home, "")).as("the empty password, once the stored one is set")
                .isInstanceOfSatisfying(SQLException.class,
                        e -> assertThat(e.getErrorCode()).isEqualTo(ErrorCode.WRONG_USER_OR_PASSWORD));
        try (Connection c = connect(home, password)) {
            assertThat(c.isValid(5)).isTrue();
        }
    }

    @Test
    void aStopAfterThePasswordFileIsWrittenButBeforeTheDatabaseTookItLocksNobodyOut() throws Exception {
        makeDatabaseAsBeforePasswords(home);
        String written = PrivateFiles.secret(home.resolve(DatabasePassword.FILE));

        try (Database db = Database.open(home)) {
            assertThat(new SettingsStore(db).get("made.before")).contains("passwords");
        }
        assertThat(Files.readString(home.resolve(DatabasePassword.FILE), StandardCharsets.UTF_8).strip()).isEqualTo(written);
        try (Database again = Database.open(home)) {
            assertThat(new SettingsStore(again).get("made.before")).contains("passwords");
        }
    }

    @Test
    void aPasswordFileThatIsNotTheDatabasesOwnIsNamedInTheErrorAndPuttingItsOwnBackOpensIt() throws Exception {
        try (Database db = Database.open(home)) {
            new SettingsStore(db).put("kept", "yes");
        }
        Path file = home.resolve(DatabasePassword.FILE);
        byte[] own = Files.readAllBytes(file);
        Files.delete(file);
        PrivateFiles.secret(file); // another password: the database keeps its own

        assertThatThrownBy(() -> Database.open(home)).isInstanceOf(StoreException.class)
                .hasMessageContaining("takes neither the password in " + DatabasePassword.FILE + " nor the empty one");
        Files.write(file, own);
        try (Database db = Database.open(home)) {
            assertThat(new SettingsStore(db).get("kept")).contains("yes");
        }
    }

    @Test
    void theDataFolderIsTheUsersAloneAndItsFilesAre0600WhateverTheUmaskGaveThem() throws Exception {
        Path fresh = home.resolve("nested/new/redock");
        try (Database db = Database.open(fresh)) {
            assertThat(mode(fresh)).as("a data folder Redock makes").isEqualTo(OWNER_ONLY_FOLDER);
            assertThat(mode(fresh.getParent())).as("its parents are made as usual").isNotEqualTo(OWNER_ONLY_FOLDER);
        }

        // A data folder as an older Redock left it: everything readable by everybody.
        Path old = home.resolve("old");
        try (Database db = Database.open(old)) {
            new SettingsStore(db).put("kept", "yes");
        }
        ApiToken.loadOrCreate(old);
        Files.createDirectories(old.resolve("logs"));
        Files.writeString(old.resolve("logs/redock.log"), "a line\n");
        Files.createDirectories(old.resolve("git-cache/web.git"));
        try (Stream<Path> all = Files.walk(old)) {
            for (Path p : all.toList()) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }

        try (Database db = Database.open(old)) {
            assertThat(new SettingsStore(db).get("kept")).contains("yes");
            assertThat(mode(old)).isEqualTo(OWNER_ONLY_FOLDER);
            assertThat(mode(old.resolve("logs"))).isEqualTo(OWNER_ONLY_FOLDER);
            assertThat(mode(old.resolve("git-cache"))).isEqualTo(OWNER_ONLY_FOLDER);
            List<Path> files = new ArrayList<>();
            try (Stream<Path> top = Files.list(old); Stream<Path> logs = Files.list(old.resolve("logs"))) {
                Stream.concat(top, logs).filter(Files::isRegularFile).sorted(Comparator.naturalOrder()).forEach(files::add);
            }
            assertThat(files).extracting(p -> old.relativize(p).toString())
                    .contains("redock.mv.db", "redock.lock.db", DatabasePassword.FILE, "api-token", "logs/redock.log");
            for (Path f : files) {
                assertThat(mode(f)).as(old.relativize(f).toString()).isEqualTo(OWNER_ONLY_FILE);
            }
        }
    }

    /** A database as Redock made it before it had a password: the empty one, the same URL, the schema, one setting. */
    private static void makeDatabaseAsBeforePasswords(Path folder) throws SQLException {
        JdbcConnectionPool old = JdbcConnectionPool.create("jdbc:h2:file:" + folder.toAbsolutePath().resolve("redock")
                + ";AUTO_SERVER=TRUE;LOCK_TIMEOUT=10000", "redock", "");
        try (Connection c = old.getConnection()) {
            Flyway.configure().dataSource(old).locations("classpath:db/migration").load().migrate();
            try (var st = c.prepareStatement("INSERT INTO setting (setting_key, setting_value) VALUES ('made.before', 'passwords')")) {
                st.executeUpdate();
            }
        } finally {
            old.dispose();
        }
    }

    private static Connection connect(Path folder, String password) throws SQLException {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:file:" + folder.toAbsolutePath().resolve("redock") + ";AUTO_SERVER=TRUE");
        ds.setUser("redock");
        ds.setPassword(password);
        return ds.getConnection();
    }

    /** Where the process serving the database says it listens: the {@code server} entry of H2's lock file. */
    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    /**
     * Another Redock process on the data folder: a new JVM that opens the database (and so serves it, when it is the
     * first), notes its pid in a setting, then answers "read NAME" with the setting's value until its input closes. Its
     * answers start with {@code "> "}; its log lines, also on its output, are passed over.
     */
    static final class OtherProcess implements AutoCloseable {

        static final String SETTING = "opened.by.pid";
        private static final String ANSWER = "> ";

        private final Process process;
        private final BufferedReader out;
        private final CompletableFuture<String> opened;

        private OtherProcess(Process process) {
            this.process = process;
            this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            this.opened = CompletableFuture.supplyAsync(this::line);
        }

        /** Starts it and waits until it has the database open. */
        static OtherProcess open(Path folder) throws Exception {
            OtherProcess p = start(folder);
            p.awaitOpen();
            return p;
        }

        /** Starts it; it opens the database in its own time. */
        static OtherProcess start(Path folder) throws IOException {
            ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), Main.class.getName(), folder.toString());
            pb.redirectError(ProcessBuilder.Redirect.INHERIT);
            return new OtherProcess(pb.start());
        }

        long pid() {
            return process.pid();
        }

        void awaitOpen() throws Exception {
            String line = opened.get(2, TimeUnit.MINUTES);
            if (!"open".equals(line)) {
                fail("the other process did not open the database: " + line);
            }
        }

        String read(String setting) throws IOException {
            process.getOutputStream().write(("read " + setting + "\n").getBytes(StandardCharsets.UTF_8));
            process.getOutputStream().flush();
            return line();
        }

        private String line() {
            try {
                String line = out.readLine();
                while (line != null && !line.startsWith(ANSWER)) {
                    line = out.readLine();
                }
                return line == null ? "(ended with exit code " + process.waitFor() + ")" : line.substring(ANSWER.length());
            } catch (IOException e) {
                return "(cannot read its output: " + e.getMessage() + ")";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "(interrupted)";
            }
        }

        /** Kills it (SIGKILL) and waits until it is gone: it closes nothing, so H2's lock file stays behind. */
        void kill() throws InterruptedException {
            process.destroyForcibly();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                fail("the other process did not end within 30 s of SIGKILL");
            }
        }

        /** Closes its input: it closes the database and ends. */
        void letGo() throws IOException {
            process.getOutputStream().close();
        }

        @Override
        public void close() throws Exception {
            letGo();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail("the other process did not end within 30 s of its input closing");
            }
            assertThat(process.exitValue()).as("the other process's exit code").isZero();
        }

        /** The other process's own entry point. */
        public static final class Main {
            public static void main(String[] args) throws IOException {
                try (Database db = Database.open(Path.of(args[0]))) {
                    SettingsStore settings = new SettingsStore(db);
                    settings.put(SETTING, Long.toString(ProcessHandle.current().pid()));
                    System.out.println(ANSWER + "open");
                    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
                    for (String line = in.readLine(); line != null; line = in.readLine()) {
                        if (line.startsWith("read ")) {
                            System.out.println(ANSWER + settings.get(line.substring(5)).orElse("(none)"));
                        }
                    }
                }
            }
        }
    }
}
