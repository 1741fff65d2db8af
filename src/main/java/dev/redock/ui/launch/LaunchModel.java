package dev.redock.ui.launch;

import javafx.animation.PauseTransition;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.beans.value.ChangeListener;
import javafx.beans.value.WeakChangeListener;
import javafx.util.Duration;

import dev.redock.model.CommitInfo;
import dev.redock.model.GitSource;
import dev.redock.model.ImageRef;
import dev.redock.model.Service;
import dev.redock.model.TagDigest;
import dev.redock.model.ValidationException;
import dev.redock.service.Core;
import dev.redock.service.Failure;
import dev.redock.service.LaunchRequest;
import dev.redock.service.ServiceInput;
import dev.redock.ui.BuildLog;
import dev.redock.ui.EnginesModel;
import dev.redock.ui.FxThread;
import dev.redock.ui.Tasks;
import dev.redock.ui.form.FormNames;
import dev.redock.ui.form.GitFields;
import dev.redock.ui.form.ImageFields;
import dev.redock.ui.form.ServiceForm;
import dev.redock.ui.services.ServicesModel;

/**
 * The launch wizard's state, shared by its three steps: the source (an image checked against the registry, or a git
 * repository's branch whose head is read from the remote), the service's settings with the engine it goes to (the one new
 * services go to unless the user chooses another), and the launch itself with the pull's progress or the build's
 * streaming output. The wizard's Next is bound to {@link #canGoNextProperty()}.
 */
public final class LaunchModel {

    public enum Check {
        IDLE, CHECKING, FOUND, FAILED
    }

    /** Where the service comes from. */
    public enum Source {
        IMAGE, GIT
    }

    public static final int SOURCE = 0;
    public static final int CONFIG = 1;
    public static final int REVIEW = 2;

    private final Core core;
    private final Tasks tasks;
    private final ImageFields image = new ImageFields();
    private final GitFields git;
    private final ObjectProperty<Source> source = new SimpleObjectProperty<>(this, "source", Source.IMAGE);
    private final ServiceForm form;
    private final IntegerProperty step = new SimpleIntegerProperty(this, "step", SOURCE);
    private final BuildLog buildLog = new BuildLog();

    private final ObjectProperty<Check> check = new SimpleObjectProperty<>(this, "check", Check.IDLE);
    private final ObjectProperty<ImageRef> checkedRef = new SimpleObjectProperty<>(this, "checkedRef");
    private final StringProperty digest = new SimpleStringProperty(this, "digest");
    private final StringProperty checkTitle = new SimpleStringProperty(this, "checkTitle");
    private final StringProperty checkMessage = new SimpleStringProperty(this, "checkMessage");
    private final PauseTransition checkSoon = new PauseTransition(Duration.millis(450));

    private final BooleanProperty launching = new SimpleBooleanProperty(this, "launching");
    private final DoubleProperty progress = new SimpleDoubleProperty(this, "progress", 0);
    private final StringProperty progressText = new SimpleStringProperty(this, "progressText");
    private final StringProperty launchError = new SimpleStringProperty(this, "launchError");
    private final ObjectProperty<Service> launched = new SimpleObjectProperty<>(this, "launched");

    /** Kept here: the window's engines hold it only weakly, so that a closed wizard is not kept alive by them. */
    private final ChangeListener<EnginesModel.Snapshot> enginesFollower;
    private final BooleanBinding imageStepValid;
    private final BooleanBinding sourceStepValid;
    private final BooleanBinding canGoNext;
    private final BooleanBinding canGoBack;

