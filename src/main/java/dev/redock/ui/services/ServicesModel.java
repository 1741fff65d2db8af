package dev.redock.ui.services;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import dev.redock.model.DeployResult;
import dev.redock.model.ServiceView;
import dev.redock.service.Core;
import dev.redock.service.ServiceManager;
import dev.redock.ui.CoreEvents;
import dev.redock.ui.EnginesModel;
import dev.redock.ui.FxThread;
import dev.redock.ui.Notifier;
import dev.redock.ui.Tasks;

/**
 * The services as the window shows them, and what users do to them from the list. Refreshed off the FX thread whenever
 * the core says something changed, and when an engine stops answering or answers again; refreshes that arrive while one
 * is under way fold into one more. The first list is the services as stored, their statuses filled in once the engines
 * answer.
 */
public final class ServicesModel {

    private final Core core;
    private final Tasks tasks;
    private final Notifier notifier;
    private final ObservableList<ServiceRow> rows = FXCollections.observableArrayList();
    private final javafx.beans.property.IntegerProperty revision = new javafx.beans.property.SimpleIntegerProperty(this, "revision");
    private final BooleanProperty loaded = new SimpleBooleanProperty(this, "loaded");
    private final ReadOnlyStringWrapper problem = new ReadOnlyStringWrapper(this, "problem");
    private boolean refreshing;
    private boolean again;
    /** Whether the first read (the services as stored) was asked for, and whether it has ended. */
    private boolean firstRead;
    private boolean firstReadEnded;
    private final List<Runnable> afterFirstRead = new java.util.ArrayList<>();
    private Consumer<Runnable> onceShown = Runnable::run;

    public ServicesModel(Core core, Tasks tasks, CoreEvents events, Notifier notifier, EnginesModel engines) {
        this.core = core;
        this.tasks = tasks;
        this.notifier = notifier;
        events.listen(change -> refresh());
        // An engine that stops answering (or answers again) changes what its services show: nothing else says so.
        engines.onReachabilityChange(this::refresh);
    }

    public ObservableList<ServiceRow> rows() {
        return rows;
    }

    /** Counts the lists shown: changes whenever any row may have changed. */
    public javafx.beans.property.ReadOnlyIntegerProperty revisionProperty() {
        return revision;
    }

    /** True once the first list has arrived. */
    public ReadOnlyBooleanProperty loadedProperty() {
        return loaded;
    }

    /** Why the list could not be read, or null. */
    public ReadOnlyStringProperty problemProperty() {
        return problem.getReadOnlyProperty();
    }

    public Optional<ServiceRow> row(UUID id) {
        return rows.stream().filter(r -> r.id().equals(id)).findFirst();
    }

    public Optional<ServiceRow> rowNamed(String name) {
        return rows.stream().filter(r -> r.name().equals(name)).findFirst();
    }

    /** Whether a service of this name is known (the wizard refuses taken names as they are typed). */
    public boolean nameTaken(String name) {
        return rowNamed(name).isPresent();
    }

    /**
     * Reads the services and their statuses again, off the FX thread. The first time, the services as stored come first,
     * from the database alone, so that the list shows before any engine has answered; their statuses follow.
     */
    public void refresh() {
        FxThread.check();
        if (refreshing) {
            again = true;
            return;
        }
        refreshing = true;
        if (!firstRead) {
            firstRead = true;
            tasks.run(() -> core.services().storedViews(), this::showFirst, e -> {
                failed(e);
                firstReadDone();
            });
            return;
        }
        readViews();
    }

    /**
     * Shows the services as stored, read already (as the window opened), as the first list; their statuses follow, as
     * after the first {@link #refresh()}.
     */
    public void showStored(List<ServiceView> stored) {
        FxThread.check();
        if (firstRead) {
            refresh();
            return;
        }
        firstRead = true;
        refreshing = true;
        showFirst(stored);
    }

    private void showFirst(List<ServiceView> stored) {
        show(stored);
        onceShown.accept(() -> {
            firstReadDone();
            readViews();
        });
    }

    /**
     * Says how to wait until the first list is drawn before what follows it starts (its statuses, and what waits for
     * {@link #afterFirstRead}), so that they do not compete with drawing it: the list's table says. Without it they
     * start at once.
     */
    public void whenShown(Consumer<Runnable> shown) {
        FxThread.check();
        onceShown = shown;
    }

    private void readViews() {
        tasks.run(() -> core.services().views(), views -> {
            show(views);
            refreshDone();
        }, this::failed);
    }

    private void failed(Throwable e) {
        problem.set("Cannot read the services: " + Tasks.message(e));
        refreshDone();
    }

    private void refreshDone() {
        refreshing = false;
        if (again) {
            again = false;
            refresh();
        }
    }

