package dev.redock.git;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.redock.model.BuildProgress;
import dev.redock.model.CommitInfo;
import dev.redock.model.GitSource;
import dev.redock.model.ValidationException;
import dev.redock.testenv.GitRepos;
import dev.redock.testenv.RawHttpServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Reading remotes and caching commits, on real repositories made with JGit (no Docker needed); and, for the faults no real
 * git server produces on demand, against raw HTTP answers that never end ({@link RawHttpServer}).
 */
class SourceCacheTest {

    @TempDir
    Path dir;
    @TempDir
    Path data;

    private GitRepos repo;
    private SourceCache cache;
    private GitRemotes remotes;

    @BeforeEach
    void setUp() {
        repo = GitRepos.create(dir);
        cache = new SourceCache(data.resolve("git-cache"), null, Duration.ofSeconds(10), null);
        remotes = new GitRemotes(null, Duration.ofSeconds(10), null);
    }

    @AfterEach
    void tearDown() {
        repo.close();
    }

    private GitSource source(String... paths) {
        return new GitSource(repo.bare().toString(), "main", null, null, List.of(paths));
    }

    @Test
    void readsABranchHeadWithoutCloningAndCountsTheRequests() throws Exception {
        String first = repo.commit("main", Map.of("a.txt", "a"), "First");
        repo.commit("other", Map.of("b.txt", "b"), "Elsewhere");
        String url = repo.bare().toString();

        assertThat(remotes.head(url, "main")).isEqualTo(first);
        assertThat(remotes.head("file://" + url, "main")).isEqualTo(first);
        assertThat(remotes.requestCount(url, "main")).isEqualTo(1);
        assertThatThrownBy(() -> remotes.head(url, "nope"))
                .isInstanceOfSatisfying(GitException.class, e -> assertThat(e.affectsRemote()).isFalse())
                .hasMessageContaining("the branch \"nope\" does not exist");
        assertThatThrownBy(() -> remotes.head(dir.resolve("missing.git").toString(), "main"))
                .isInstanceOfSatisfying(GitException.class, e -> assertThat(e.affectsRemote()).isTrue())
                .hasMessageContaining("cannot reach " + dir.resolve("missing.git"));
    }

    @Test
    void saysWhyAnSshOrHttpsRemoteCannotBeReached() throws Exception {
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        GitRemotes quick = new GitRemotes(new GitCredentialHelper(), Duration.ofSeconds(3), null);
        for (String url : List.of("ssh://git@127.0.0.1:" + closed + "/team/web.git", "https://127.0.0.1:" + closed + "/team/web.git")) {
            assertThatThrownBy(() -> quick.head(url, "main"))
                    .isInstanceOfSatisfying(GitException.class, e -> assertThat(e.affectsRemote()).isTrue())
                    .hasMessageStartingWith("cannot reach " + url + ": ")
                    .hasMessageContaining("refused");
        }
        assertThat(GitRemotes.hostKey("ssh://git@127.0.0.1:" + closed + "/team/web.git")).isEqualTo("127.0.0.1:" + closed);
        assertThat(GitRemotes.hostKey("git@github.com:team/web.git")).isEqualTo("github.com");
    }

    @Test
    void aRemoteThatSaysNothingFailsHeadAtItsReadTimeout() {
        assertHeadFails(RawHttpServer.Connection::stall, url -> "cannot reach " + url + ": no answer in time",
                Duration.ofSeconds(2));
    }

    @Test
    void aRemoteThatTricklesFailsHeadWithinTwiceTheTimeoutThoughNoReadTimesOut() {
        assertHeadFails(SourceCacheTest::trickleRefs, url -> "git remote " + url + " sent no complete answer within 4 s",
                Duration.ofSeconds(4));
    }

    /**
     * {@code head()} of a remote that answers so, read with a 2 s timeout, fails as the remote's failure, with the message
     * for its URL, within three times the bound.
     */
    private static void assertHeadFails(RawHttpServer.Answer answer, Function<String, String> message, Duration bound) {
        try (RawHttpServer remote = RawHttpServer.start(answer)) {
            String url = "http://" + remote.address() + "/team/web.git";

            long started = System.nanoTime();
            assertThatThrownBy(() -> new GitRemotes(null, Duration.ofSeconds(2), null).head(url, "main"))
                    .isInstanceOfSatisfying(GitException.class, e -> assertThat(e.affectsRemote()).isTrue())
                    .hasMessage(message.apply(url));
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(bound.multipliedBy(3));
        }
    }

    @Test
    void aFetchFromARemoteThatTricklesEndsWithinItsBound() {
        try (RawHttpServer trickling = RawHttpServer.start(SourceCacheTest::trickleRefs)) {
            String url = "http://" + trickling.address() + "/team/web.git";
            Duration bound = Duration.ofSeconds(3);
            SourceCache bounded = new SourceCache(data.resolve("bounded-cache"), null, Duration.ofSeconds(2), bound, null);
            GitSource source = new GitSource(url, "main", null, null, List.of());

            long started = System.nanoTime();
            assertThatThrownBy(() -> bounded.fetch(source, "0123456789012345678901234567890123456789", BuildProgress.NONE))
                    .isInstanceOfSatisfying(GitException.class, e -> assertThat(e.affectsRemote()).isTrue())
                    .hasMessage("cannot fetch main from " + url + ": no complete answer within 3 s");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(bound.multipliedBy(3));
        }
    }

