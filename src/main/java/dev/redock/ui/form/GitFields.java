package dev.redock.ui.form;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import javafx.animation.PauseTransition;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.binding.ObjectBinding;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.util.Duration;

import dev.redock.model.CommitInfo;
import dev.redock.model.GitSource;
import dev.redock.model.PathFilter;
import dev.redock.model.ValidationException;
import dev.redock.service.Core;
import dev.redock.service.Failure;
import dev.redock.service.ServiceInput;
import dev.redock.ui.FxThread;
import dev.redock.ui.Tasks;

/**
 * The git repository a service is built from, as typed: the repository (a URL, or a local clone's path whose remotes can
 * be picked), the branch, the Dockerfile, the build context and the path filters. Each field is checked as it is typed
 * with the core's own rules; a moment after the repository and branch settle, the branch's head is read from the remote
 * (off the FX thread) and shown, or why it cannot be read.
 */
public final class GitFields {

    public enum Check {
        IDLE, CHECKING, FOUND, FAILED
    }

    /** One choice of where a local clone's builds come from: the folder itself ({@code name} null) or one of its remotes. */
    public record Remote(String name, String url) {

        public boolean isFolder() {
            return name == null;
        }
    }

    public static final String DEFAULT_BRANCH = "main";
    static final Duration SETTLE = Duration.millis(450);

    private final Core core;
    private final Tasks tasks;

    private final StringProperty repository = new SimpleStringProperty(this, "repository", "");
    private final StringProperty branch = new SimpleStringProperty(this, "branch", DEFAULT_BRANCH);
    private final StringProperty dockerfile = new SimpleStringProperty(this, "dockerfile", "");
    private final StringProperty context = new SimpleStringProperty(this, "context", "");
    private final StringProperty paths = new SimpleStringProperty(this, "paths", "");
    private final ObservableList<Remote> remotes = FXCollections.observableArrayList();
    private final ObjectProperty<Remote> remote = new SimpleObjectProperty<>(this, "remote");

    private final StringBinding repositoryError;
    private final StringBinding branchError;
    private final StringBinding dockerfileError;
    private final StringBinding contextError;
    private final StringBinding pathsError;
    private final StringBinding url;
    private final ObjectBinding<GitSource> source;

    private final ObjectProperty<Check> check = new SimpleObjectProperty<>(this, "check", Check.IDLE);
    private final StringProperty checkedKey = new SimpleStringProperty(this, "checkedKey");
    private final StringProperty head = new SimpleStringProperty(this, "head");
    private final StringProperty checkTitle = new SimpleStringProperty(this, "checkTitle");
    private final StringProperty checkMessage = new SimpleStringProperty(this, "checkMessage");
    private final BooleanBinding headFound;
    private final PauseTransition checkSoon = new PauseTransition(SETTLE);
    private final PauseTransition remotesSoon = new PauseTransition(SETTLE);
    private String remotesFor;

    public GitFields(Core core, Tasks tasks) {
        this.core = core;
        this.tasks = tasks;
        repositoryError = Bindings.createStringBinding(() -> repositoryProblem(repository.get(), remote.get()), repository,
                remote);
        branchError = Bindings.createStringBinding(() -> branchProblem(branch.get()), branch);
        dockerfileError = Bindings.createStringBinding(() -> pathProblem("dockerfile", "Dockerfile", dockerfile.get()), dockerfile);
        contextError = Bindings.createStringBinding(() -> pathProblem("context", "build context", context.get()), context);
        pathsError = Bindings.createStringBinding(() -> pathsProblem(paths.get()), paths);
        url = Bindings.createStringBinding(() -> {
            Remote r = remote.get();
            return r != null && !r.isFolder() ? r.url() : ServiceInput.expandHome(repository.get());
        }, repository, remote);
        source = Bindings.createObjectBinding(() -> {
            if (repositoryError.get() != null || branchError.get() != null || dockerfileError.get() != null
                    || contextError.get() != null || pathsError.get() != null) {
                return null;
            }
            try {
                return GitSource.given(url.get(), branch.get(), blankToNull(dockerfile.get()), blankToNull(context.get()),
                        splitPaths(paths.get()));
            } catch (ValidationException e) {
                return null;
            }
        }, repositoryError, branchError, dockerfileError, contextError, pathsError, url, branch, dockerfile, context, paths);
        headFound = Bindings.createBooleanBinding(() -> source.get() != null && check.get() == Check.FOUND
                && source.get().key().equals(checkedKey.get()), source, check, checkedKey);

        checkSoon.setOnFinished(e -> checkHead());
        source.addListener((obs, old, now) -> {
            String before = old == null ? null : old.key();
            String after = now == null ? null : now.key();
            if (Objects.equals(before, after)) {
                return;
            }
            // What the last check found was about another repository or branch: nothing of it stays on show.
            check.set(Check.IDLE);
            head.set(null);
            checkTitle.set(null);
            checkMessage.set(null);
            if (now != null) {
                checkSoon.playFromStart();
            } else {
                checkSoon.stop();
            }
        });
        remotesSoon.setOnFinished(e -> lookUpRemotes());
        repository.addListener((obs, old, now) -> {
            if (!Objects.equals(ServiceInput.expandHome(now), remotesFor)) {
                remotes.clear();
                remote.set(null);
                remotesFor = null;
            }
            if (isLocalPath(now)) {
                remotesSoon.playFromStart();
            } else {
                remotesSoon.stop();
            }
        });
    }

