package dev.redock.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The {@code .dockerignore} patterns, with the docker CLI's meaning. */
class DockerIgnoreTest {

    private static DockerIgnore parse(String... lines) throws GitException {
        return DockerIgnore.parse(String.join("\n", lines) + "\n", ".dockerignore");
    }

    @Test
    void skipsCommentsAndBlankLinesAndTrimsPatterns() throws Exception {
        DockerIgnore ignore = parse("\uFEFF# secrets", "", "   ", "  secret.txt  ", "\t# not a comment once indented");
        assertThat(ignore.excludes("secret.txt")).isTrue();
        assertThat(ignore.excludes("# secrets")).isFalse();
        assertThat(ignore.excludes("# not a comment once indented")).isTrue();
        assertThat(ignore.excludes("index.html")).isFalse();
        assertThat(DockerIgnore.NONE.excludes("anything")).isFalse();
        assertThat(parse("# only a comment").excludes("anything")).isFalse();
    }

    @Test
    void cleansPatternsLikePaths() throws Exception {
        DockerIgnore ignore = parse("/root.txt", "./dot.txt", "dir/", "a/../b.txt", "c//d.txt", "/", ".");
        assertThat(ignore.excludes("root.txt")).isTrue();
        assertThat(ignore.excludes("dot.txt")).isTrue();
        assertThat(ignore.excludes("dir")).isTrue();
        assertThat(ignore.excludes("dir/file")).isTrue();
        assertThat(ignore.excludes("b.txt")).isTrue();
        assertThat(ignore.excludes("a/b.txt")).isFalse();
        assertThat(ignore.excludes("c/d.txt")).isTrue();
        assertThat(ignore.excludes("other.txt")).as("the root itself names no path inside it").isFalse();
    }

    @Test
    void matchesGoGlobsOneFolderAtATime() throws Exception {
        DockerIgnore ignore = parse("*.md", "src/*.tmp", "img?.png", "v[0-9].txt", "[^a-m]*.bak", "a]");
        assertThat(ignore.excludes("README.md")).isTrue();
        assertThat(ignore.excludes(".hidden.md")).isTrue();
        assertThat(ignore.excludes("docs/guide.md")).as("* stays in one folder").isFalse();
        assertThat(ignore.excludes("src/x.tmp")).isTrue();
        assertThat(ignore.excludes("src/sub/x.tmp")).isFalse();
        assertThat(ignore.excludes("img1.png")).isTrue();
        assertThat(ignore.excludes("img10.png")).isFalse();
        assertThat(ignore.excludes("v7.txt")).isTrue();
        assertThat(ignore.excludes("vx.txt")).isFalse();
        assertThat(ignore.excludes("zed.bak")).isTrue();
        assertThat(ignore.excludes("bed.bak")).isFalse();
        assertThat(ignore.excludes("a]")).as("a stray ] is a plain character, as in Go").isTrue();
    }

    @Test
    void escapesSpecialCharactersWithABackslash() throws Exception {
        DockerIgnore ignore = parse("\\*literal", "what\\?");
        assertThat(ignore.excludes("*literal")).isTrue();
        assertThat(ignore.excludes("xliteral")).isFalse();
        assertThat(ignore.excludes("what?")).isTrue();
        assertThat(ignore.excludes("whatX")).isFalse();
    }

    @Test
    void letsDoubleStarMatchAnyNumberOfFolders() throws Exception {
        DockerIgnore ignore = parse("**/*.log", "a/**/b", "cache/**", "**/tmp/**");
        assertThat(ignore.excludes("server.log")).as("no folder at all").isTrue();
        assertThat(ignore.excludes("x/y/z/debug.log")).isTrue();
        assertThat(ignore.excludes("a/b")).isTrue();
        assertThat(ignore.excludes("a/x/y/b")).isTrue();
        assertThat(ignore.excludes("a/x/y/c")).isFalse();
        assertThat(ignore.excludes("cache/x")).isTrue();
        assertThat(ignore.excludes("cache/x/y")).isTrue();
        assertThat(ignore.excludes("cache")).as("what is in cache, not a file called cache").isFalse();
        assertThat(ignore.excludes("tmp/x")).isTrue();
        assertThat(ignore.excludes("p/q/tmp/x")).isTrue();
        assertThat(ignore.excludes("p/q/tmpx/x")).isFalse();
        assertThat(parse("**").excludes("any/path/at/all")).isTrue();
    }