    /**
     * A smart HTTP ref advertisement without end: after the service line, its first ref line announces 65520 bytes, sent
     * one every 100 ms.
     */
    private static void trickleRefs(RawHttpServer.Connection c) throws IOException, InterruptedException {
        c.send("HTTP/1.1 200 OK\r\nContent-Type: application/x-git-upload-pack-advertisement\r\n"
                + "Content-Length: 1000000\r\n\r\n001e# service=git-upload-pack\n0000fff0");
        c.trickle((byte) 'a', 100);
    }

    @Test
    void fetchesTheFirstCommitShallowAndLaterOnlyWhatIsNew() throws Exception {
        repo.commit("main", Map.of("a.txt", "1"), "One");
        String two = repo.commit("main", Map.of("a.txt", "2"), "Two");
        CommitInfo info = cache.fetch(source(), two, BuildProgress.NONE);
        assertThat(info).isEqualTo(new CommitInfo(two, "Ada Tester <ada@example.test>", "Two"));
        try (var cached = new FileRepositoryBuilder().setGitDir(cache.repositoryOf(repo.bare().toString()).toFile()).build()) {
            assertThat(cached.getObjectDatabase().getShallowCommits()).as("depth 1").isNotEmpty();
        }

        String three = repo.commit("main", Map.of("site/index.html", "3", "README.md", "readme"), "Three");
        assertThat(cache.fetch(source(), three, BuildProgress.NONE).message()).isEqualTo("Three");
        assertThat(cache.changedPaths(source(), two, three)).hasValueSatisfying(paths ->
                assertThat(paths).containsExactlyInAnyOrder("site/index.html", "README.md"));
    }

    @Test
    void saysSoWhenTheOlderCommitIsUnknownSoThatAChangeCountsAsTouchingEverything() throws Exception {
        String one = repo.commit("main", Map.of("a.txt", "1"), "One");
        String two = repo.commit("main", Map.of("a.txt", "2"), "Two");
        cache.fetch(source(), two, BuildProgress.NONE);
        // The cache only has "two" (shallow); "one" is brought by deepening, an unknown commit is not.
        assertThat(cache.changedPaths(source(), one, two)).hasValue(java.util.Set.of("a.txt"));
        assertThat(cache.changedPaths(source(), "0123456789012345678901234567890123456789", two)).isEmpty();
    }

    @Test
    void exportsTheCommitsContextAsATarWithTheDockerfileFromOutsideIt() throws Exception {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("app/index.html", "hello");
        files.put("app/sub/x.txt", "x");
        files.put("docker/web.Dockerfile", "FROM scratch\n");
        files.put("other/y.txt", "y");
        String sha = repo.commit("main", files, "Layout");
        GitSource outside = new GitSource(repo.bare().toString(), "main", "docker/web.Dockerfile", "app", null);
        assertThat(context(outside, sha, SourceCache.OUTSIDE_DOCKERFILE)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "index.html", "hello", "sub/x.txt", "x", SourceCache.OUTSIDE_DOCKERFILE, "FROM scratch\n"));

