package dev.redock.ui.services;

import java.util.UUID;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

import javafx.scene.control.Button;
import javafx.stage.Window;

import dev.redock.model.Service;
import dev.redock.ui.Dialogs;

/**
 * What users do to one service from a toolbar, the list's or the service's own page's: redeploy, start, stop, unlock,
 * forget and remove, the last three asked first. Each acts on the service the surface means at that moment (the selected row, the
 * service shown), and does nothing while there is none.
 */
public final class ServiceActions {

    private final ServicesModel services;
    private final Supplier<Service> target;

    /** @param target the service the actions are for, or null while there is none */
    public ServiceActions(ServicesModel services, Supplier<Service> target) {
        this.services = services;
        this.target = target;
    }

    /** Makes a toolbar's Redeploy, Start and Stop buttons do these actions. */
    public void wire(Button redeploy, Button start, Button stop) {
        redeploy.setOnAction(e -> withTarget(services::redeploy));
        start.setOnAction(e -> withTarget(services::start));
        stop.setOnAction(e -> withTarget(services::stop));
    }

    /** Breaks the deployment lock a stopped process left behind, once the user confirms over {@code owner}. */
    public void unlock(Window owner) {
        withTarget((id, name) -> {
            if (Dialogs.confirm(owner, "Unlock " + name, "Break the deployment lock?",
                    "Only for a deployment whose Redock stopped (on this machine or another) and left the lock behind: Redock "
                            + "breaks the lock, then finishes or undoes what that deployment left. A live deployment renews its "
                            + "lock, and Redock refuses to break it.", "Unlock", true)) {
                services.unlock(id, name);
            }
        });
    }

    /** Removes the service once the user confirms over {@code owner} (and says whether its volumes go); then {@code removed}. */
    public void remove(Window owner, Runnable removed) {
        withTarget((id, name) -> Dialogs.confirmRemoval(owner, name)
                .ifPresent(volumes -> services.remove(id, name, volumes, removed)));
    }

    /**
     * Stops following the service once the user confirms over {@code owner}: its container stays exactly as it is, and shows
     * under Not followed; then {@code forgotten}.
     */
    public void forget(Window owner, Runnable forgotten) {
        withTarget((id, name) -> {
            if (Dialogs.confirm(owner, "Forget " + name, "Stop following " + name + "?",
                    "Its container stays exactly as it is, running or not: nothing changes on the engine. Redock forgets the "
                            + "service and its deployment history, and no longer redeploys it; the container shows under Not "
                            + "followed, where you can follow it again.", "Forget", false)) {
                services.forget(id, name, forgotten);
            }
        });
    }

    private void withTarget(BiConsumer<UUID, String> action) {
        Service s = target.get();
        if (s != null) {
            action.accept(s.id(), s.name());
        }
    }
}
