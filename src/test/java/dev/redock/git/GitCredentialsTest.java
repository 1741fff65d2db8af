package dev.redock.git;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import org.eclipse.jgit.transport.CredentialItem;
import org.eclipse.jgit.transport.URIish;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import dev.redock.model.BuildProgress;
import dev.redock.model.CommitInfo;
import dev.redock.model.GitSource;
import dev.redock.model.Labels;
import dev.redock.testenv.DockerTest;
import dev.redock.testenv.GitRepos;
import dev.redock.testenv.TestEnv;
import dev.redock.testenv.TestImages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Git credentials go where the user put them and nowhere else: the user's real {@code git credential fill} is never asked
 * a request that a URL's text could extend with lines of its own, and a source stored with a token in its URL (before
 * Redock refused those) builds an image whose labels, and messages about its remote, do not carry the token.
 */
@ExtendWith(DockerTest.class)
class GitCredentialsTest {

    private static final String TOKEN = "ghp_0123456789abcdefTOKEN";

    @TempDir
    Path dir;
    @TempDir
    Path data;

    @Test
    void theCredentialHelperIsNeverAskedARequestThatALineBreakOrNulWouldExtend() throws Exception {
        Path asked = dir.resolve("asked.log");
        GitCredentialHelper helper = new GitCredentialHelper(gitWithHelperThatLogs(asked).toString(), Duration.ofSeconds(20));

        CredentialItem.Username user = new CredentialItem.Username();
        CredentialItem.Password password = new CredentialItem.Password();
        assertThat(helper.get(new URIish("https://git.example.test/team/web.git"), user, password))
                .as("a plain URL: the helper is asked and answers").isTrue();
        assertThat(user.getValue()).isEqualTo("helper-user");
        assertThat(Files.readString(asked, StandardCharsets.UTF_8)).contains("protocol=https\n", "host=git.example.test\n");
        Files.delete(asked);

        for (String url : List.of("https://git.example.test/team/web.git%0Ahost=evil.example",
                "https://git.example.test/team/web%0D%0Ahost=evil.example", "https://git.example.test/web%00.git",
                "https://me%0Ahost=evil.example@git.example.test/team/web.git")) {
            URIish uri = new URIish(url);
            assertThatThrownBy(() -> GitCredentialHelper.request(uri, "https")).as(url)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("line break or NUL");
            assertThat(helper.get(uri, new CredentialItem.Username(), new CredentialItem.Password())).as(url).isFalse();
        }
        assertThat(asked).as("git credential fill never ran for those").doesNotExist();
    }

    @Test
    void anImageBuiltForASourceStoredWithATokenInItsUrlIsLabelledWithTheUrlWithoutIt() throws Exception {
        try (GitRepos repo = GitRepos.create(dir.resolve("repo"))) {
            String sha = repo.commit("main", Map.of("Dockerfile", GitRepos.webDockerfile(TestImages.baseImage()),
                    "index.html", "labelled"), "A page");
            String stored = "https://" + TOKEN + "@git.example.test/team/web.git";
            GitSource source = new GitSource(stored, "main", null, null, null); // as the store reads an older service
            SourceCache cache = new SourceCache(data.resolve("git-cache"), null, Duration.ofSeconds(10), null);
            // The commit is in the cache already, as after an earlier fetch: nothing is asked of the (made-up) host.
            copyFolder(repo.bare(), cache.repositoryOf(stored));
            SourceBuilder builder = new SourceBuilder(cache, dev.redock.engine.Engines.single(TestEnv.engine()), data.resolve("git-cache/tmp"));
            List<String> progress = new CopyOnWriteArrayList<>();
            BuildProgress lines = new BuildProgress() {
                @Override
                public void line(String text) {
                    progress.add(text);
                }
            };

            CommitInfo commit = builder.fetch(source, sha, lines);
            SourceBuilder.Built built = builder.build(dev.redock.model.Service.DEFAULT_ENGINE, TestEnv.uniqueName("labels"), UUID.randomUUID(), source, commit,
                    Duration.ofMinutes(5), lines);

            Map<String, String> labels = TestEnv.docker().inspectImageCmd(built.imageId()).exec().getConfig().getLabels();
            assertThat(labels).containsEntry(Labels.OCI_SOURCE, "https://git.example.test/team/web.git")
                    .containsEntry(Labels.OCI_REVISION, sha);
            assertThat(labels.values()).noneMatch(v -> v.contains(TOKEN));
            assertThat(progress).isNotEmpty().noneMatch(l -> l.contains(TOKEN));
        }
    }

    @Test
    void aRemoteThatCannotBeReachedIsNamedWithoutTheTokenItsStoredUrlCarries() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        String stored = "https://" + TOKEN + "@127.0.0.1:" + closed + "/team/web.git";
        GitRemotes remotes = new GitRemotes(null, Duration.ofSeconds(5), null);
        assertThatThrownBy(() -> remotes.head(stored, "main")).isInstanceOf(GitException.class)
                .hasMessageStartingWith("cannot reach https://127.0.0.1:" + closed + "/team/web.git: ")
                .hasMessageNotContaining(TOKEN);

        SourceCache cache = new SourceCache(data.resolve("git-cache"), null, Duration.ofSeconds(5), null);
        GitSource source = new GitSource(stored, "main", null, null, null);
        assertThatThrownBy(() -> cache.fetch(source, "0123456789012345678901234567890123456789", BuildProgress.NONE))
                .isInstanceOf(GitException.class).hasMessageNotContaining(TOKEN);
    }

    /** A {@code git} that reads only its own config: a credential helper that logs what it is asked and answers. */
    private Path gitWithHelperThatLogs(Path asked) throws IOException {
        Path config = dir.resolve("gitconfig");
        Files.writeString(config, "[credential]\n\thelper = \"!f() { cat >> '" + asked
                + "'; echo username=helper-user; echo password=helper-pass; }; f\"\n", StandardCharsets.UTF_8);
        Path git = dir.resolve("git");
        Files.writeString(git, "#!/bin/sh\nGIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL='" + config + "' exec git \"$@\"\n",
                StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(git, PosixFilePermissions.fromString("rwx------"));
        return git;
    }

    private static void copyFolder(Path from, Path to) throws IOException {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : all.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