    static String repositoryProblem(String text) {
        if (text == null || text.isBlank()) {
            return "Enter a repository: an https:// or ssh:// URL, user@host:path, or a local clone's path";
        }
        try {
            GitSource.of(ServiceInput.expandHome(text), DEFAULT_BRANCH);
            return null;
        } catch (ValidationException e) {
            return ImageFields.capitalise(e.getMessage());
        }
    }

    /** The repository field's problem, or else that of the local clone's remote chosen to build from (its URL's own). */
    static String repositoryProblem(String text, Remote chosen) {
        String problem = repositoryProblem(text);
        if (problem != null || chosen == null || chosen.isFolder()) {
            return problem;
        }
        try {
            GitSource.of(chosen.url(), DEFAULT_BRANCH);
            return null;
        } catch (ValidationException e) {
            return "The remote " + chosen.name() + ": " + e.getMessage();
        }
    }

    static String branchProblem(String text) {
        if (text == null || text.isBlank()) {
            return "Enter the branch to follow, e.g. main";
        }
        try {
            GitSource.of("/repository", text);
            return null;
        } catch (ValidationException e) {
            return ImageFields.capitalise(e.getMessage())
                    + ": no spaces, no '..', '~', '^', ':', '?', '*', '[' or '\\', not starting with '-' or '.'";
        }
    }

    static String pathProblem(String field, String what, String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String t = text.strip();
        if (t.startsWith("/") || t.startsWith("\\") || t.matches("(?i)[a-z]:[\\\\/].*")) {
            return "The " + what + " is a path inside the repository, relative to its root (e.g. "
                    + (field.equals("dockerfile") ? "docker/Dockerfile" : "web") + "), not an absolute path";
        }
        try {
            if (field.equals("dockerfile")) {
                new GitSource("/repository", DEFAULT_BRANCH, t, null, null);
            } else {
                new GitSource("/repository", DEFAULT_BRANCH, null, t, null);
            }
            return null;
        } catch (ValidationException e) {
            return ImageFields.capitalise(e.getMessage());
        }
    }

    static String pathsProblem(String text) {
        try {
            for (String p : splitPaths(text)) {
                PathFilter.validPattern(p);
            }
            return null;
        } catch (ValidationException e) {
            return ImageFields.capitalise(e.getMessage());
        }
    }

