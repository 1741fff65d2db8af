package dev.redock.git;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.BooleanSupplier;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.eclipse.jgit.api.FetchCommand;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.api.errors.TransportException;
import org.eclipse.jgit.diff.DiffEntry;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.ProgressMonitor;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevTree;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.TagOpt;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.TreeFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.redock.model.BuildProgress;
import dev.redock.model.CommitInfo;
import dev.redock.model.Durations;
import dev.redock.model.GitSource;

/**
 * Commits fetched from git remotes, kept in the data folder ({@code <data>/git-cache/<hash of the URL>}, one bare
 * repository per remote) so that a build needs no working copy and a new commit fetches only what is new.
 *
 * <p>The first fetch of a branch is shallow (depth 1) where the remote allows it; later ones bring only the new commits.
 * Builds read a commit's tree straight from the object database and send it to the engine as a tar stream: uncommitted
 * or ignored files of some working copy never end up in an image. The Dockerfile's own ignore file or the context's
 * {@code .dockerignore} in that commit is applied as the docker CLI applies it ({@link DockerIgnore}). One fetch per
 * repository at a time in this process, each bounded as a whole ({@link #FETCH_BOUND}) as well as per read, so a remote
 * that trickles cannot hold a deployment for ever.
 */
public final class SourceCache {

    private static final Logger LOG = LoggerFactory.getLogger(SourceCache.class);
    /** Where a Dockerfile from outside the build context is put inside it. */
    static final String OUTSIDE_DOCKERFILE = ".redock.Dockerfile";

    /** How long a fetch may take as a whole: generous, for a first fetch of a large repository over a slow link. */
    public static final Duration FETCH_BOUND = Duration.ofMinutes(30);

    private final Path root;
    private final CredentialsProvider credentials;
    private final Duration timeout;
    private final Duration fetchBound;
    private final GitSsh ssh;
    private final ConcurrentMap<Path, Object> locks = new ConcurrentHashMap<>();

    /**
     * @param root        the cache's folder, e.g. {@code <data folder>/git-cache}
     * @param credentials for https remotes; may be null
     * @param timeout     how long a remote may take to connect and to answer each read
     * @param ssh         how to sign in to ssh remotes, one per app ({@link GitSsh#forHome}); null for JGit's default
     *                    session factory, which fails when a named SSH agent does not answer (tests of other remotes)
     */
    public SourceCache(Path root, CredentialsProvider credentials, Duration timeout, GitSsh ssh) {
        this(root, credentials, timeout, FETCH_BOUND, ssh);
    }

    /** As above, with a bound for each fetch as a whole other than {@link #FETCH_BOUND}. */
    SourceCache(Path root, CredentialsProvider credentials, Duration timeout, Duration fetchBound, GitSsh ssh) {
        this.root = root;
        this.credentials = credentials;
        this.timeout = timeout;
        this.fetchBound = fetchBound;
        this.ssh = ssh;
    }

    /** The bare repository that caches this remote. */
    public Path repositoryOf(String url) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(url.getBytes(StandardCharsets.UTF_8));
            return root.resolve(HexFormat.of().formatHex(hash, 0, 10) + ".git");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Makes sure the commit is in the cache, fetching the source's branch if it is not, and says who made it and why.
     *
     * @throws GitException when the remote cannot be read, or the commit is not on the branch
     */
    public CommitInfo fetch(GitSource source, String sha, BuildProgress progress) throws GitException {
        return withinFetchBound(source, abandoned -> fetchNow(source, sha, progress, abandoned));
    }

    private CommitInfo fetchNow(GitSource source, String sha, BuildProgress progress, BooleanSupplier abandoned)
            throws GitException {
        ObjectId id = objectId(sha);
        Path dir = repositoryOf(source.url());
        synchronized (lock(dir)) {
            try (Repository repo = openOrInit(dir)) {
                if (!hasCommit(repo, id)) {
                    boolean first = repo.getRefDatabase().getRefs().isEmpty();
                    progress.line("Fetching " + source.branch() + " from " + source.urlWithoutCredentials());
                    fetchBranch(repo, source, first ? 1 : 0, new Monitor(progress, abandoned));
                    if (!hasCommit(repo, id) && isShallow(repo)) {
                        // The branch moved on since its head was read: bring the rest of its history.
                        fetchBranch(repo, source, -1, new Monitor(progress, abandoned));
                    }
                    if (!hasCommit(repo, id)) {
                        throw new GitException("commit " + CommitInfo.shortSha(sha) + " is not on the branch \""
                                + source.branch() + "\" of " + source.urlWithoutCredentials(), false, null);
                    }
                }
                return info(repo, id);
            } catch (IOException e) {
                throw new GitException("cannot use the git cache " + dir + ": " + e.getMessage(), false, e);
            }
        }
    }