    public LaunchModel(Core core, Tasks tasks, ServicesModel services, EnginesModel engines) {
        this.core = core;
        this.tasks = tasks;
        this.git = new GitFields(core, tasks);
        this.form = new ServiceForm(services::nameTaken);
        // The engines as the window knows them, with their states as last asked; they follow while the wizard is open.
        form.offerEngines(engines.snapshot().engines(), engines.snapshot().forNew());
        enginesFollower = (obs, old, now) -> form.offerEngines(now.engines(), now.forNew());
        engines.snapshotProperty().addListener(new WeakChangeListener<>(enginesFollower));
        imageStepValid = Bindings.createBooleanBinding(
                () -> image.ref() != null && check.get() == Check.FOUND && image.ref().equals(checkedRef.get()),
                image.refProperty(), check, checkedRef);
        sourceStepValid = Bindings.createBooleanBinding(
                () -> source.get() == Source.GIT ? git.headFoundProperty().get() : imageStepValid.get(),
                source, imageStepValid, git.headFoundProperty());
        canGoNext = Bindings.createBooleanBinding(() -> switch (step.get()) {
            case SOURCE -> sourceStepValid.get();
            case CONFIG -> form.validProperty().get();
            default -> false;
        }, step, sourceStepValid, form.validProperty());
        canGoBack = step.greaterThan(SOURCE).and(launching.not());
        form.fromGitProperty().bind(source.isEqualTo(Source.GIT));
        git.sourceProperty().addListener((obs, old, s) -> {
            if (s != null && source.get() == Source.GIT) {
                form.suggestName(s.suggestedName());
            }
        });
        source.addListener((obs, old, now) -> {
            if (now == Source.GIT && git.source() != null) {
                form.suggestName(git.source().suggestedName());
            } else if (now == Source.IMAGE && image.ref() != null) {
                form.suggestName(image.ref().suggestedName());
            }
        });
        buildLog.progressProperty().addListener((obs, old, p) -> {
            if (launching.get() && source.get() == Source.GIT) {
                progress.set(p.doubleValue());
            }
        });
        buildLog.statusProperty().addListener((obs, old, text) -> {
            if (launching.get() && source.get() == Source.GIT && text != null) {
                progressText.set(text);
            }
        });
        checkSoon.setOnFinished(e -> checkRegistry());
        image.refProperty().addListener((obs, old, ref) -> {
            // What the last check found was about another reference: nothing of it stays on show.
            check.set(Check.IDLE);
            digest.set(null);
            checkTitle.set(null);
            checkMessage.set(null);
            if (ref != null) {
                if (source.get() == Source.IMAGE) {
                    form.suggestName(ref.suggestedName());
                }
                checkSoon.playFromStart();
            } else {
                checkSoon.stop();
            }
        });
    }

    /** Asks the registry which digest the tag points at, off the FX thread; a result for an outdated reference is dropped. */
    public void checkRegistry() {
        FxThread.check();
        ImageRef ref = image.ref();
        if (ref == null) {
            return;
        }
        check.set(Check.CHECKING);
        checkedRef.set(ref);
        checkTitle.set("Checking " + ref.familiar() + "…");
        checkMessage.set("Asking " + ref.registry() + " for the tag's digest");
        tasks.run(() -> core.services().checkImage(ref), (TagDigest found) -> {
            if (!ref.equals(image.ref())) {
                return;
            }
            digest.set(found.digest());
            checkTitle.set("Found " + ref.familiar());
            checkMessage.set(found.digest() + (found.mediaType() == null ? "" : "\n" + found.mediaType()));
            check.set(Check.FOUND);
        }, e -> {
            if (!ref.equals(image.ref())) {
                return;
            }
            digest.set(null);
            checkTitle.set(kind(e));
            checkMessage.set(Tasks.message(e));
            check.set(Check.FAILED);
        });
    }

    private void launchFromGit() {
        GitSource src = git.source();
        if (src == null) {
            return;
        }
        LaunchRequest request;
        try {
            request = form.input().withGit(ServiceInput.GitInput.of(src)).toLaunch(FormNames.INSTANCE);
        } catch (ValidationException e) {
            launchError.set(e.getMessage());
            return;
        }
        launchError.set(null);
        launching.set(true);
        progress.set(-1);
        String head = git.headProperty().get();
        buildLog.start("Fetching " + src.branch() + (head == null ? "" : " at " + CommitInfo.shortSha(head)) + "…");
        progressText.set(buildLog.statusProperty().get());
        tasks.run(() -> core.services().launch(request, null, buildLog), (Service s) -> {
            launching.set(false);
            buildLog.finish("Built and launched " + s.name());
            progress.set(1);
            progressText.set("Launched " + s.name());
            launched.set(s);
        }, e -> {
            launching.set(false);
            progress.set(0);
            progressText.set(null);
            if (!Failure.buildLogTail(e).isEmpty()) {
                buildLog.replace(Failure.buildLogTail(e));
            }
            buildLog.finish("Failed");
            launchError.set(launchFailed(e));
        });
    }

