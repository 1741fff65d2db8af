package dev.redock.ui.detail;

import java.time.Instant;

import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.collections.ListChangeListener;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.VBox;

import dev.redock.model.Deployment;
import dev.redock.model.RedeployTrigger;
import dev.redock.ui.Dialogs;
import dev.redock.ui.Format;
import dev.redock.ui.Notifier;
import dev.redock.ui.SecretField;

/**
 * A service's Triggers tab: its redeploy trigger URLs (made here, each URL shown once; listed with when each was last
 * called; revoked after a question), and its push-webhook URLs and secret, read only when asked for. The list is read
 * when the tab comes into view, and again after each deployment while it shows, since a call redeploys.
 */
public final class TriggersController {

    private final TriggersModel triggers;
    private final DetailModel model;
    private final Notifier notifier;
    private final BooleanProperty shown = new SimpleBooleanProperty(this, "shown");

    @FXML private TableView<RedeployTrigger> triggersTable;
    @FXML private TableColumn<RedeployTrigger, String> triggerNameColumn;
    @FXML private TableColumn<RedeployTrigger, String> triggerCreatedColumn;
    @FXML private TableColumn<RedeployTrigger, String> triggerCalledColumn;
    @FXML private TableColumn<RedeployTrigger, RedeployTrigger> triggerRevokeColumn;
    @FXML private TextField triggerNameField;
    @FXML private Button createTriggerButton;
    @FXML private Label triggerNameError;
    @FXML private VBox newTriggerBox;
    @FXML private TextField newTriggerUrl;
    @FXML private Label triggersProblem;
    @FXML private Button showWebhookButton;
    @FXML private GridPane webhookGrid;
    @FXML private TextField githubUrlField;
    @FXML private TextField gitlabUrlField;
    @FXML private SecretField webhookSecretField;

    public TriggersController(TriggersModel triggers, DetailModel model, Notifier notifier) {
        this.triggers = triggers;
        this.model = model;
        this.notifier = notifier;
    }

    @FXML
    private void initialize() {
        triggerNameColumn.setCellValueFactory(c -> text(c.getValue().name()));
        triggerCreatedColumn.setCellValueFactory(c -> text(Format.timestamp(c.getValue().created())));
        triggerCalledColumn.setCellValueFactory(c -> text(c.getValue().lastCalled() == null ? "never"
                : Format.timestamp(c.getValue().lastCalled()) + " (" + Format.ago(c.getValue().lastCalled(), Instant.now()) + ")"));
        triggerRevokeColumn.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue()));
        triggerRevokeColumn.setCellFactory(c -> new TableCell<>() {
            private final Button revoke = new Button("Revoke");

            {
                revoke.getStyleClass().addAll("danger", "small");
                revoke.disableProperty().bind(triggers.busyProperty());
                revoke.setOnAction(e -> revoke(getItem()));
            }

            @Override
            protected void updateItem(RedeployTrigger t, boolean empty) {
                super.updateItem(t, empty);
                setText(null);
                if (empty || t == null) {
                    revoke.setId(null); // a cell the table keeps for measuring must not answer to a row's id
                    setGraphic(null);
                } else {
                    revoke.setId("revokeTrigger-" + t.name());
                    setGraphic(revoke);
                }
            }
        });
        triggersTable.setItems(triggers.triggers());
        triggerNameField.textProperty().bindBidirectional(triggers.nameProperty());
        triggerNameError.textProperty().bind(triggers.nameErrorProperty());
        createTriggerButton.disableProperty().bind(triggers.nameProperty().isEmpty()
                .or(triggers.nameErrorProperty().isNotEmpty()).or(triggers.busyProperty()));
        newTriggerUrl.textProperty().bind(triggers.newUrlProperty());
        newTriggerBox.visibleProperty().bind(triggers.newUrlProperty().isNotEmpty());
        newTriggerBox.managedProperty().bind(newTriggerBox.visibleProperty());
        triggersProblem.textProperty().bind(triggers.problemProperty());
        triggersProblem.visibleProperty().bind(triggers.problemProperty().isNotEmpty());
        triggersProblem.managedProperty().bind(triggersProblem.visibleProperty());
        showWebhookButton.visibleProperty().bind(triggers.webhookLoadedProperty().not());
        showWebhookButton.managedProperty().bind(showWebhookButton.visibleProperty());
        showWebhookButton.disableProperty().bind(triggers.busyProperty());
        webhookGrid.visibleProperty().bind(triggers.webhookLoadedProperty());
        webhookGrid.managedProperty().bind(webhookGrid.visibleProperty());
        githubUrlField.textProperty().bind(triggers.githubUrlProperty());
        gitlabUrlField.textProperty().bind(triggers.gitlabUrlProperty());
        webhookSecretField.textProperty().bind(triggers.secretProperty());
        shown.addListener((obs, was, now) -> {
            if (now) {
                triggers.load();
            }
        });
        // A call redeploys, which the core reports: read "last called" again while the tab shows.
        model.history().addListener((ListChangeListener<Deployment>) ch -> {
            if (shown.get()) {
                triggers.load();
            }
        });
    }

    /** Whether the tab is in view (the page binds it to its Triggers tab being selected). */
    public BooleanProperty shownProperty() {
        return shown;
    }

    @FXML
    private void createTrigger() {
        triggers.create();
    }

    @FXML
    private void copyTriggerUrl() {
        String url = triggers.newUrlProperty().get();
        if (!url.isEmpty()) {
            SecretField.copy(url);
            notifier.info("Copied the trigger URL");
        }
    }

    @FXML
    private void showWebhook() {
        triggers.loadWebhook();
    }

    private void revoke(RedeployTrigger t) {
        if (t != null && Dialogs.confirm(triggersTable.getScene().getWindow(), "Revoke trigger", "Revoke \"" + t.name() + "\"?",
                "Its URL stops working at once: calls to it answer 404. A new trigger gets a new URL.", "Revoke", true)) {
            triggers.revoke(t);
        }
    }

    private static ReadOnlyStringWrapper text(String s) {
        return new ReadOnlyStringWrapper(s);
    }
}