    /**
     * The paths (repository-relative, old and new names of renamed files) that differ between two commits, both already
     * fetched by {@link #fetch}; empty when the older commit is not known here, so that the caller treats the change as
     * touching everything.
     */
    public Optional<Set<String>> changedPaths(GitSource source, String fromSha, String toSha) throws GitException {
        return withinFetchBound(source, abandoned -> compare(source, fromSha, toSha, abandoned));
    }

    private Optional<Set<String>> compare(GitSource source, String fromSha, String toSha, BooleanSupplier abandoned)
            throws GitException {
        Path dir = repositoryOf(source.url());
        synchronized (lock(dir)) {
            try (Repository repo = openOrInit(dir)) {
                ObjectId from = objectId(fromSha);
                ObjectId to = objectId(toSha);
                if (!hasCommit(repo, from) && isShallow(repo)) {
                    fetchBranch(repo, source, -1, new Monitor(BuildProgress.NONE, abandoned));
                }
                if (!hasCommit(repo, from) || !hasCommit(repo, to)) {
                    return Optional.empty();
                }
                try (RevWalk walk = new RevWalk(repo); TreeWalk tw = new TreeWalk(repo)) {
                    tw.setRecursive(true);
                    tw.addTree(walk.parseCommit(from).getTree());
                    tw.addTree(walk.parseCommit(to).getTree());
                    tw.setFilter(TreeFilter.ANY_DIFF);
                    Set<String> paths = new LinkedHashSet<>();
                    for (DiffEntry e : DiffEntry.scan(tw)) {
                        if (!DiffEntry.DEV_NULL.equals(e.getOldPath())) {
                            paths.add(e.getOldPath());
                        }
                        if (!DiffEntry.DEV_NULL.equals(e.getNewPath())) {
                            paths.add(e.getNewPath());
                        }
                    }
                    return Optional.of(paths);
                }
            } catch (IOException e) {
                throw new GitException("cannot compare " + CommitInfo.shortSha(fromSha) + " and " + CommitInfo.shortSha(toSha)
                        + ": " + e.getMessage(), false, e);
            }
        }
    }

    /**
     * Writes the source's build context at the commit (fetched before by {@link #fetch}) to {@code out} as a tar stream,
     * and returns the Dockerfile's path inside it. What the Dockerfile's own {@code <Dockerfile>.dockerignore}, or else the
     * context's {@code .dockerignore}, excludes is left out, except the Dockerfile and the context's {@code .dockerignore}
     * itself; folders that are wholly excluded are not even read.
     *
     * @throws GitException when the commit has no such context folder or Dockerfile, or a malformed {@code .dockerignore}
     */
    public String writeContext(GitSource source, String sha, OutputStream out) throws GitException {
        Path dir = repositoryOf(source.url());
        String shortSha = CommitInfo.shortSha(sha);
        try (Repository repo = openOrInit(dir); RevWalk walk = new RevWalk(repo)) {
            RevCommit commit = walk.parseCommit(objectId(sha));
            RevTree tree = commit.getTree();
            long mtime = commit.getCommitTime() * 1000L;

            ObjectId dockerfile = blobAt(repo, tree, source.dockerfile());
            if (dockerfile == null) {
                throw new GitException("there is no Dockerfile at " + source.dockerfile() + " in commit " + shortSha, false, null);
            }
            String dockerfileInContext = source.dockerfileInContext();
            String prefix = source.context().equals(GitSource.ROOT) ? "" : source.context() + "/";
            ObjectId contextTree = tree;
            if (!prefix.isEmpty()) {
                try (TreeWalk context = TreeWalk.forPath(repo, source.context(), tree)) {
                    if (context == null || !context.isSubtree()) {
                        throw new GitException("there is no folder " + source.context() + " (the build context) in commit "
                                + shortSha, false, null);
                    }
                    contextTree = context.getObjectId(0);
                }
            }
            DockerIgnore ignore = dockerIgnore(repo, tree, source, shortSha)
                    .alwaysSending(dockerfileInContext == null ? List.of(DockerIgnore.FILE_NAME)
                            : List.of(DockerIgnore.FILE_NAME, dockerfileInContext));

            TarArchiveOutputStream tar = new TarArchiveOutputStream(out);
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            int leftOut = 0;
            try (TreeWalk tw = new TreeWalk(repo)) {
                tw.addTree(contextTree);
                while (tw.next()) {
                    String name = tw.getPathString();
                    if (tw.isSubtree()) {
                        if (ignore.excludesAllOf(name)) {
                            leftOut++;
                        } else {
                            tw.enterSubtree();
                        }
                        continue;
                    }
                    if (ignore.excludes(name)) {
                        leftOut++;
                        continue;
                    }
                    FileMode mode = tw.getFileMode(0);
                    if (FileMode.GITLINK.equals(mode)) {
                        LOG.debug("Leaving the submodule {} out of the build context", prefix + name);
                        continue;
                    }
                    ObjectLoader blob = repo.open(tw.getObjectId(0), Constants.OBJ_BLOB);
                    if (FileMode.SYMLINK.equals(mode)) {
                        TarArchiveEntry link = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
                        link.setLinkName(new String(blob.getCachedBytes(), StandardCharsets.UTF_8));
                        link.setModTime(mtime);
                        tar.putArchiveEntry(link);
                        tar.closeArchiveEntry();
                        continue;
                    }
                    TarArchiveEntry entry = new TarArchiveEntry(name);
                    entry.setSize(blob.getSize());
                    entry.setMode(FileMode.EXECUTABLE_FILE.equals(mode) ? 0100755 : 0100644);
                    entry.setModTime(mtime);
                    tar.putArchiveEntry(entry);
                    blob.copyTo(tar);
                    tar.closeArchiveEntry();
                }
            }
            if (leftOut > 0) {
                LOG.debug("The .dockerignore left {} files or folders out of the build context of {}", leftOut, shortSha);
            }
            if (dockerfileInContext == null) {
                ObjectLoader blob = repo.open(dockerfile, Constants.OBJ_BLOB);
                TarArchiveEntry entry = new TarArchiveEntry(OUTSIDE_DOCKERFILE);
                entry.setSize(blob.getSize());
                entry.setMode(0100644);
                entry.setModTime(mtime);
                tar.putArchiveEntry(entry);
                blob.copyTo(tar);
                tar.closeArchiveEntry();
                dockerfileInContext = OUTSIDE_DOCKERFILE;
            }
            tar.finish();
            return dockerfileInContext;
        } catch (IOException e) {
            throw new GitException("cannot read commit " + shortSha + " from the git cache: " + e.getMessage(), false, e);
        }
    }

