package dev.redock.ui.detail;

import javafx.beans.binding.Bindings;
import javafx.fxml.FXML;
import javafx.scene.control.Label;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TextInputControl;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.VBox;

import dev.redock.ui.Navigation;

/**
 * A service's page: the way back to the list, its header and toolbar, and its tabs (timeline, containers, configuration,
 * triggers, a build's output for a service built from source, logs), each a section of its own on the page's
 * {@link DetailModel}. This controller holds the sections together: which tabs there are and which one shows, the
 * page's keys, and leaving the page when the service is gone. Everything follows the core's events by itself.
 */
public final class ServiceDetailController {

    private final DetailModel model;
    private final Navigation navigation;

    @FXML private VBox root;
    @FXML private Label problemLabel;
    @FXML private TabPane tabs;
    @FXML private Tab triggersTab;
    @FXML private Tab buildTab;
    @FXML private Tab logsTab;
    @FXML private ActionsController actionsSectionController;
    @FXML private TriggersController triggersSectionController;
    @FXML private LogsController logsSectionController;

    public ServiceDetailController(DetailModel model, Navigation navigation) {
        this.model = model;
        this.navigation = navigation;
    }

    @FXML
    private void initialize() {
        model.goneProperty().addListener((obs, old, gone) -> {
            if (gone) {
                navigation.showList();
            }
        });
        problemLabel.textProperty().bind(model.problemProperty());
        problemLabel.visibleProperty().bind(model.problemProperty().isNotNull());
        problemLabel.managedProperty().bind(problemLabel.visibleProperty());

        setUpBuildTab();
        triggersSectionController.shownProperty().bind(triggersTab.selectedProperty());
        logsSectionController.shownProperty().bind(logsTab.selectedProperty());
        root.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.DELETE && !(e.getTarget() instanceof TextInputControl)) {
                actionsSectionController.remove();
                e.consume();
            } else if (e.getCode() == KeyCode.BACK_SPACE && e.isAltDown()) {
                back();
                e.consume();
            }
        });
        model.refresh();
    }

    /** The Build tab shows only for a service built from source, or once a build of it was seen. */
    private void setUpBuildTab() {
        tabs.getTabs().remove(buildTab);
        buildTab.textProperty().bind(Bindings.when(model.build().runningProperty()).then("Build (running)").otherwise("Build"));
        model.viewProperty().addListener((obs, old, v) -> {
            if (v != null && v.service().fromGit()) {
                showBuildTab();
            }
        });
        model.builtProperty().addListener((obs, old, built) -> {
            if (built) {
                showBuildTab();
            }
        });
    }

    private void showBuildTab() {
        if (!tabs.getTabs().contains(buildTab)) {
            int at = tabs.getTabs().indexOf(logsTab);
            tabs.getTabs().add(at < 0 ? tabs.getTabs().size() : at, buildTab);
        }
    }

    /** Reads everything again (F5). */
    public void refresh() {
        model.refresh();
        logsSectionController.refreshIfShown();
    }

    @FXML
    private void back() {
        navigation.showList();
    }
}
