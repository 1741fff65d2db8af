package dev.redock.registry;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.redock.testenv.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;

class CredentialStoreTest {

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-22T10:00:00Z"));

    private Path config(String json) throws IOException {
        Path file = dir.resolve("config.json");
        Files.writeString(file, json);
        return file;
    }

    private CredentialStore store(Path config) {
        return new CredentialStore(config, List.of(dir.resolve("bin")), Duration.ofSeconds(5), clock);
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes an executable {@code docker-credential-<name>} shell script into the helper folder. */
    private Path helper(String name, String script) throws IOException {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path file = bin.resolve("docker-credential-" + name);
        Files.writeString(file, "#!/bin/sh\n" + script + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }

    @Test
    void decodesTheBase64AuthOfABareHost() throws Exception {
        CredentialStore store = store(config("{\"auths\":{\"localhost:5000\":{\"auth\":\"" + base64("bob:pa:ss") + "\"}}}"));

        assertThat(store.lookup("localhost:5000")).contains(Credentials.of("bob", "pa:ss"));
        assertThat(store.lookup("localhost:5001")).isEmpty();
    }

    @Test
    void findsDockerHubUnderItsLegacyKey() throws Exception {
        CredentialStore store = store(config("{\"auths\":{\"https://index.docker.io/v1/\":{\"auth\":\"" + base64("hubuser:hubpass")
                + "\"}}}"));

        assertThat(store.lookup("docker.io")).contains(Credentials.of("hubuser", "hubpass"));
    }

    @Test
    void readsUsernameAndPasswordFieldsUnderAUrlKey() throws Exception {
        CredentialStore store = store(config(
                "{\"auths\":{\"https://registry.example.com/v2/\":{\"username\":\"ci\",\"password\":\"token\"}}}"));

        assertThat(store.lookup("registry.example.com")).contains(Credentials.of("ci", "token"));
    }

    @Test
    void keepsAnIdentityToken() throws Exception {
        CredentialStore store = store(config("{\"auths\":{\"ghcr.io\":{\"auth\":\"" + base64("me:") + "\",\"identitytoken\":\"rt\"}}}"));

        assertThat(store.lookup("ghcr.io")).contains(new Credentials("me", "", "rt"));
    }

    @Test
    void knowsNothingWithoutAConfigFileOrWithABrokenOne() throws Exception {
        assertThat(store(dir.resolve("missing.json")).lookup("docker.io")).isEmpty();
        assertThat(store(config("{not json")).lookup("docker.io")).isEmpty();
        assertThat(store(config("{\"auths\":{\"a.io\":{\"auth\":\"%%%\"},\"b.io\":{\"auth\":\"" + base64("nocolon") + "\"}}}"))
                .lookup("a.io")).isEmpty();
    }

    @Test
    void readsTheFileAgainOnlyWhenItChanges() throws Exception {
        Path file = config("{\"auths\":{\"localhost:5000\":{\"auth\":\"" + base64("old:one") + "\"}}}");
        CredentialStore store = store(file);
        assertThat(store.lookup("localhost:5000")).contains(Credentials.of("old", "one"));

        Files.writeString(file, "{\"auths\":{\"localhost:5000\":{\"auth\":\"" + base64("new:two") + "\"}}}");
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));

        assertThat(store.lookup("localhost:5000")).contains(Credentials.of("new", "two"));
    }

    @Test
    void asksTheCredentialHelperNamedForTheRegistry() throws Exception {
        // The helper answers with the server URL it read from stdin as the user name.
        helper("test", "[ \"$1\" = get ] || exit 2\nread -r server\n"
                + "printf '{\"ServerURL\":\"%s\",\"Username\":\"user-of-%s\",\"Secret\":\"s3cret\"}' \"$server\" \"$server\"");
        CredentialStore store = store(config("{\"auths\":{},\"credHelpers\":{\"localhost:5000\":\"test\",\"docker.io\":\"test\"}}"));

        assertThat(store.lookup("localhost:5000")).contains(Credentials.of("user-of-localhost:5000", "s3cret"));
        assertThat(store.lookup("docker.io")).contains(Credentials.of("user-of-https://index.docker.io/v1/", "s3cret"));
        assertThat(store.lookup("ghcr.io")).isEmpty();
    }