    /** A short title for why the image could not be checked. */
    static String kind(Throwable e) {
        Failure failure = Failure.of(e);
        return failure == Failure.INTERNAL ? "Cannot check the image" : failure.title();
    }

    /** What a failed launch says: what went wrong, where, and that nothing was kept. */
    private static String launchFailed(Throwable e) {
        String field = Failure.field(e);
        String where = Failure.of(e).isRefusedInput() && field != null ? " (" + field + ")" : "";
        return Failure.of(e).title() + where + ": " + Tasks.message(e) + ". Nothing was kept: go back, fix it and try again.";
    }

    public void next() {
        FxThread.check();
        if (canGoNext.get()) {
            step.set(step.get() + 1);
        }
    }

    public void back() {
        FxThread.check();
        if (canGoBack.get()) {
            launchError.set(null);
            step.set(step.get() - 1);
        }
    }

    /**
     * Launches the service, all off the FX thread: pulls the image with progress (or fetches and builds the branch's head,
     * its output streaming to {@link #buildLog()}), creates and starts the container and waits until it runs.
     */
    public void launch() {
        FxThread.check();
        if (step.get() != REVIEW || launching.get() || launched.get() != null || !form.validProperty().get()) {
            return;
        }
        if (source.get() == Source.GIT) {
            launchFromGit();
            return;
        }
        if (image.ref() == null) {
            return;
        }
        LaunchRequest request;
        try {
            request = form.input().withImage(image.ref().familiar()).toLaunch(FormNames.INSTANCE);
        } catch (ValidationException e) {
            launchError.set(e.getMessage());
            return;
        }
        launchError.set(null);
        launching.set(true);
        progress.set(-1);
        progressText.set("Pulling " + request.image().familiar() + "…");
        PullMeter meter = new PullMeter((fraction, text) -> {
            if (launching.get()) {
                progress.set(fraction);
                progressText.set(text);
            }
        });
        tasks.run(() -> core.services().launch(request, meter), (Service s) -> {
            launching.set(false);
            progress.set(1);
            progressText.set("Launched " + s.name());
            launched.set(s);
        }, e -> {
            launching.set(false);
            progress.set(0);
            progressText.set(null);
            launchError.set(launchFailed(e));
        });
    }

    public ImageFields image() {
        return image;
    }

    public GitFields git() {
        return git;
    }

    public ObjectProperty<Source> sourceProperty() {
        return source;
    }

    /** The build's output while a service is launched from a git repository. */
    public BuildLog buildLog() {
        return buildLog;
    }

    public BooleanBinding sourceStepValidProperty() {
        return sourceStepValid;
    }

    public ServiceForm form() {
        return form;
    }

    public IntegerProperty stepProperty() {
        return step;
    }

    public ObjectProperty<Check> checkProperty() {
        return check;
    }

    public StringProperty digestProperty() {
        return digest;
    }

    public StringProperty checkTitleProperty() {
        return checkTitle;
    }

    public StringProperty checkMessageProperty() {
        return checkMessage;
    }

    public BooleanBinding imageStepValidProperty() {
        return imageStepValid;
    }

    public BooleanBinding canGoNextProperty() {
        return canGoNext;
    }

    public BooleanBinding canGoBackProperty() {
        return canGoBack;
    }

    public BooleanProperty launchingProperty() {
        return launching;
    }

    public DoubleProperty progressProperty() {
        return progress;
    }

    public StringProperty progressTextProperty() {
        return progressText;
    }

    public StringProperty launchErrorProperty() {
        return launchError;
    }

    public ObjectProperty<Service> launchedProperty() {
        return launched;
    }
}
