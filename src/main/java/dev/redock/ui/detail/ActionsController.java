package dev.redock.ui.detail;

import java.util.List;
import java.util.UUID;
import java.util.function.BiConsumer;

import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.ToolBar;

import dev.redock.model.Service;
import dev.redock.model.ServiceStatus;
import dev.redock.model.ServiceView;
import dev.redock.ui.Dialogs;
import dev.redock.ui.Navigation;
import dev.redock.ui.services.ServicesModel;

/**
 * The toolbar of a service's page: Edit, Redeploy now, Start and Stop (each enabled when it can do something), Unlock
 * (shown only while a deployment holds the service) and Remove, after which the list shows again.
 */
public final class ActionsController {

    private final DetailModel model;
    private final ServicesModel services;
    private final Navigation navigation;

    @FXML private ToolBar toolbar;
    @FXML private Button editButton;
    @FXML private Button redeployButton;
    @FXML private Button startButton;
    @FXML private Button stopButton;
    @FXML private Button unlockButton;
    @FXML private Button removeButton;

    public ActionsController(DetailModel model, ServicesModel services, Navigation navigation) {
        this.model = model;
        this.services = services;
        this.navigation = navigation;
    }

    @FXML
    private void initialize() {
        for (Button b : new Button[] {editButton, redeployButton, removeButton}) {
            b.disableProperty().bind(model.viewProperty().isNull());
        }
        startButton.disableProperty().bind(statusIs(ServiceStatus.RUNNING, ServiceStatus.MISSING, ServiceStatus.DEPLOYING)
                .or(model.viewProperty().isNull()));
        stopButton.disableProperty().bind(statusIs(ServiceStatus.RUNNING).not());
        // For the rare deployment whose process stopped on another machine: shown only while the service is deploying.
        unlockButton.visibleProperty().bind(statusIs(ServiceStatus.DEPLOYING));
        unlockButton.managedProperty().bind(unlockButton.visibleProperty());
    }

    /** True while the service is shown and its status is one of {@code statuses}. */
    private BooleanBinding statusIs(ServiceStatus... statuses) {
        return Bindings.createBooleanBinding(() -> {
            ServiceView v = model.viewProperty().get();
            return v != null && List.of(statuses).contains(v.status());
        }, model.viewProperty());
    }

    private Service service() {
        return model.viewProperty().get() == null ? null : model.viewProperty().get().service();
    }

    @FXML
    private void edit() {
        navigation.openEditor(model.id());
    }

    @FXML
    private void redeploy() {
        withService(services::redeploy);
    }

    @FXML
    private void start() {
        withService(services::start);
    }

    @FXML
    private void unlock() {
        Service s = service();
        if (s != null && Dialogs.confirm(toolbar.getScene().getWindow(), "Unlock " + s.name(), "Break the deployment lock?",
                "Only for a deployment whose Redock stopped (on this machine or another) and left the lock behind: Redock "
                        + "breaks the lock, then finishes or undoes what that deployment left. A live deployment renews its "
                        + "lock, and Redock refuses to break it.", "Unlock", true)) {
            services.unlock(s.id(), s.name());
        }
    }

    @FXML
    private void stop() {
        withService(services::stop);
    }

    /** Runs a list action (by id and name) on the shown service, once it is loaded. */
    private void withService(BiConsumer<UUID, String> action) {
        Service s = service();
        if (s != null) {
            action.accept(s.id(), s.name());
        }
    }

    /** Removes the service, once the user confirms; then the list shows again. Also the page's Delete key. */
    @FXML
    void remove() {
        Service s = service();
        if (s != null) {
            Dialogs.confirmRemoval(toolbar.getScene().getWindow(), s.name())
                    .ifPresent(volumes -> services.remove(s.id(), s.name(), volumes, navigation::showList));
        }
    }
}
