package dev.redock.ui.detail;

import java.util.UUID;

import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

import dev.redock.model.GitSource;
import dev.redock.model.ImageRef;
import dev.redock.model.Service;
import dev.redock.service.Core;
import dev.redock.service.ServiceInput;
import dev.redock.service.ServiceManager;
import dev.redock.ui.FxThread;
import dev.redock.ui.Tasks;
import dev.redock.ui.form.FormNames;
import dev.redock.ui.form.GitFields;
import dev.redock.ui.form.ImageFields;
import dev.redock.ui.form.ServiceForm;

/**
 * The Edit form's state: every editable setting of one service (its image and tag, its container's configuration, its
 * autoredeploy switch), checked as in the wizard. Save persists through the core; Cancel simply drops the model.
 */
public final class EditModel {

    private final UUID id;
    private final Core core;
    private final Tasks tasks;
    private final ImageFields image = new ImageFields();
    private final GitFields git;
    private final ServiceForm form = new ServiceForm(name -> false);
    private final ObjectProperty<Service> original = new SimpleObjectProperty<>(this, "original");
    private final BooleanProperty saving = new SimpleBooleanProperty(this, "saving");
    private final StringProperty error = new SimpleStringProperty(this, "error");
    private final ObjectProperty<ServiceManager.EditResult> saved = new SimpleObjectProperty<>(this, "saved");
    private final BooleanBinding canSave;

    public EditModel(UUID id, Core core, Tasks tasks) {
        this.id = id;
        this.core = core;
        this.tasks = tasks;
        this.git = new GitFields(core, tasks);
        form.nameEditableProperty().set(false);
        canSave = Bindings.createBooleanBinding(
                () -> original.get() != null && !saving.get() && (fromGit() ? git.source() != null : image.ref() != null)
                        && form.validProperty().get(),
                original, saving, image.refProperty(), git.sourceProperty(), form.validProperty());
    }

    /** Reads the service, off the FX thread, and fills the fields. */
    public void load() {
        FxThread.check();
        tasks.run(() -> core.services().get(id.toString()), (Service s) -> {
            if (s.fromGit()) {
                git.set(s.git());
            } else if (s.image() != null) {
                image.set(s.image());
            }
            form.fromGitProperty().set(s.fromGit());
            form.load(s);
            original.set(s);
        }, e -> error.set("Cannot read the service: " + Tasks.message(e)));
    }

    /** Saves every field at once, off the FX thread. */
    public void save() {
        FxThread.check();
        if (!canSave.get()) {
            return;
        }
        Service before = original.get();
        ImageRef ref = image.ref();
        // An image left as it was keeps a pinned digest.
        boolean imageChanged = !before.fromGit() && !ref.nameWithTag().equals(before.image().nameWithTag());
        GitSource source = git.source();
        ServiceInput input = form.input()
                .withImage(imageChanged ? ref.familiar() : null)
                .withGit(before.fromGit() ? ServiceInput.GitInput.of(source) : null);
        saving.set(true);
        error.set(null);
        tasks.run(() -> core.services().edit(id, input.toChange(before, FormNames.INSTANCE)), (ServiceManager.EditResult r) -> {
            saving.set(false);
            saved.set(r);
        }, e -> {
            saving.set(false);
            error.set("Cannot save: " + Tasks.message(e));
        });
    }

    /** Whether the service is built from a git repository: its git source is then edited here instead of its image. */
    public boolean fromGit() {
        return original.get() != null && original.get().fromGit();
    }

    public UUID id() {
        return id;
    }

    public ImageFields image() {
        return image;
    }

    public GitFields git() {
        return git;
    }

    public ServiceForm form() {
        return form;
    }

    public ObjectProperty<Service> originalProperty() {
        return original;
    }

    public BooleanProperty savingProperty() {
        return saving;
    }

    public StringProperty errorProperty() {
        return error;
    }

    /** Set once the edit is saved: the stored service, and whether its container must be redeployed to follow. */
    public ObjectProperty<ServiceManager.EditResult> savedProperty() {
        return saved;
    }

    public BooleanBinding canSaveProperty() {
        return canSave;
    }
}
