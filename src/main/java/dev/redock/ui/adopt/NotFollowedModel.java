package dev.redock.ui.adopt;

import java.util.List;
import java.util.function.Consumer;

import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import dev.redock.model.Outcome;
import dev.redock.model.Service;
import dev.redock.model.UnfollowedContainer;
import dev.redock.service.AdoptRequest;
import dev.redock.service.Core;
import dev.redock.ui.CoreEvents;
import dev.redock.ui.EnginesModel;
import dev.redock.ui.FxThread;
import dev.redock.ui.Notifier;
import dev.redock.ui.Tasks;

/**
 * The containers on the user's engines that no service follows, as the window's "Not followed" view lists them, and
 * following them. Read off the FX thread when first asked, again whenever the services change (a service followed,
 * forgotten or removed, a deployment ended) or an engine stops or starts answering, and on demand; reads asked for while
 * one is under way fold into one more.
 */
public final class NotFollowedModel {

    private final Core core;
    private final Tasks tasks;
    private final Notifier notifier;
    private final ObservableList<UnfollowedContainer> containers = FXCollections.observableArrayList();
    private final ReadOnlyBooleanWrapper loaded = new ReadOnlyBooleanWrapper(this, "loaded");
    private final ReadOnlyBooleanWrapper following = new ReadOnlyBooleanWrapper(this, "following");
    private final ReadOnlyStringWrapper problem = new ReadOnlyStringWrapper(this, "problem");
    private boolean wanted;
    private boolean refreshing;
    private boolean again;

    public NotFollowedModel(Core core, Tasks tasks, CoreEvents events, Notifier notifier, EnginesModel engines) {
        this.core = core;
        this.tasks = tasks;
        this.notifier = notifier;
        events.listen(change -> {
            // A deployment that starts changes nothing here; one that ends may have replaced an adopted container.
            if (change.deployment() == null || change.deployment().outcome() != Outcome.RUNNING) {
                refreshIfWanted();
            }
        });
        engines.onReachabilityChange(this::refreshIfWanted);
    }

    /** The containers no service follows, by engine, compose project and name, as the core lists them. */
    public ObservableList<UnfollowedContainer> containers() {
        return containers;
    }

    /** True once the first list has arrived. */
    public ReadOnlyBooleanProperty loadedProperty() {
        return loaded.getReadOnlyProperty();
    }

    /** True while an adoption is under way. */
    public ReadOnlyBooleanProperty followingProperty() {
        return following.getReadOnlyProperty();
    }

    /** Why the list could not be read, or null. */
    public ReadOnlyStringProperty problemProperty() {
        return problem.getReadOnlyProperty();
    }

    /**
     * Asks every engine what runs there, off the FX thread. From the first call on, the list also follows the services'
     * changes by itself: until then nobody looks at it, and the engines are not asked.
     */
    public void refresh() {
        FxThread.check();
        wanted = true;
        if (refreshing) {
            again = true;
            return;
        }
        refreshing = true;
        tasks.run(() -> core.services().adoptions().unfollowed(), list -> {
            containers.setAll(list);
            problem.set(null);
            loaded.set(true);
            refreshDone();
        }, e -> {
            problem.set("Cannot list the containers Redock does not follow: " + Tasks.message(e));
            refreshDone();
        });
    }

    /** Reads the list again if anybody has looked at it yet (F5 in the window). */
    public void refreshIfWanted() {
        if (wanted) {
            refresh();
        }
    }

    private void refreshDone() {
        refreshing = false;
        if (again) {
            again = false;
            refresh();
        }
    }

    /**
     * Follows what the request names; then {@code followed} with the new services. A refusal shows in the banner in the
     * core's own words, and nothing was adopted.
     *
     * @param what how the banner names it ({@code web}, {@code compose project shop})
     */
    public void follow(AdoptRequest request, String what, Consumer<List<Service>> followed) {
        FxThread.check();
        following.set(true);
        notifier.info("Following " + what + "…");
        tasks.run(() -> core.services().adoptions().adopt(request), services -> {
            following.set(false);
            notifier.success("Following " + names(services) + (request.autoredeploy() ? " with autoredeploy on" : "")
                    + (services.size() == 1 ? ". Its container runs on as it is; Redock labels it at the next redeploy"
                            : ". Their containers run on as they are; Redock labels each at its next redeploy"));
            refresh();
            followed.accept(services);
        }, e -> {
            following.set(false);
            notifier.error("Cannot follow " + what + ": " + Tasks.message(e));
            refresh();
        });
    }

    private static String names(List<Service> services) {
        return String.join(", ", services.stream().map(Service::name).toList());
    }
}
