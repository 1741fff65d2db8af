package dev.redock.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class GitSourceTest {

    @Nested
    class Validation {

        @Test
        void acceptsPathsFileHttpsSshAndScpLikeRepositories() {
            for (String url : List.of("/srv/git/web.git", "file:///srv/git/web.git", "https://git.example.com/team/web.git",
                    "http://127.0.0.1:8080/web.git", "ssh://git@git.example.com:2222/team/web.git", "git@github.com:team/web.git")) {
                assertThat(GitSource.of(url, "main").url()).isEqualTo(url);
            }
        }

        @Test
        void defaultsTheDockerfileToTheContextAndTheContextToTheRoot() {
            GitSource root = GitSource.of("/srv/web.git", "main");
            assertThat(root.context()).isEqualTo(".");
            assertThat(root.dockerfile()).isEqualTo("Dockerfile");
            assertThat(root.dockerfileInContext()).isEqualTo("Dockerfile");
            assertThat(root.paths()).isEmpty();

            GitSource sub = new GitSource("/srv/web.git", "main", null, "./services/web/", null);
            assertThat(sub.context()).isEqualTo("services/web");
            assertThat(sub.dockerfile()).isEqualTo("services/web/Dockerfile");
            assertThat(sub.dockerfileInContext()).isEqualTo("Dockerfile");

            GitSource outside = new GitSource("/srv/web.git", "main", "docker/web.Dockerfile", "app", null);
            assertThat(outside.dockerfileInContext()).isNull();
        }

        @Test
        void aDockerfileAtTheContextsDefaultPlaceIsGivenAsNoneSoThatItFollowsANewContext() {
            assertThat(GitSource.of("/srv/web.git", "main").givenDockerfile()).isNull();
            assertThat(new GitSource("/srv/web.git", "main", "services/web/Dockerfile", "services/web", null).givenDockerfile()).isNull();
            assertThat(new GitSource("/srv/web.git", "main", "Dockerfile", "services/web", null).givenDockerfile()).isEqualTo("Dockerfile");
            assertThat(new GitSource("/srv/web.git", "main", "docker/web.Dockerfile", "app", null).givenDockerfile())
                    .isEqualTo("docker/web.Dockerfile");
        }

        @Test
        void dropsALeadingRefsHeadsFromTheBranch() {
            assertThat(GitSource.of("/srv/web.git", "refs/heads/release/1.x").branch()).isEqualTo("release/1.x");
        }

        @Test
        void refusesWhatGitWouldNotTakeAndNamesTheField() {
            assertRefused(() -> GitSource.of("", "main"), "git", "empty");
            assertRefused(() -> GitSource.of("relative/path", "main"), "git", "invalid git repository");
            assertRefused(() -> GitSource.of("ftp://host/repo.git", "main"), "git", "invalid git repository");
            assertRefused(() -> GitSource.of("https:///repo.git", "main"), "git", "no host");
            assertRefused(() -> GitSource.of("https://user:s3cret@git.example.com/web.git", "main"), "git", "password");
            assertRefused(() -> GitSource.of("/srv/web.git", " "), "branch", "empty");
            assertRefused(() -> GitSource.of("/srv/web.git", "feature..x"), "branch", "invalid branch name");
            assertRefused(() -> GitSource.of("/srv/web.git", "bad name"), "branch", "invalid branch name");
            assertRefused(() -> GitSource.of("/srv/web.git", "topic.lock"), "branch", "invalid branch name");
            assertRefused(() -> new GitSource("/srv/web.git", "main", "../Dockerfile", null, null), "dockerfile", "leaves the repository");
            assertRefused(() -> new GitSource("/srv/web.git", "main", "/Dockerfile", null, null), "dockerfile", "relative to the repository");
            assertRefused(() -> new GitSource("/srv/web.git", "main", null, "/srv", null), "context", "relative to the repository");
            assertRefused(() -> new GitSource("/srv/web.git", "main", null, "app/../..", null), "context", "leaves the repository");
            assertRefused(() -> new GitSource("/srv/web.git", "main", null, null, List.of(" ")), "paths", "empty");
            assertRefused(() -> new GitSource("/srv/web.git", "main", null, null, List.of("../x")), "paths", "leaves the repository");
        }

        @Test
        void refusesAControlCharacterInTheUrlAsItIsOrPercentEncodedWithoutEchoingIt() {
            for (String url : List.of("https://git.example.com/web.git%0Ahost=evil.example", "https://git.example.com/web%0a.git",
                    "https://git.example.com/web.git%00", "https://git.example.com/%1Fweb.git", "https://git.example.com/web%7f.git",
                    "https://git.example.com/web\n.git", "https://git.example.com/web\u0000.git", "git@git.example.com:te\ram/web.git",
                    "/srv/git/web%0A.git", "ssh://git@git.example.com/web.git%0d")) {
                assertThatThrownBy(() -> GitSource.of(url, "main")).as(url)
                        .isInstanceOfSatisfying(ValidationException.class, e -> {
                            assertThat(e.field()).isEqualTo("git");
                            assertThat(e.getMessage()).isEqualTo(GitSource.CONTROL_REFUSED)
                                    .contains("control character").doesNotContain("git.example.com");
                        });
            }
            assertThat(GitSource.of("https://git.example.com/web%20site.git", "main").url()).as("other escapes stay")
                    .isEqualTo("https://git.example.com/web%20site.git");
            assertThat(GitSource.of(" https://git.example.com/web.git\n", "main").url()).as("surrounding space is dropped")
                    .isEqualTo("https://git.example.com/web.git");
        }

        @Test
        void refusesCredentialsInAUrlButLetsAnSshUrlNameItsUser() {
            for (String url : List.of("https://ghp_0123456789abcdef@github.com/team/web.git", "https://me:s3cret@git.example.com/web.git",
                    "http://oauth2:glpat-xyz@127.0.0.1:8080/web.git", "HTTPS://token@git.example.com/web.git",
                    "https://@git.example.com/web.git", "git://user@git.example.com/web.git",
                    "ssh://git:s3cret@git.example.com/web.git", "ssh://:s3cret@git.example.com/web.git")) {
                assertThatThrownBy(() -> GitSource.of(url, "main")).as(url)
                        .isInstanceOfSatisfying(ValidationException.class, e -> {
                            assertThat(e.field()).isEqualTo("git");
                            assertThat(e.getMessage()).isEqualTo(GitSource.CREDENTIALS_REFUSED)
                                    .contains("git credential helper").contains("SSH agent").contains("never in the URL")
                                    .doesNotContain("s3cret").doesNotContain("ghp_");
                        });
            }
            for (String url : List.of("ssh://git@git.example.com:2222/team/web.git", "git@github.com:team/web.git",
                    "https://git.example.com/team/web.git", "https://git.example.com/team/web@2.git")) {
                assertThat(GitSource.of(url, "main").url()).isEqualTo(url);
            }
        }

        @Test
        void aSourceStoredBeforeTheseChecksStillLoadsAndShowsItsUrlWithoutCredentials() {
            GitSource stored = new GitSource("https://ghp_0123456789abcdef@github.com/team/web.git", "main", null, null, null);
            assertThat(stored.urlWithoutCredentials()).isEqualTo("https://github.com/team/web.git");
            assertThat(stored.describe()).isEqualTo("git:https://github.com/team/web.git#main");
            assertThat(stored.key()).as("polling still goes by the URL it fetches").contains("ghp_");
            assertThat(GitSource.withoutCredentials("http://oauth2:glpat-xyz@127.0.0.1:8080/web.git"))
                    .isEqualTo("http://127.0.0.1:8080/web.git");
            assertThat(GitSource.withoutCredentials("ssh://git:s3cret@git.example.com/web.git")).isEqualTo("ssh://git@git.example.com/web.git");
            assertThat(GitSource.withoutCredentials("ssh://git@git.example.com/web.git")).isEqualTo("ssh://git@git.example.com/web.git");
            assertThat(GitSource.withoutCredentials("git@github.com:team/web.git")).isEqualTo("git@github.com:team/web.git");
            assertThat(GitSource.withoutCredentials("/srv/git/web.git")).isEqualTo("/srv/git/web.git");
            assertThat(GitSource.hidingCredentials(stored.url(), "https://ghp_0123456789abcdef@github.com/team/web.git: not authorized"))
                    .isEqualTo("https://github.com/team/web.git: not authorized");
        }

        private void assertRefused(Runnable r, String field, String message) {
            assertThatThrownBy(r::run).isInstanceOfSatisfying(ValidationException.class, e -> {
                assertThat(e.field()).isEqualTo(field);
                assertThat(e.getMessage()).contains(message);
            });
        }
    }

    @Test
    void suggestsAServiceNameFromTheRepository() {
        assertThat(GitSource.of("https://git.example.com/team/web-site.git", "main").suggestedName()).isEqualTo("web-site");
        assertThat(GitSource.of("git@github.com:team/api.git", "main").suggestedName()).isEqualTo("api");
        assertThat(GitSource.of("/srv/git/shop/", "main").suggestedName()).isEqualTo("shop");
    }

    @Test
    void namesTheBuiltImageAfterTheServiceInAFormImageReferencesAccept() {
        assertThat(GitSource.builtImage("web", "1a2b3c4").familiar()).isEqualTo("redock/web:1a2b3c4");
        assertThat(GitSource.builtImage("My_Web..App-", "1a2b3c4").familiar()).isEqualTo("redock/my-web-app:1a2b3c4");
    }

    @Nested
    class PathFilters {

        @Test
        void aPlainPathNamesAFileOrEverythingUnderAFolder() {
            assertThat(PathFilter.matches("src", "src/main/App.java")).isTrue();
            assertThat(PathFilter.matches("src/", "src/main/App.java")).isTrue();
            assertThat(PathFilter.matches("src", "src")).isTrue();
            assertThat(PathFilter.matches("src", "srcs/App.java")).isFalse();
            assertThat(PathFilter.matches("Dockerfile", "Dockerfile")).isTrue();
            assertThat(PathFilter.matches("Dockerfile", "app/Dockerfile")).isFalse();
        }

        @Test
        void wildcardsMatchWithinASegmentAndDoubleStarsAcrossSegments() {
            assertThat(PathFilter.matches("*.md", "README.md")).isTrue();
            assertThat(PathFilter.matches("*.md", "docs/guide/intro.md")).as("a bare name matches at any depth").isTrue();
            assertThat(PathFilter.matches("docs/*.md", "docs/guide/intro.md")).isFalse();
            assertThat(PathFilter.matches("docs/**/*.md", "docs/guide/intro.md")).isTrue();
            assertThat(PathFilter.matches("docs/**/*.md", "docs/intro.md")).isTrue();
            assertThat(PathFilter.matches("services/*/src", "services/web/src/App.java")).isTrue();
            assertThat(PathFilter.matches("ap?", "app/x")).isTrue();
        }

        @Test
        void aCommitCountsWhenAChangedPathIsIncludedAndNotExcluded() {
            GitSource web = new GitSource("/srv/web.git", "main", null, null, List.of("site/", "Dockerfile", "!site/**/*.md"));
            assertThat(web.touches(Set.of("site/index.html"))).isTrue();
            assertThat(web.touches(Set.of("README.md", "api/main.go"))).isFalse();
            assertThat(web.touches(Set.of("site/notes/todo.md"))).as("only excluded paths").isFalse();
            assertThat(web.touches(Set.of("site/notes/todo.md", "Dockerfile"))).isTrue();

            GitSource allButDocs = new GitSource("/srv/web.git", "main", null, null, List.of("!docs"));
            assertThat(allButDocs.touches(Set.of("docs/a.md"))).isFalse();
            assertThat(allButDocs.touches(Set.of("docs/a.md", "main.go"))).isTrue();

            assertThat(GitSource.of("/srv/web.git", "main").touches(Set.of("anything"))).as("no filters: every commit").isTrue();
        }
    }

    @Test
    void tellsTheSameRepositoryWhateverTheUrlsForm() {
        assertThat(GitSource.sameRepository("https://github.com/team/web.git", "git@github.com:team/web")).isTrue();
        assertThat(GitSource.sameRepository("ssh://git@GitHub.com:22/team/web/", "https://github.com/team/web")).isTrue();
        assertThat(GitSource.sameRepository("file:///srv/git/web.git", "/srv/git/web")).isTrue();
        assertThat(GitSource.sameRepository("https://github.com/team/web.git", "https://github.com/team/api.git")).isFalse();
        assertThat(GitSource.sameRepository("https://github.com/team/web.git", "https://gitlab.com/team/web.git")).isFalse();
    }
}