    /**
     * What to leave out of the build context, as the docker CLI with BuildKit reads it: the Dockerfile's own ignore file
     * ({@code <Dockerfile>.dockerignore}, beside it) when there is one, else the {@code .dockerignore} at the context's root,
     * else nothing.
     */
    private static DockerIgnore dockerIgnore(Repository repo, RevTree tree, GitSource source, String shortSha)
            throws IOException, GitException {
        String own = source.dockerfile() + DockerIgnore.FILE_NAME;
        String context = source.context().equals(GitSource.ROOT) ? DockerIgnore.FILE_NAME
                : source.context() + "/" + DockerIgnore.FILE_NAME;
        for (String path : List.of(own, context)) {
            try (TreeWalk tw = TreeWalk.forPath(repo, path, tree)) {
                if (tw == null) {
                    continue;
                }
                String where = path + " in commit " + shortSha;
                FileMode mode = tw.getFileMode(0);
                if (!FileMode.REGULAR_FILE.equals(mode) && !FileMode.EXECUTABLE_FILE.equals(mode)) {
                    LOG.debug("{} is not a regular file; nothing is left out of the build context", where);
                    return DockerIgnore.NONE;
                }
                byte[] text = repo.open(tw.getObjectId(0), Constants.OBJ_BLOB).getBytes();
                return DockerIgnore.parse(new String(text, StandardCharsets.UTF_8), where);
            }
        }
        return DockerIgnore.NONE;
    }

    private static ObjectId blobAt(Repository repo, RevTree tree, String path) throws IOException {
        try (TreeWalk tw = TreeWalk.forPath(repo, path, tree)) {
            if (tw == null || tw.isSubtree() || FileMode.GITLINK.equals(tw.getFileMode(0))) {
                return null;
            }
            return tw.getObjectId(0);
        }
    }

