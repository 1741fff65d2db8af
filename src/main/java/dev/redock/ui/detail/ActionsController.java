package dev.redock.ui.detail;

import java.util.List;

import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.ToolBar;

import dev.redock.model.ServiceStatus;
import dev.redock.model.ServiceView;
import dev.redock.ui.Navigation;
import dev.redock.ui.services.ServiceActions;
import dev.redock.ui.services.ServicesModel;

/**
 * The toolbar of a service's page: Edit, Redeploy now, Start and Stop (each enabled when it can do something), Unlock
 * (shown only while a deployment holds the service), Forget (the container stays as it is) and Remove, after either of
 * which the list shows again.
 */
public final class ActionsController {

    private final DetailModel model;
    private final Navigation navigation;
    private final ServiceActions actions;

    @FXML private ToolBar toolbar;
    @FXML private Button editButton;
    @FXML private Button redeployButton;
    @FXML private Button startButton;
    @FXML private Button stopButton;
    @FXML private Button unlockButton;
    @FXML private Button forgetButton;
    @FXML private Button removeButton;

    public ActionsController(DetailModel model, ServicesModel services, Navigation navigation) {
        this.model = model;
        this.navigation = navigation;
        this.actions = new ServiceActions(services, () -> {
            ServiceView v = model.viewProperty().get();
            return v == null ? null : v.service();
        });
    }

    @FXML
    private void initialize() {
        actions.wire(redeployButton, startButton, stopButton);
        for (Button b : new Button[] {editButton, redeployButton, forgetButton, removeButton}) {
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

    @FXML
    private void edit() {
        navigation.openEditor(model.id());
    }

    @FXML
    private void unlock() {
        actions.unlock(toolbar.getScene().getWindow());
    }

    /** Stops following the service, once the user confirms; its container stays, and the list shows again. */
    @FXML
    private void forget() {
        actions.forget(toolbar.getScene().getWindow(), navigation::showList);
    }

    /** Removes the service, once the user confirms; then the list shows again. Also the page's Delete key. */
    @FXML
    void remove() {
        actions.remove(toolbar.getScene().getWindow(), navigation::showList);
    }
}