    @Test
    void usesTheDefaultCredsStoreForOtherRegistries() throws Exception {
        helper("desktop", "read -r server\nprintf '{\"Username\":\"d\",\"Secret\":\"%s-secret\"}' \"$server\"");
        CredentialStore store = store(config("{\"credsStore\":\"desktop\"}"));

        assertThat(store.lookup("registry.example.com")).contains(Credentials.of("d", "registry.example.com-secret"));
    }

    @Test
    void takesTheTokenUserOfAHelperAsAnIdentityToken() throws Exception {
        helper("tok", "printf '{\"Username\":\"<token>\",\"Secret\":\"refresh\"}'");
        CredentialStore store = store(config("{\"credsStore\":\"tok\"}"));

        assertThat(store.lookup("ghcr.io")).contains(new Credentials("", "", "refresh"));
    }

    @Test
    void runsTheHelperOnceWhileItsAnswerIsFresh() throws Exception {
        Path calls = dir.resolve("calls");
        helper("count", "echo call >> '" + calls + "'\nprintf '{\"Username\":\"u\",\"Secret\":\"p\"}'");
        CredentialStore store = store(config("{\"credsStore\":\"count\"}"));

        store.lookup("a.example.com");
        store.lookup("a.example.com");
        assertThat(Files.readAllLines(calls)).hasSize(1);

        clock.advance(CredentialStore.HELPER_CACHE.plusSeconds(1));
        store.lookup("a.example.com");
        assertThat(Files.readAllLines(calls)).hasSize(2);

        store.forget("a.example.com");
        store.lookup("a.example.com");
        assertThat(Files.readAllLines(calls)).hasSize(3);
    }

    @Test
    void fallsBackToTheAuthsEntryWhenTheHelperKnowsNothing() throws Exception {
        helper("empty", "echo 'credentials not found in native keychain'\nexit 1");
        CredentialStore store = store(config("{\"credsStore\":\"empty\",\"auths\":{\"localhost:5000\":{\"auth\":\""
                + base64("file:user") + "\"}}}"));

        assertThat(store.lookup("localhost:5000")).contains(Credentials.of("file", "user"));
        assertThat(store.lookup("other.example.com")).isEmpty();
    }

    @Test
    void goesAnonymousWhenTheHelperIsMissingFailsOrHangs() throws Exception {
        helper("broken", "echo 'kaboom' >&2\nexit 3");
        helper("garbage", "echo 'not json'");
        helper("slow", "exec sleep 30");
        CredentialStore store = new CredentialStore(config("{\"credHelpers\":{\"missing.io\":\"nope\",\"broken.io\":\"broken\","
                + "\"garbage.io\":\"garbage\",\"slow.io\":\"slow\"}}"), List.of(dir.resolve("bin")), Duration.ofMillis(500), clock);

        assertThat(store.lookup("missing.io")).isEmpty();
        assertThat(store.lookup("broken.io")).isEmpty();
        assertThat(store.lookup("garbage.io")).isEmpty();
        long started = System.nanoTime();
        assertThat(store.lookup("slow.io")).isEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void neverShowsTheSecretsInText() {
        assertThat(new Credentials("bob", "hunter2", "refresh-token").toString())
                .contains("bob")
                .doesNotContain("hunter2")
                .doesNotContain("refresh-token");
    }

    @Test
    void normalisesRegistryKeysAsDockerDoes() {
        assertThat(CredentialStore.normalise("https://index.docker.io/v1/")).isEqualTo("docker.io");
        assertThat(CredentialStore.normalise("registry-1.docker.io")).isEqualTo("docker.io");
        assertThat(CredentialStore.normalise("http://Localhost:5000/v2/")).isEqualTo("localhost:5000");
        assertThat(CredentialStore.normalise("ghcr.io")).isEqualTo("ghcr.io");
    }
}
