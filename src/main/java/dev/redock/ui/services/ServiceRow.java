package dev.redock.ui.services;

import java.util.UUID;

import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;

import dev.redock.model.ExistingContainer;
import dev.redock.model.Service;
import dev.redock.model.ServiceStatus;
import dev.redock.model.ServiceView;

/**
 * One row of the service list. It keeps its identity across refreshes (so the selection stays), and its autoredeploy
 * property is what the row's switch is bound to.
 */
public final class ServiceRow {

    private final UUID id;
    private final ObjectProperty<ServiceView> view = new SimpleObjectProperty<>(this, "view");
    private final BooleanProperty autoredeploy = new SimpleBooleanProperty(this, "autoredeploy");
    /** True while a change of this row's switch is being saved. */
    private final BooleanProperty saving = new SimpleBooleanProperty(this, "saving");

    ServiceRow(ServiceView v) {
        this.id = v.service().id();
        update(v);
    }

    void update(ServiceView v) {
        ServiceView shown = view.get();
        if (shown != null && isOlder(v.service(), shown.service())) {
            // Read before a change this row already shows (a save that finished first): the newer service stays.
            v = new ServiceView(shown.service(), v.status(), v.detail(), v.containerId(), v.last());
        }
        view.set(v);
        if (!saving.get()) {
            autoredeploy.set(v.service().autoredeploy());
        }
    }

    /** Shows the service as this window just saved it. */
    void saved(Service service) {
        ServiceView shown = view.get();
        update(new ServiceView(service, shown.status(), shown.detail(), shown.containerId(), shown.last()));
    }

    private static boolean isOlder(Service read, Service shown) {
        return read.updated() != null && shown.updated() != null && read.updated().isBefore(shown.updated());
    }

    public UUID id() {
        return id;
    }

    public ServiceView view() {
        return view.get();
    }

    public ReadOnlyObjectProperty<ServiceView> viewProperty() {
        return view;
    }

    public BooleanProperty autoredeployProperty() {
        return autoredeploy;
    }

    public BooleanProperty savingProperty() {
        return saving;
    }

    public String name() {
        return view.get().service().name();
    }

    /** The compose project the service's container belongs to, or null. */
    public String project() {
        return projectOf(view.get().service());
    }

    /** The compose project named by the service's labels (its container's, kept when it was followed), or null. */
    static String projectOf(Service s) {
        String project = s.spec().labels().get(ExistingContainer.COMPOSE_PROJECT);
        return project == null || project.isBlank() ? null : project;
    }

    public ServiceStatus status() {
        return view.get().status();
    }

    @Override
    public String toString() {
        return name();
    }
}
