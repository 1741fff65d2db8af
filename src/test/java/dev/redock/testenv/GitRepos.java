package dev.redock.testenv;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.transport.RefSpec;

/**
 * A real git remote for tests: a bare repository, and a working clone to commit in and push from, made with JGit.
 *
 * <pre>{@code
 * GitRepos repo = GitRepos.create(tempDir);
 * String sha = repo.commit("main", Map.of("index.html", "v1"), "First page");   // committed and pushed
 * }</pre>
 */
public final class GitRepos implements AutoCloseable {

    public static final PersonIdent AUTHOR = new PersonIdent("Ada Tester", "ada@example.test");

    private final Path bare;
    private final Git work;

    private GitRepos(Path bare, Git work) {
        this.bare = bare;
        this.work = work;
    }

    /** A bare repository at {@code dir/remote.git} and a clone of it at {@code dir/work}. */
    public static GitRepos create(Path dir) {
        try {
            Path bare = dir.resolve("remote.git");
            try (Git remote = Git.init().setBare(true).setDirectory(bare.toFile()).setInitialBranch("main").call()) {
                noAutoGc(remote);
            }
            Git work = Git.init().setDirectory(dir.resolve("work").toFile()).setInitialBranch("main").call();
            noAutoGc(work);
            work.remoteAdd().setName("origin").setUri(new org.eclipse.jgit.transport.URIish(bare.toUri().toString())).call();
            return new GitRepos(bare, work);
        } catch (GitAPIException | java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** No housekeeping on background threads that would outlive the test's temporary folder. */
    private static void noAutoGc(Git git) throws IOException {
        var config = git.getRepository().getConfig();
        config.setInt("gc", null, "auto", 0);
        config.setBoolean("gc", null, "autoDetach", false);
        config.save();
    }

    /** The bare repository's path: what a service's source names. */
    public Path bare() {
        return bare;
    }

    /** The working clone (its remote {@code origin} is the bare repository). */
    public Path work() {
        return work.getRepository().getWorkTree().toPath();
    }

    /** A Dockerfile that puts {@code index.html} over the base image's web root. */
    public static String webDockerfile(String baseImage) {
        return "FROM " + baseImage + "\nCOPY index.html /www/index.html\n";
    }

    /**
     * Writes the files (path to content; null deletes) on the branch (made from the current commit if new), commits
     * them, and pushes the branch to the bare repository.
     *
     * @return the new commit's id
     */
    public synchronized String commit(String branch, Map<String, String> files, String message) {
        try {
            checkout(branch);
            for (Map.Entry<String, String> f : files.entrySet()) {
                Path file = work().resolve(f.getKey());
                if (f.getValue() == null) {
                    Files.deleteIfExists(file);
                    work.rm().addFilepattern(f.getKey()).call();
                } else {
                    Files.createDirectories(file.getParent());
                    Files.writeString(file, f.getValue(), StandardCharsets.UTF_8);
                    work.add().addFilepattern(f.getKey()).call();
                }
            }
            RevCommit c = work.commit().setMessage(message).setAuthor(AUTHOR).setCommitter(AUTHOR).setSign(false).call();
            work.push().setRemote("origin").setRefSpecs(new RefSpec("refs/heads/" + branch + ":refs/heads/" + branch))
                    .setForce(true).call();
            return c.getName();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GitAPIException e) {
            throw new IllegalStateException(e);
        }
    }

    private void checkout(String branch) throws GitAPIException, IOException {
        if (work.getRepository().resolve("HEAD") == null) {
            return; // no commit yet: the first commit makes the initial branch
        }
        if (branch.equals(work.getRepository().getBranch())) {
            return;
        }
        boolean exists = work.getRepository().findRef("refs/heads/" + branch) != null;
        work.checkout().setName(branch).setCreateBranch(!exists).call();
    }

    @Override
    public void close() {
        work.close();
    }
}
