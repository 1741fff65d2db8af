package dev.redock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged {@code target/redock.jar}, started as users start it. */
class RedockJarIT {

    @TempDir
    Path home;

    private CliRunner.Result java(String... args) throws Exception {
        return java(home, args);
    }

    private CliRunner.Result java(Path dataFolder, String... args) throws Exception {
        Path jar = Path.of("target", "redock.jar");
        assertThat(jar).as("mvn package makes target/redock.jar").exists();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                jar.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().put("REDOCK_HOME", dataFolder.toString());
        Process p = pb.start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new CliRunner.Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void printsItsVersion() throws Exception {
        CliRunner.Result r = java("--version");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).startsWith("redock 0.");
    }

    @Test
    void makesItsDatabaseAndLogsInTheDataFolderAndListsNoServices() throws Exception {
        CliRunner.Result r = java("service", "ls");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out().strip()).isEqualTo("NAME   UUID   IMAGE   ENGINE   STATUS   AUTOREDEPLOY   LAST DEPLOY");
        assertThat(home.resolve("redock.mv.db")).exists();
        assertThat(Files.list(home.resolve("logs"))).anyMatch(f -> f.getFileName().toString().equals("redock.log"));
    }

    @Test
    void theDataFolderItMakesAndTheDatabaseAndLogsInItAreTheUsersAlone() throws Exception {
        Path data = home.resolve("new/redock");
        CliRunner.Result r = java(data, "service", "ls");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        for (Path folder : List.of(data, data.resolve("logs"))) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(folder))).as(folder.toString()).isEqualTo("rwx------");
        }
        for (String file : List.of("redock.mv.db", "db-password", "logs/redock.log")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve(file)))).as(file).isEqualTo("rw-------");
        }
    }

    @Test
    void refusesAMalformedReferenceWithOneLine() throws Exception {
        CliRunner.Result r = java("service", "run", "UPPER:case");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.err().strip()).startsWith("redock: ").doesNotContain("\n");
    }
}
