package dev.redock.ui.services;

import java.util.List;

import javafx.application.Platform;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.layout.BorderPane;

import dev.redock.app.Redock;
import dev.redock.deploy.DeployEvents;
import dev.redock.deploy.Deployer;
import dev.redock.deploy.ServiceView;
import dev.redock.model.Deployment;
import dev.redock.model.Service;
import dev.redock.ui.Background;

/** The list of services: name, image, status, digest, autoredeploy, last deployment. Refreshed by core events. */
public final class ServiceListView {

    private final BorderPane root = new BorderPane();
    private final TableView<ServiceView> table = new TableView<>();
    private final ObservableList<ServiceView> rows = FXCollections.observableArrayList();
    private final Label status = new Label("Opening…");
    private Redock redock;
    private AutoCloseable subscription;

    public ServiceListView() {
        table.setId("services");
        table.setItems(rows);
        table.setPlaceholder(new Label("No services yet. Launch one with: redock service run IMAGE"));
        table.getColumns().add(column("Name", v -> v.service().name()));
        table.getColumns().add(column("Image", v -> v.service().image().familiar()));
        table.getColumns().add(column("Status", v -> v.status().label()));
        table.getColumns().add(column("Digest", v -> Deployer.shortDigest(v.service().digest())));
        table.getColumns().add(column("Autoredeploy", v -> v.service().autoredeploy() ? "on" : "off"));
        table.getColumns().add(column("Last deployment", v -> v.last() == null ? "-" : v.last().outcome().label()));
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        root.setCenter(table);
        root.setBottom(status);
    }

    private static TableColumn<ServiceView, String> column(String title, java.util.function.Function<ServiceView, String> value) {
        TableColumn<ServiceView, String> c = new TableColumn<>(title);
        c.setCellValueFactory(cell -> new ReadOnlyStringWrapper(value.apply(cell.getValue())));
        return c;
    }

    public BorderPane root() {
        return root;
    }

    public void attach(Redock r) {
        Background.assertFxThread();
        this.redock = r;
        subscription = r.events().subscribe(new DeployEvents() {
            @Override
            public void deploymentStarted(Service service, Deployment deployment) {
                Platform.runLater(ServiceListView.this::refresh);
            }

            @Override
            public void deploymentFinished(Service service, Deployment deployment) {
                Platform.runLater(ServiceListView.this::refresh);
            }

            @Override
            public void servicesChanged() {
                Platform.runLater(ServiceListView.this::refresh);
            }
        });
        refresh();
    }

    public void detach() {
        if (subscription != null) {
            try {
                subscription.close();
            } catch (Exception ignored) {
                // nothing to release
            }
        }
    }

    public void refresh() {
        if (redock == null) {
            return;
        }
        Redock r = redock;
        Background.run(() -> r.services().views(), this::show, e -> showError(e.getMessage()));
    }

    private void show(List<ServiceView> views) {
        rows.setAll(views);
        status.setText(views.size() + " service" + (views.size() == 1 ? "" : "s") + " · data in " + redock.dataFolder());
    }

    public void showError(String message) {
        Background.assertFxThread();
        status.setText(message);
    }
}