    /** Path filters typed one per line or separated by commas; blank entries are ignored. */
    static List<String> splitPaths(String text) {
        List<String> out = new ArrayList<>();
        if (text == null) {
            return out;
        }
        for (String p : text.split("[,\\r\\n]+")) {
            if (!p.isBlank()) {
                out.add(p.strip());
            }
        }
        return out;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    /** A path on this machine, as every way in tells one, and absolute: the window has no working folder. */
    static boolean isLocalPath(String text) {
        String t = ServiceInput.expandHome(text);
        return ServiceInput.isLocalPath(t) && t.startsWith("/");
    }

    /** Reads a local clone's remotes, off the FX thread: the chooser offers the folder itself and each remote. */
    private void lookUpRemotes() {
        FxThread.check();
        String path = ServiceInput.expandHome(repository.get());
        if (!isLocalPath(path)) {
            return;
        }
        tasks.run(() -> {
            Path dir = Path.of(path);
            if (!java.nio.file.Files.isDirectory(dir)) {
                return Map.<String, String>of();
            }
            try {
                return core.services().remotesOf(dir);
            } catch (ValidationException e) {
                return Map.<String, String>of(); // not a repository: the field's own check says what is wrong, if anything
            }
        }, (Map<String, String> found) -> {
            if (!path.equals(ServiceInput.expandHome(repository.get()))) {
                return;
            }
            remotesFor = path;
            showRemotes(path, found);
        }, e -> remotes.clear());
    }

    private void showRemotes(String path, Map<String, String> found) {
        Remote chosen = remote.get();
        List<Remote> choices = new ArrayList<>();
        if (!found.isEmpty()) {
            choices.add(new Remote(null, path));
            found.forEach((name, u) -> choices.add(new Remote(name, u)));
        }
        remotes.setAll(choices);
        remote.set(choices.isEmpty() ? null
                : choices.stream().filter(r -> chosen != null && Objects.equals(r.name(), chosen.name())).findFirst()
                        .orElse(choices.get(0)));
    }

    /** Reads the head of the branch from the remote, off the FX thread; a result for a repository or branch since changed is dropped. */
    public void checkHead() {
        FxThread.check();
        GitSource s = source.get();
        if (s == null) {
            return;
        }
        checkSoon.stop();
        String key = s.key();
        check.set(Check.CHECKING);
        checkedKey.set(key);
        head.set(null);
        checkTitle.set("Reading " + s.branch() + "…");
        checkMessage.set("Asking " + s.url() + " for the head of " + s.branch());
        tasks.run(() -> core.services().headOf(s), (String sha) -> {
            if (source.get() == null || !key.equals(source.get().key())) {
                return;
            }
            head.set(sha);
            checkTitle.set("Branch " + s.branch() + " is at " + CommitInfo.shortSha(sha));
            checkMessage.set(sha + "\n" + s.url());
            check.set(Check.FOUND);
        }, e -> {
            if (source.get() == null || !key.equals(source.get().key())) {
                return;
            }
            head.set(null);
            checkTitle.set(kind(e));
            checkMessage.set(Tasks.message(e));
            check.set(Check.FAILED);
        });
    }

    /** A short title for why a branch's head could not be read. */
    static String kind(Throwable e) {
        return switch (Failure.of(e)) {
            case INVALID -> "Not a usable repository";
            case INTERNAL -> "Cannot read the branch";
            default -> Failure.of(e).title();
        };
    }

    /** Fills the fields from a stored source (the Edit form). */
    public void set(GitSource s) {
        FxThread.check();
        repository.set(s.url());
        branch.set(s.branch());
        dockerfile.set(s.givenDockerfile() == null ? "" : s.givenDockerfile());
        context.set(s.context().equals(GitSource.ROOT) ? "" : s.context());
        paths.set(String.join("\n", s.paths()));
    }

    public StringProperty repositoryProperty() {
        return repository;
    }

    public StringProperty branchProperty() {
        return branch;
    }

    public StringProperty dockerfileProperty() {
        return dockerfile;
    }

    public StringProperty contextProperty() {
        return context;
    }

    public StringProperty pathsProperty() {
        return paths;
    }

    /** The choices for a local clone: empty unless the repository field holds a clone that has remotes. */
    public ObservableList<Remote> remotes() {
        return remotes;
    }

    /** The chosen remote of a local clone, or the folder itself. */
    public ObjectProperty<Remote> remoteProperty() {
        return remote;
    }

    public StringBinding repositoryErrorProperty() {
        return repositoryError;
    }

    public StringBinding branchErrorProperty() {
        return branchError;
    }

    public StringBinding dockerfileErrorProperty() {
        return dockerfileError;
    }

    public StringBinding contextErrorProperty() {
        return contextError;
    }

    public StringBinding pathsErrorProperty() {
        return pathsError;
    }

    /** The URL builds will come from: the chosen remote's, or what the repository field says. */
    public StringBinding urlProperty() {
        return url;
    }

    /** The source all fields make, or null while any is invalid. */
    public ObjectBinding<GitSource> sourceProperty() {
        return source;
    }

    public GitSource source() {
        return source.get();
    }

    public ObjectProperty<Check> checkProperty() {
        return check;
    }

    /** The head commit read for the current repository and branch, or null. */
    public StringProperty headProperty() {
        return head;
    }

    public StringProperty checkTitleProperty() {
        return checkTitle;
    }

    public StringProperty checkMessageProperty() {
        return checkMessage;
    }

    /** True when the fields are valid and the branch's head was read for exactly this repository and branch. */
    public BooleanBinding headFoundProperty() {
        return headFound;
    }
}