        GitSource noDockerfile = new GitSource(repo.bare().toString(), "main", null, "app", null);
        assertThatThrownBy(() -> cache.writeContext(noDockerfile, sha, new ByteArrayOutputStream()))
                .isInstanceOf(GitException.class).hasMessageContaining("no Dockerfile at app/Dockerfile");
        GitSource noContext = new GitSource(repo.bare().toString(), "main", "docker/web.Dockerfile", "nowhere", null);
        assertThatThrownBy(() -> cache.writeContext(noContext, sha, new ByteArrayOutputStream()))
                .isInstanceOf(GitException.class).hasMessageContaining("no folder nowhere");
    }

    @Test
    void leavesOutWhatTheContextsDockerignoreExcludesButAlwaysSendsTheDockerfileAndTheIgnoreFile() throws Exception {
        Map<String, String> files = new LinkedHashMap<>();
        files.put(".dockerignore", "*\n"); // outside the context: not read
        files.put("other/y.txt", "y");
        files.put("app/.dockerignore", String.join("\n",
                "# what the image does not need",
                "",
                "  node_modules  ",
                "**/*.log",
                "docs/",
                "!docs/keep.md",
                "*.md",
                "!README.md",
                "# the Dockerfile's folder, and this file itself: both are sent all the same",
                "docker",
                ".dockerignore",
                ""));
        files.put("app/index.html", "hello");
        files.put("app/README.md", "readme");
        files.put("app/CHANGES.md", "changes");
        files.put("app/server.log", "log");
        files.put("app/sub/x.txt", "x");
        files.put("app/sub/deep/debug.log", "log");
        files.put("app/node_modules/lib/index.js", "js");
        files.put("app/docs/guide.md", "guide");
        files.put("app/docs/keep.md", "keep");
        files.put("app/docker/Dockerfile", "FROM scratch\n");
        files.put("app/docker/notes.txt", "notes");
        String sha = repo.commit("main", files, "Ignored files");
        GitSource source = new GitSource(repo.bare().toString(), "main", "app/docker/Dockerfile", "app", null);
        Map<String, String> entries = context(source, sha, "docker/Dockerfile");
        assertThat(entries.keySet()).containsExactlyInAnyOrder(
                ".dockerignore", "index.html", "README.md", "sub/x.txt", "docs/keep.md", "docker/Dockerfile");
        assertThat(entries.get("docker/Dockerfile")).isEqualTo("FROM scratch\n");
        assertThat(entries.get(".dockerignore")).startsWith("# what the image does not need");
    }

    @Test
    void theDockerfilesOwnIgnoreFileTakesThePlaceOfTheContexts() throws Exception {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("app/.dockerignore", "*.txt\n");
        files.put("app/docker/web.Dockerfile", "FROM scratch\n");
        files.put("app/docker/web.Dockerfile.dockerignore", "secrets/\n");
        files.put("app/Dockerfile", "FROM scratch\n");
        files.put("app/notes.txt", "notes");
        files.put("app/secrets/key", "key");
        files.put("app/index.html", "hello");
        String sha = repo.commit("main", files, "Two ignore files");
        GitSource web = new GitSource(repo.bare().toString(), "main", "app/docker/web.Dockerfile", "app", null);
        assertThat(context(web, sha, "docker/web.Dockerfile").keySet()).as("only the Dockerfile's own ignore file is read")
                .containsExactlyInAnyOrder(".dockerignore", "index.html", "notes.txt", "Dockerfile", "docker/web.Dockerfile",
                        "docker/web.Dockerfile.dockerignore");

        GitSource other = new GitSource(repo.bare().toString(), "main", null, "app", null);
        assertThat(context(other, sha, "Dockerfile").keySet()).as("another Dockerfile without one: the context's")
                .doesNotContain("notes.txt").contains("secrets/key", "index.html");
    }

    @Test
    void refusesAMalformedDockerignoreNamingTheFileAndTheLine() throws Exception {
        String sha = repo.commit("main", Map.of("app/Dockerfile", "FROM scratch\n", "app/.dockerignore", "# fine\n*.log\n[abc\n"),
                "Broken ignore file");
        GitSource source = new GitSource(repo.bare().toString(), "main", null, "app", null);
        cache.fetch(source, sha, BuildProgress.NONE);

        assertThatThrownBy(() -> cache.writeContext(source, sha, new ByteArrayOutputStream()))
                .isInstanceOfSatisfying(GitException.class, e -> assertThat(e.affectsRemote()).isFalse())
                .hasMessageStartingWith("line 3 of app/.dockerignore in commit " + CommitInfo.shortSha(sha)
                        + " has a malformed pattern \"[abc\"");
    }

    @Test
    void listsTheRemotesOfALocalCloneForTheWizard() throws Exception {
        repo.commit("main", Map.of("a.txt", "a"), "First");
        try (Git work = Git.open(repo.work().toFile())) {
            work.remoteAdd().setName("mirror").setUri(new org.eclipse.jgit.transport.URIish("https://git.example.com/team/web.git")).call();
        }
        Map<String, String> found = GitRemotes.remotesOf(repo.work());
        assertThat(found).containsOnlyKeys("origin", "mirror");
        assertThat(found.get("mirror")).isEqualTo("https://git.example.com/team/web.git");
        assertThat(GitRemotes.remoteUrl(repo.work(), "origin")).isEqualTo(repo.bare().toUri().toString());
        assertThatThrownBy(() -> GitRemotes.remoteUrl(repo.work(), "upstream"))
                .isInstanceOf(ValidationException.class).hasMessageContaining("has no remote \"upstream\" (it has origin, mirror)");
        assertThatThrownBy(() -> GitRemotes.remotesOf(data)).isInstanceOf(ValidationException.class)
                .hasMessageContaining("is not a git repository");
    }

    /** The build context the cache writes for the source at the commit (fetched first), by path; checks the Dockerfile's path in it. */
    private Map<String, String> context(GitSource source, String sha, String dockerfileInContext) throws Exception {
        cache.fetch(source, sha, BuildProgress.NONE);
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        assertThat(cache.writeContext(source, sha, tar)).isEqualTo(dockerfileInContext);
        return entries(tar.toByteArray());
    }

    private static Map<String, String> entries(byte[] tar) throws IOException {
        Map<String, String> result = new LinkedHashMap<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
            TarArchiveEntry e;
            while ((e = in.getNextEntry()) != null) {
                result.put(e.getName(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        return result;
    }
}