    /**
     * Fetches the branch into {@code refs/heads/<branch>}.
     *
     * @param depth 1 and up for a shallow fetch of that depth, 0 for what is new since the last fetch, -1 to unshallow
     */
    private void fetchBranch(Repository repo, GitSource source, int depth, Monitor monitor) throws GitException {
        String ref = Constants.R_HEADS + source.branch();
        try (Git git = new Git(repo)) {
            FetchCommand fetch = git.fetch()
                    .setRemote(source.url())
                    .setRefSpecs(new RefSpec("+" + ref + ":" + ref))
                    .setTagOpt(TagOpt.NO_TAGS)
                    .setRemoveDeletedRefs(false)
                    .setProgressMonitor(monitor)
                    .setTransportConfigCallback(transport -> GitRemotes.configure(transport, credentials, timeout, ssh));
            if (depth > 0) {
                fetch.setDepth(depth);
            } else if (depth < 0) {
                fetch.setUnshallow(true);
            }
            try {
                fetch.call();
            } catch (TransportException e) {
                if (depth > 0) {
                    // Some remotes (dumb HTTP) cannot send a shallow history: take the whole branch instead.
                    LOG.debug("A shallow fetch from {} failed ({}); fetching the whole branch", source.urlWithoutCredentials(),
                            GitSource.hidingCredentials(source.url(), e.getMessage()));
                    fetchBranch(repo, source, 0, monitor);
                    return;
                }
                throw GitRemotes.unreachable(source.url(), e, ssh);
            }
        } catch (GitAPIException | RuntimeException e) {
            if (e instanceof org.eclipse.jgit.api.errors.InvalidRemoteException
                    || e.getCause() instanceof org.eclipse.jgit.errors.TransportException) {
                throw GitRemotes.unreachable(source.url(), e, ssh);
            }
            throw new GitException("cannot fetch " + source.branch() + " from " + source.urlWithoutCredentials() + ": "
                    + GitSource.hidingCredentials(source.url(), e.getMessage()), true, e);
        }
    }

    private static boolean hasCommit(Repository repo, ObjectId id) throws IOException {
        if (!repo.getObjectDatabase().has(id)) {
            return false;
        }
        try (RevWalk walk = new RevWalk(repo)) {
            walk.parseCommit(id);
            return true;
        } catch (org.eclipse.jgit.errors.IncorrectObjectTypeException | org.eclipse.jgit.errors.MissingObjectException e) {
            return false;
        }
    }

    private static boolean isShallow(Repository repo) throws IOException {
        return !repo.getObjectDatabase().getShallowCommits().isEmpty();
    }

    private static CommitInfo info(Repository repo, ObjectId id) throws IOException {
        try (RevWalk walk = new RevWalk(repo)) {
            RevCommit c = walk.parseCommit(id);
            PersonIdent author = c.getAuthorIdent();
            return new CommitInfo(id.name(), author.getName() + " <" + author.getEmailAddress() + ">", c.getShortMessage());
        }
    }

    private Repository openOrInit(Path dir) throws IOException {
        if (!Files.isDirectory(dir.resolve("objects"))) {
            Files.createDirectories(dir);
            try (Git git = Git.init().setBare(true).setGitDir(dir.toFile()).call()) {
                // Housekeeping after a fetch runs within it (under this cache's lock), not on a thread of its own.
                var config = git.getRepository().getConfig();
                config.setBoolean("gc", null, "autoDetach", false);
                config.save();
                LOG.debug("Made the git cache {}", dir);
            } catch (GitAPIException e) {
                throw new IOException("cannot make a repository: " + e.getMessage(), e);
            }
        }
        return new FileRepositoryBuilder().setGitDir(dir.toFile()).setMustExist(true).build();
    }

    private Object lock(Path dir) {
        return locks.computeIfAbsent(dir, d -> new Object());
    }

    private static ObjectId objectId(String sha) throws GitException {
        try {
            return ObjectId.fromString(sha);
        } catch (IllegalArgumentException e) {
            throw new GitException("\"" + sha + "\" is not a commit id", false, e);
        }
    }

    /**
     * The work with the remote, done within {@link #fetchBound}: on a thread of its own that holds the repository's lock
     * until JGit stops (at its next progress report once the caller has given up).
     */
    private <T> T withinFetchBound(GitSource source, RemoteDeadline.Work<T> work) throws GitException {
        return RemoteDeadline.await(fetchBound, "cannot fetch " + source.branch() + " from " + source.url()
                + ": no complete answer within " + Durations.spoken(fetchBound), work);
    }

    /** JGit's progress, as lines for the build's listener: one per task; cancelled once the caller has given up. */
    private record Monitor(BuildProgress progress, BooleanSupplier abandoned) implements ProgressMonitor {
        @Override
        public void start(int totalTasks) {
        }

        @Override
        public void beginTask(String title, int totalWork) {
            progress.line(title + (totalWork > 0 ? " (" + totalWork + ")" : ""));
        }

        @Override
        public void update(int completed) {
        }

        @Override
        public void endTask() {
        }

        @Override
        public boolean isCancelled() {
            return abandoned.getAsBoolean();
        }

        @Override
        public void showDuration(boolean enabled) {
        }
    }
}