    /**
     * Runs {@code then} on the FX thread once the first read of the list has ended (shown or failed): at once when it
     * has. The window starts what asks the engines after it, so that they do not hold the first list up.
     */
    public void afterFirstRead(Runnable then) {
        FxThread.check();
        if (firstReadEnded) {
            then.run();
        } else {
            afterFirstRead.add(then);
        }
    }

    private void firstReadDone() {
        firstReadEnded = true;
        List<Runnable> waiting = List.copyOf(afterFirstRead);
        afterFirstRead.clear();
        waiting.forEach(Runnable::run);
    }

    private void show(List<ServiceView> views) {
        FxThread.check();
        Map<UUID, ServiceRow> existing = new HashMap<>();
        for (ServiceRow r : rows) {
            existing.put(r.id(), r);
        }
        rows.removeIf(r -> views.stream().noneMatch(v -> v.service().id().equals(r.id())));
        if (rows.isEmpty()) {
            // The first list: one change for all its rows, not one a row through the filtered and sorted lists and the
            // table's listeners.
            rows.setAll(views.stream().map(ServiceRow::new).toList());
        } else {
            for (int i = 0; i < views.size(); i++) {
                ServiceView v = views.get(i);
                ServiceRow row = existing.get(v.service().id());
                if (row == null) {
                    rows.add(Math.min(i, rows.size()), new ServiceRow(v));
                } else {
                    row.update(v);
                }
            }
        }
        problem.set(null);
        loaded.set(true);
        revision.set(revision.get() + 1);
    }

    /** Saves a flip of a row's switch at once; on failure the switch goes back and the banner says why. */
    public void setAutoredeploy(ServiceRow row, boolean on) {
        FxThread.check();
        if (row.view().service().autoredeploy() == on && !row.savingProperty().get()) {
            return;
        }
        row.savingProperty().set(true);
        String id = row.id().toString();
        tasks.run(() -> core.services().setAutoredeploy(id, on), saved -> {
            row.savingProperty().set(false);
            row.saved(saved);
            notifier.info("Autoredeploy " + (on ? "on" : "off") + " for " + saved.name());
        }, e -> {
            row.savingProperty().set(false);
            row.autoredeployProperty().set(row.view().service().autoredeploy());
            notifier.error("Cannot switch autoredeploy for " + row.name() + ": " + Tasks.message(e));
        });
    }

    public void redeploy(UUID id, String name) {
        notifier.info("Redeploying " + name + "…");
        tasks.run(() -> core.services().redeploy(id.toString()), (DeployResult r) -> {
            if (r.kind() == DeployResult.Kind.DEPLOYED && r.deployment() != null
                    && r.deployment().outcome() != dev.redock.model.Outcome.SUCCEEDED) {
                notifier.error(name + ": " + r.message());
            } else {
                notifier.success(name + ": " + r.message());
            }
        }, failed("redeploy " + name));
    }

    /** Breaks a stuck deployment lock and recovers what it left (it waits up to a renewal period, off the FX thread). */
    public void unlock(UUID id, String name) {
        notifier.info("Unlocking " + name + "…");
        tasks.run(() -> core.services().unlock(id.toString()), notifier::success, failed("unlock " + name));
    }

    public void start(UUID id, String name) {
        tasks.run(() -> core.services().start(id.toString()), () -> notifier.success("Started " + name),
                failed("start " + name));
    }

    public void stop(UUID id, String name) {
        notifier.info("Stopping " + name + "…");
        tasks.run(() -> core.services().stop(id.toString()), () -> notifier.success("Stopped " + name),
                failed("stop " + name));
    }

    /**
     * Removes a service and its container; its volumes too when asked. Says which volumes stay, so none is left behind
     * without the user knowing.
     */
    public void remove(UUID id, String name, boolean volumes, Runnable then) {
        notifier.info("Removing " + name + "…");
        tasks.run(() -> core.services().remove(id.toString(), volumes), (ServiceManager.RemoveResult r) -> {
            notifier.success("Removed " + name + volumeNote(r));
            then.run();
        }, failed("remove " + name));
    }

    /** Stops following a service; its container stays as it is. */
    public void forget(UUID id, String name, Runnable then) {
        tasks.run(() -> core.services().forget(id.toString()), forgotten -> {
            notifier.success("Forgot " + name + ": its container stays as it is, under Not followed");
            then.run();
        }, failed("forget " + name));
    }

    static String volumeNote(ServiceManager.RemoveResult r) {
        StringBuilder note = new StringBuilder();
        if (!r.removedVolumes().isEmpty()) {
            note.append("; removed its volumes ").append(String.join(", ", r.removedVolumes()));
        }
        if (!r.keptVolumes().isEmpty()) {
            note.append("; kept its volumes ").append(String.join(", ", r.keptVolumes()));
        }
        return note.toString();
    }

    private Consumer<Throwable> failed(String what) {
        return e -> notifier.error("Cannot " + what + ": " + Tasks.message(e));
    }
}
