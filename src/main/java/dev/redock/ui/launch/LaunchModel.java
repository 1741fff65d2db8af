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
import javafx.util.Duration;

import dev.redock.app.Redock;
import dev.redock.deploy.LaunchRequest;
import dev.redock.model.ImageRef;
import dev.redock.model.Service;
import dev.redock.model.ValidationException;
import dev.redock.registry.ManifestUnknownException;
import dev.redock.registry.RegistryAuthException;
import dev.redock.registry.RegistryException;
import dev.redock.registry.RegistryRateLimitedException;
import dev.redock.registry.RegistryUnavailableException;
import dev.redock.registry.TagDigest;
import dev.redock.ui.FxThread;
import dev.redock.ui.Tasks;
import dev.redock.ui.form.ImageFields;
import dev.redock.ui.form.ServiceForm;
import dev.redock.ui.services.ServicesModel;

/**
 * The launch wizard's state, shared by its three steps: the image (checked against the registry), the service's settings,
 * and the launch itself with the pull's progress. The wizard's Next is bound to {@link #canGoNextProperty()}.
 */
public final class LaunchModel {

    public enum Check {
        IDLE, CHECKING, FOUND, FAILED
    }

    public static final int IMAGE = 0;
    public static final int CONFIG = 1;
    public static final int REVIEW = 2;

    private final Redock redock;
    private final Tasks tasks;
    private final ImageFields image = new ImageFields();
    private final ServiceForm form;
    private final IntegerProperty step = new SimpleIntegerProperty(this, "step", IMAGE);

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

    private final BooleanBinding imageStepValid;
    private final BooleanBinding canGoNext;
    private final BooleanBinding canGoBack;

    public LaunchModel(Redock redock, Tasks tasks, ServicesModel services) {
        this.redock = redock;
        this.tasks = tasks;
        this.form = new ServiceForm(services::nameTaken);
        imageStepValid = Bindings.createBooleanBinding(
                () -> image.ref() != null && check.get() == Check.FOUND && image.ref().equals(checkedRef.get()),
                image.refProperty(), check, checkedRef);
        canGoNext = Bindings.createBooleanBinding(() -> switch (step.get()) {
            case IMAGE -> imageStepValid.get();
            case CONFIG -> form.validProperty().get();
            default -> false;
        }, step, imageStepValid, form.validProperty());
        canGoBack = step.greaterThan(IMAGE).and(launching.not());
        checkSoon.setOnFinished(e -> checkRegistry());
        image.refProperty().addListener((obs, old, ref) -> {
            check.set(Check.IDLE);
            if (ref != null) {
                form.suggestName(ref.suggestedName());
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
        tasks.run(() -> redock.registry().digest(ref), (TagDigest found) -> {
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

    /** A short title for what kind of registry failure this is. */
    static String kind(Throwable e) {
        if (e instanceof ManifestUnknownException) {
            return "Unknown repository or tag";
        }
        if (e instanceof RegistryAuthException) {
            return "Unauthorised";
        }
        if (e instanceof RegistryRateLimitedException) {
            return "Rate limited by the registry";
        }
        if (e instanceof RegistryUnavailableException) {
            return "Registry unreachable";
        }
        if (e instanceof RegistryException) {
            return "The registry's answer cannot be used";
        }
        return "Cannot check the image";
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

    /** Launches the service: pulls with progress, creates, starts and waits until it runs, all off the FX thread. */
    public void launch() {
        FxThread.check();
        if (step.get() != REVIEW || launching.get() || launched.get() != null || image.ref() == null || !form.validProperty().get()) {
            return;
        }
        LaunchRequest request;
        try {
            request = new LaunchRequest(form.name(), image.ref(), form.spec(), form.autoredeployProperty().get());
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
        tasks.run(() -> redock.services().launch(request, meter), (Service s) -> {
            launching.set(false);
            progress.set(1);
            progressText.set("Launched " + s.name());
            launched.set(s);
        }, e -> {
            launching.set(false);
            progress.set(0);
            progressText.set(null);
            String where = e instanceof ValidationException v && v.field() != null ? " (" + v.field() + ")" : "";
            launchError.set("Launch failed" + where + ": " + Tasks.message(e) + ". Nothing was kept: go back, fix it and try again.");
        });
    }

    public ImageFields image() {
        return image;
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
