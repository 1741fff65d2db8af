package dev.redock.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.lang.module.ModuleFinder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaging command, {@code bash packaging/package.sh}, run once on the jar that {@code mvn package} made: the
 * app-image's launcher starts, its cut-down Java runtime has the JDK modules Redock needs (and not the whole JDK) and
 * runs the CLI on a new database, with a bounded heap, the serial collector and the class-data-sharing archives made at
 * build time; its agent answers its CLI; and (where dpkg-deb exists) the .deb carries the launcher, the desktop
 * integration, the dependency on GTK 3 and what its postinst makes its own archive from.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PackagingJarIT {

    private static final Path JAR = Path.of("target", "redock.jar");
    private static final Path PACKAGES = Path.of("target", "packages");
    private static final Path IMAGE = PACKAGES.resolve("redock");
    private static final Path LOG = Path.of("target", "packaging-it.log");

    private String version;

    record Result(int exitCode, String out) {
    }

    private static Result run(List<String> command, Map<String, String> env, Path output, long timeoutSeconds)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(output.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("%s did not finish within %d s; its output:%n%s", command, timeoutSeconds, Files.readString(output));
        }
        return new Result(p.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
    }

    private static Result run(Path scratch, String... command) throws IOException, InterruptedException {
        return run(List.of(command), Map.of(), Files.createTempFile(scratch, "out", ".txt"), 120);
    }

    private static Optional<Path> onPath(String tool) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .filter(dir -> !dir.isEmpty())
                .map(dir -> Path.of(dir, tool))
                .filter(Files::isExecutable)
                .findFirst();
    }

    private static boolean debianTools() {
        return onPath("dpkg-deb").isPresent();
    }

    @BeforeAll
    void packagesTheJarOnce() throws Exception {
        assertThat(JAR).as("mvn package makes target/redock.jar before the integration tests").exists();
        try (JarFile jar = new JarFile(JAR.toFile())) {
            version = jar.getManifest().getMainAttributes().getValue("Implementation-Version");
        }
        assertThat(version).as("Implementation-Version of target/redock.jar").isNotBlank();

        Path javaHome = Path.of(System.getProperty("java.home"));
        assertThat(javaHome.resolve("bin/jpackage"))
                .as("jpackage of the JDK running the tests (%s): packaging needs a full JDK 17+, not a JRE", javaHome)
                .isExecutable();

        // gzip instead of dpkg-deb's default xz: the same package, made in seconds rather than minutes.
        Result r = run(List.of("bash", "packaging/package.sh", "--jar", JAR.toString()),
                Map.of("JAVA_HOME", javaHome.toString(), "DPKG_DEB_COMPRESSOR_TYPE", "gzip"), LOG, 600);
        assertThat(r.exitCode()).as("bash packaging/package.sh failed; its output (also in %s):%n%s", LOG, r.out())
                .isZero();
    }

    @Test
    void theAppImageLauncherPrintsTheVersionOfThePackagedJar(@TempDir Path home) throws Exception {
        Path launcher = IMAGE.resolve("bin/redock");
        assertThat(launcher).isExecutable();

        Result r = run(List.of(launcher.toString(), "--version"), Map.of("REDOCK_HOME", home.toString()),
                home.resolve("version.txt"), 60);

        assertThat(r.exitCode()).as(r.out()).isZero();
        assertThat(r.out().strip()).isEqualTo("redock " + version);
    }

    @Test
    void theAppImageLauncherAsksNoPackageManagerWhatItBelongsTo(@TempDir Path home, @TempDir Path tools) throws Exception {
        // jpackage's own launcher runs `dpkg -S` and `rpm -qf` at every start; Redock's must not.
        Path asked = tools.resolve("asked");
        for (String tool : List.of("dpkg", "dpkg-query", "rpm")) {
            Path script = tools.resolve(tool);
            Files.writeString(script, "#!/bin/sh\necho \"$0 $*\" >>" + asked + "\nexit 1\n");
            script.toFile().setExecutable(true);
        }
        Result r = run(List.of(IMAGE.resolve("bin/redock").toString(), "--version"),
                Map.of("REDOCK_HOME", home.toString(), "PATH", tools + File.pathSeparator + System.getenv("PATH")),
                home.resolve("version.txt"), 60);

        assertThat(r.exitCode()).as(r.out()).isZero();
        assertThat(r.out().strip()).isEqualTo("redock " + version);
        assertThat(asked).as("what the launcher asked the package managers").doesNotExist();
    }

    /** The MODULES line of the bundled runtime's {@code release} file. */
    private static Set<String> runtimeModules() throws IOException {
        String release = Files.readString(IMAGE.resolve("lib/runtime/release"));
        Matcher m = Pattern.compile("(?m)^MODULES=\"([^\"]*)\"$").matcher(release);
        assertThat(m.find()).as("a MODULES line in lib/runtime/release:%n%s", release).isTrue();
        return Set.of(m.group(1).trim().split("\\s+"));
    }

    @Test
    void theAppImageRuntimeHasTheModulesRedockNeedsAndNotTheWholeJdk() throws IOException {
        Set<String> modules = runtimeModules();

        assertThat(modules).contains(
                "java.base",
                "java.desktop",        // the AWT system tray (and JavaFX's java.beans, Prism's J2D pipeline)
                "jdk.httpserver",      // the HTTP API (com.sun.net.httpserver)
                "java.net.http",       // the registry client
                "java.sql",            // H2 and Flyway through JDBC
                "java.naming",         // logback, H2
                "java.management",     // H2, JGit, MINA sshd
                "jdk.unsupported",     // sun.misc.Unsafe for JavaFX's Marlin and Guava
                "java.scripting",      // FXML
                "java.security.jgss",  // JGit and HttpClient's Kerberos
                "jdk.zipfs",           // the zip file system, a ServiceLoader provider jdeps cannot see
                "jdk.security.auth");  // Kerberos's JAAS login module, named in a string
        // SunEC (TLS with ECDHE and EC certificates) and SunPKCS11 (PKCS11Provider in ~/.ssh/config) are JCA providers
        // found by name; JDK 22 moved SunEC into java.base, and package.sh adds only the modules this JDK has.
        for (String provider : List.of("jdk.crypto.ec", "jdk.crypto.cryptoki")) {
            if (ModuleFinder.ofSystem().find(provider).isPresent()) {
                assertThat(modules).as("the runtime's modules").contains(provider);
            }
        }
        // jlink's default for a class-path app is every module of the JDK: these are the big ones Redock never uses.
        assertThat(modules).doesNotContain("jdk.compiler", "jdk.localedata", "jdk.jshell", "jdk.javadoc", "jdk.jpackage");
    }

    @Test
    void theAppImageListsNoServicesOnAnEmptyDataFolder(@TempDir Path home, @TempDir Path scratch) throws Exception {
        Result r = run(List.of(IMAGE.resolve("bin/redock").toString(), "service", "ls"),
                Map.of("REDOCK_HOME", home.toString()), scratch.resolve("service-ls.txt"), 60);

        assertThat(r.exitCode()).as(r.out()).isZero();
        assertThat(r.out().lines().toList()).as("the output of service ls")
                .singleElement(InstanceOfAssertFactories.STRING)
                .matches("NAME\\s+UUID\\s+IMAGE\\s+ENGINE\\s+STATUS\\s+AUTOREDEPLOY\\s+LAST DEPLOY\\s*");
        assertThat(home.resolve("redock.mv.db")).as("the H2 database, made by the packaged runtime").isRegularFile();
        Path log = home.resolve("logs/redock.log");
        if (Files.exists(log)) {
            assertThat(Files.readString(log))
                    .doesNotContain("NoClassDefFoundError", "ClassNotFoundException", "ServiceConfigurationError");
        }
    }

    @Test
    void theAppImageMapsItsClassesFromTheArchiveMadeAtBuildTime(@TempDir Path home) throws Exception {
        assertThat(IMAGE.resolve("lib/app/redock.classlist")).as("the classes the training run loaded").isNotEmptyFile();
        assertThat(IMAGE.resolve("lib/app/redock.jsa")).as("the archive dumped from them").isNotEmptyFile();
        assertThat(Files.readAllLines(IMAGE.resolve("lib/app/redock.cfg")))
                .contains("java-options=-XX:SharedArchiveFile=$APPDIR/redock.jsa");

        // -Xshare:on: the JVM refuses to start rather than go on without the archive.
        Result r = run(List.of(IMAGE.resolve("bin/redock").toString(), "--version"),
                Map.of("REDOCK_HOME", home.toString(), "JAVA_TOOL_OPTIONS", "-Xshare:on -Xlog:class+load"),
                home.resolve("version.txt"), 60);

        assertThat(r.exitCode()).as(r.out()).isZero();
        assertThat(r.out()).contains("redock " + version)
                .containsPattern("java\\.lang\\.Object source: shared objects file")
                .containsPattern("dev\\.redock\\.Main source: shared objects file")
                .containsPattern("dev\\.redock\\.cli\\.CommandClient source: shared objects file")
                .containsPattern("picocli\\.CommandLine source: shared objects file");
    }

    @Test
    void theAppImageRunsWithABoundedHeapAndTheSerialCollector(@TempDir Path home) throws Exception {
        Result r = run(List.of(IMAGE.resolve("bin/redock").toString(), "--version"),
                Map.of("REDOCK_HOME", home.toString(), "JAVA_TOOL_OPTIONS", "-XX:+PrintCommandLineFlags"),
                home.resolve("flags.txt"), 60);

        assertThat(r.exitCode()).as(r.out()).isZero();
        assertThat(r.out()).contains("-XX:MaxHeapSize=134217728", "-XX:+UseSerialGC");
    }

    @Test
    void theAppImageAgentAnswersTheAppImageCli(@TempDir Path home, @TempDir Path scratch) throws Exception {
        Path launcher = IMAGE.resolve("bin/redock");
        ProcessBuilder agent = new ProcessBuilder(launcher.toString(), "agent", "--interval", "1h", "--api-port", "0")
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(scratch.resolve("agent.txt").toFile());
        agent.environment().put("REDOCK_HOME", home.toString());
        Process started = agent.start();
        try {
            await().atMost(Duration.ofSeconds(90)).until(() -> !started.isAlive() || Files.exists(home.resolve("api-serving")));
            assertThat(started.isAlive()).as("the agent with the launcher's heap: %s",
                    Files.readString(scratch.resolve("agent.txt"))).isTrue();

            Result ls = run(List.of(launcher.toString(), "service", "ls"), Map.of("REDOCK_HOME", home.toString()),
                    scratch.resolve("service-ls.txt"), 60);

            assertThat(ls.exitCode()).as(ls.out()).isZero();
            assertThat(ls.out()).startsWith("NAME ");
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.readString(home.resolve("logs/redock.log"))
                    .contains("Ran `redock service ls` for the CLI of another process (exit 0)"));
        } finally {
            started.destroy();
            started.waitFor(60, TimeUnit.SECONDS);
        }
    }

    @Test
    void theAppImageCarriesTheDesktopEntryIconsAndAppStreamMetadata() throws IOException {
        String desktop = Files.readString(IMAGE.resolve("lib/dev.redock.Redock.desktop"));
        assertThat(desktop.lines()).contains(
                "Name=Redock",
                "Exec=/opt/redock/bin/redock",
                "Icon=dev.redock.Redock",
                "StartupWMClass=dev.redock.ui.RedockApplication");

        String numericVersion = version.replaceFirst("-.*", "");
        String metainfo = Files.readString(IMAGE.resolve("lib/dev.redock.Redock.metainfo.xml"));
        assertThat(metainfo)
                .contains("<id>dev.redock.Redock</id>")
                .contains("<launchable type=\"desktop-id\">dev.redock.Redock.desktop</launchable>")
                .contains("<release version=\"" + numericVersion + "\"")
                .doesNotContain("@VERSION@", "@DATE@", "@SCREENSHOTS@");

        for (int size : new int[] {16, 24, 32, 48, 64, 128, 256, 512}) {
            assertThat(IMAGE.resolve("lib/icons/hicolor/" + size + "x" + size + "/apps/dev.redock.Redock.png")).isRegularFile();
        }
    }

    @Test
    void theDebDependsOnGtk3AndShipsTheLauncherDesktopEntryAndMetainfo(@TempDir Path scratch) throws Exception {
        if (!debianTools()) {
            // No dpkg-deb, no .deb: package.sh says so and stops after the app-image.
            try (Stream<Path> files = Files.list(PACKAGES)) {
                assertThat(files.map(f -> f.getFileName().toString())).noneMatch(n -> n.endsWith(".deb"));
            }
            return;
        }
        Path deb;
        try (Stream<Path> files = Files.list(PACKAGES)) {
            deb = files.filter(f -> f.getFileName().toString().matches("redock_[0-9.]+-1_[a-z0-9]+\\.deb"))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no redock_<version>-1_<arch>.deb in " + PACKAGES));
        }

        Result depends = run(scratch, "dpkg-deb", "-f", deb.toString(), "Depends");
        assertThat(depends.exitCode()).as(depends.out()).isZero();
        assertThat(Arrays.stream(depends.out().split(",")).map(String::strip)).contains("libgtk-3-0");

        Result contents = run(scratch, "dpkg-deb", "-c", deb.toString());
        assertThat(contents.exitCode()).as("dpkg-deb -c").isZero();
        List<String> paths = contents.out().lines().map(line -> line.substring(line.lastIndexOf(' ') + 1)).toList();
        assertThat(paths).contains(
                "./opt/redock/bin/redock",
                "./opt/redock/lib/app/redock.jar",
                "./opt/redock/lib/dev.redock.Redock.desktop",
                "./opt/redock/lib/dev.redock.Redock.metainfo.xml",
                "./opt/redock/lib/icons/hicolor/16x16/apps/dev.redock.Redock.png",
                "./opt/redock/lib/icons/hicolor/256x256/apps/dev.redock.Redock.png");
        assertThat(contents.out().lines().filter(line -> line.endsWith(" ./opt/redock/bin/redock")))
                .allMatch(line -> line.startsWith("-rwxr-xr-x"));
        // The image's archive names the jar where the image was built: the package carries the class list instead.
        assertThat(paths).contains("./opt/redock/lib/app/redock.classlist").doesNotContain("./opt/redock/lib/app/redock.jsa");

        Result postinst = run(scratch, "dpkg-deb", "-I", deb.toString(), "postinst");
        assertThat(postinst.out())
                .contains("/usr/share/applications/$id.desktop")
                .contains("/usr/share/metainfo/$id.metainfo.xml")
                .contains("ln -sf \"$app/bin/redock\" /usr/bin/redock")
                .contains("-Xshare:dump -XX:SharedClassListFile=$app/lib/app/redock.classlist");
    }

    @Test
    void theDebsClassListMakesAnArchiveWhereThePackageIsUnpacked(@TempDir Path scratch) throws Exception {
        if (!debianTools()) {
            return;
        }
        Path deb;
        try (Stream<Path> files = Files.list(PACKAGES)) {
            deb = files.filter(f -> f.getFileName().toString().endsWith(".deb")).findFirst().orElseThrow();
        }
        Path root = scratch.resolve("root");
        assertThat(run(scratch, "dpkg-deb", "-x", deb.toString(), root.toString()).exitCode()).isZero();
        Path app = root.resolve("opt/redock");

        // What postinst runs in /opt/redock, here where the package was unpacked.
        Result dump = run(List.of(app.resolve("bin/redock").toString()), Map.of("JAVA_TOOL_OPTIONS",
                "-Xshare:dump -XX:SharedClassListFile=" + app.resolve("lib/app/redock.classlist")), scratch.resolve("dump.txt"), 120);
        assertThat(dump.exitCode()).as(dump.out()).isZero();
        assertThat(app.resolve("lib/app/redock.jsa")).isNotEmptyFile();

        Result r = run(List.of(app.resolve("bin/redock").toString(), "--version"),
                Map.of("REDOCK_HOME", scratch.resolve("home").toString(), "JAVA_TOOL_OPTIONS", "-Xshare:on -Xlog:class+load"),
                scratch.resolve("version.txt"), 60);
        assertThat(r.exitCode()).as(r.out()).isZero();
        assertThat(r.out()).containsPattern("picocli\\.CommandLine source: shared objects file");
    }
}