    @Test
    void excludesEverythingInAnExcludedFolder() throws Exception {
        DockerIgnore ignore = parse("node_modules", "build/*");
        assertThat(ignore.excludes("node_modules")).isTrue();
        assertThat(ignore.excludes("node_modules/lib/deep/index.js")).isTrue();
        assertThat(ignore.excludes("build/out/app.jar")).isTrue();
        assertThat(ignore.excludes("web/node_modules/x.js")).as("patterns are anchored at the context's root").isFalse();
        assertThat(ignore.excludesAllOf("node_modules")).isTrue();
        assertThat(ignore.excludesAllOf("build")).as("only what is in it").isFalse();
        assertThat(ignore.excludesAllOf("build/out")).isTrue();
        assertThat(ignore.excludesAllOf("src")).isFalse();
    }

    @Test
    void letsExceptionsBringPathsBackAndTheLastMatchingPatternWin() throws Exception {
        DockerIgnore ignore = parse("*.md", "!README*.md", "README-secret.md", "docs", "!docs/public/**");
        assertThat(ignore.excludes("CHANGES.md")).isTrue();
        assertThat(ignore.excludes("README.md")).isFalse();
        assertThat(ignore.excludes("README-secret.md")).as("excluded again by a later pattern").isTrue();
        assertThat(ignore.excludes("docs/guide.md")).isTrue();
        assertThat(ignore.excludes("docs/public/a/b.html")).isFalse();
        assertThat(ignore.excludesAllOf("docs")).as("an exception reaches into it").isFalse();
        assertThat(ignore.excludesAllOf("docs/private")).isTrue();
        assertThat(ignore.excludesAllOf("docs/public")).isFalse();

        DockerIgnore wildcardException = parse("vendor", "!**/LICENSE");
        assertThat(wildcardException.excludes("vendor/lib/LICENSE")).isFalse();
        assertThat(wildcardException.excludes("vendor/lib/code.go")).isTrue();
        assertThat(wildcardException.excludesAllOf("vendor")).isFalse();
    }

    @Test
    void alwaysSendsTheDockerfileAndTheIgnoreFileItself() throws Exception {
        DockerIgnore ignore = parse("*", "docker").alwaysSending(List.of(".dockerignore", "docker/web.Dockerfile"));
        assertThat(ignore.excludes(".dockerignore")).isFalse();
        assertThat(ignore.excludes("docker/web.Dockerfile")).isFalse();
        assertThat(ignore.excludes("docker/other")).isTrue();
        assertThat(ignore.excludes("index.html")).isTrue();
        assertThat(ignore.excludesAllOf("docker")).as("the Dockerfile is in it").isFalse();
        assertThat(ignore.excludesAllOf("src")).isTrue();
    }

    @Test
    void namesTheFileAndTheLineOfAMalformedPattern() {
        assertThatThrownBy(() -> DockerIgnore.parse("# fine\n*.log\nsrc/[abc\n", "app/.dockerignore in commit 1a2b3c4"))
                .isInstanceOfSatisfying(GitException.class, e -> assertThat(e.affectsRemote()).isFalse())
                .hasMessageStartingWith("line 3 of app/.dockerignore in commit 1a2b3c4 has a malformed pattern \"src/[abc\": ");
        assertThatThrownBy(() -> parse("ok", "!")).isInstanceOf(GitException.class)
                .hasMessageContaining("line 2 of .dockerignore").hasMessageContaining("\"!\"");
        assertThatThrownBy(() -> parse("[z-a].txt")).isInstanceOf(GitException.class)
                .hasMessageStartingWith("line 1 of .dockerignore has a malformed pattern \"[z-a].txt\": ")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        assertThatThrownBy(() -> parse("x", "y", "[]")).isInstanceOf(GitException.class)
                .hasMessageStartingWith("line 3 of .dockerignore");
    }
}
