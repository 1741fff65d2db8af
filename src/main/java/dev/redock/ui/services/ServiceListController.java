package dev.redock.ui.services;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Function;

import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.collections.ListChangeListener;
import javafx.collections.transformation.FilteredList;
import javafx.collections.transformation.SortedList;
import javafx.fxml.FXML;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToolBar;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.input.MouseButton;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;

import atlantafx.base.controls.ToggleSwitch;

import dev.redock.model.Service;
import dev.redock.model.ServiceStatus;
import dev.redock.model.ServiceView;
import dev.redock.ui.EnginesModel;
import dev.redock.ui.Format;
import dev.redock.ui.Navigation;
import dev.redock.ui.StatusBadge;
import dev.redock.ui.Views;
import dev.redock.ui.adopt.NotFollowedController;
import dev.redock.ui.adopt.NotFollowedModel;

/**
 * The service list: a table with each service's status, compose project, engine, image, digest, last deployment and its
 * autoredeploy switch (flipped right in the row and saved at once), the services of a compose project side by side; a
 * toolbar and a context menu to launch, redeploy, start, stop, forget and remove; a filter by text and, once there are
 * several engines, by engine. A switch in its header shows the containers no service follows instead, to follow them.
 */
public final class ServiceListController {

    /** The engine filter's first choice; no engine has this name, as engine names have no spaces. */
    static final String ALL_ENGINES = "All engines";

    /** Ungrouped services first, as they were; then each compose project's, by the project's name. */
    private static final Comparator<ServiceRow> BY_PROJECT = Comparator.comparing(ServiceRow::project,
            Comparator.nullsFirst(Comparator.naturalOrder()));

    /**
     * The last word of every order: by name, as the core lists them. A sorted list moves a changed row by a binary search,
     * so rows it finds equal would otherwise swap places as they change.
     */
    private static final Comparator<ServiceRow> BY_NAME = Comparator.comparing(ServiceRow::name);

    private final ServicesModel model;
    private final EnginesModel engines;
    private final Navigation navigation;
    private final ServiceActions actions;
    private final NotFollowedModel notFollowedModel;
    private final Views loader;

    @FXML private TableView<ServiceRow> table;
    @FXML private TableColumn<ServiceRow, ServiceView> statusColumn;
    @FXML private TableColumn<ServiceRow, String> nameColumn;
    @FXML private TableColumn<ServiceRow, String> projectColumn;
    @FXML private TableColumn<ServiceRow, ServiceView> engineColumn;
    @FXML private TableColumn<ServiceRow, String> imageColumn;
    @FXML private TableColumn<ServiceRow, String> digestColumn;
    @FXML private TableColumn<ServiceRow, ServiceView> lastColumn;
    @FXML private TableColumn<ServiceRow, ServiceRow> autoredeployColumn;
    @FXML private TextField filterField;
    @FXML private ComboBox<String> engineFilter;
    @FXML private ToolBar toolbar;
    @FXML private Button redeployButton;
    @FXML private Button startButton;
    @FXML private Button stopButton;
    @FXML private Button forgetButton;
    @FXML private Button removeButton;
    @FXML private Label subtitle;
    @FXML private ToggleButton servicesToggle;
    @FXML private ToggleButton notFollowedToggle;
    @FXML private VBox servicesPane;
    @FXML private VBox emptyState;
    @FXML private StackPane views;
    /** The containers no service follows: built the first time they are shown, not at the window's start. */
    private Node notFollowedView;

    public ServiceListController(ServicesModel model, EnginesModel engines, NotFollowedModel notFollowedModel,
                                 Navigation navigation, Views loader) {
        this.model = model;
        this.loader = loader;
        this.engines = engines;
        this.notFollowedModel = notFollowedModel;
        this.navigation = navigation;
        this.actions = new ServiceActions(model, () -> selected() == null ? null : selected().view().service());
    }

    @FXML
    private void initialize() {
        showEngineChoices();
        engines.names().addListener((javafx.collections.ListChangeListener<String>) c -> showEngineChoices());
        engineFilter.getSelectionModel().select(ALL_ENGINES);
        // Only worth a control once there is a choice to make; until then it is not in the window at all (a combo box
        // in the window, even hidden, makes its popup's list as the window first shows).
        int filterAt = toolbar.getItems().indexOf(engineFilter);
        Runnable placeEngineFilter = () -> {
            boolean wanted = engines.names().size() > 1;
            if (wanted && !toolbar.getItems().contains(engineFilter)) {
                toolbar.getItems().add(Math.min(filterAt, toolbar.getItems().size()), engineFilter);
            } else if (!wanted) {
                toolbar.getItems().remove(engineFilter);
            }
        };
        placeEngineFilter.run();
        engines.names().addListener((javafx.collections.ListChangeListener<String>) c -> placeEngineFilter.run());
        FilteredList<ServiceRow> filtered = new FilteredList<>(model.rows());
        filtered.predicateProperty().bind(Bindings.createObjectBinding(() -> {
            String f = filterField.getText() == null ? "" : filterField.getText().strip().toLowerCase(Locale.ROOT);
            String engine = engineFilter.getValue();
            boolean anyEngine = engine == null || ALL_ENGINES.equals(engine);
            return row -> (anyEngine || row.view().service().engine().equals(engine)) && (f.isEmpty() || matches(row, f));
        }, filterField.textProperty(), engineFilter.valueProperty()));
        SortedList<ServiceRow> sorted = new SortedList<>(filtered);
        // The services of a compose project stay together, in the order of the column the user sorts by; the sorted list
        // does the sorting, so the table's own policy only has to accept it.
        sorted.comparatorProperty().bind(Bindings.createObjectBinding(() -> {
            Comparator<ServiceRow> byColumn = table.getComparator();
            return byColumn == null ? BY_PROJECT.thenComparing(BY_NAME) : BY_PROJECT.thenComparing(byColumn).thenComparing(BY_NAME);
        }, table.comparatorProperty()));
        table.setSortPolicy(t -> true);
        table.setItems(sorted);

        statusColumn.setCellValueFactory(c -> c.getValue().viewProperty());
        statusColumn.setCellFactory(c -> new TableCell<>() {
            private final StatusBadge badge = new StatusBadge();

            @Override
            protected void updateItem(ServiceView v, boolean empty) {
                super.updateItem(v, empty);
                if (empty || v == null) {
                    setGraphic(null);
                } else {
                    badge.show(v.status(), v.detail());
                    setGraphic(badge);
                }
            }
        });
        statusColumn.setComparator((a, b) -> a.status().compareTo(b.status()));
        nameColumn.setCellValueFactory(text(v -> v.service().name()));
        projectColumn.setCellValueFactory(text(v -> {
            String project = ServiceRow.projectOf(v.service());
            return project == null ? "" : project;
        }));
        // Only worth a column once a service belongs to a compose project.
        projectColumn.visibleProperty().bind(Bindings.createBooleanBinding(
                () -> model.rows().stream().anyMatch(r -> r.project() != null), model.rows(), model.revisionProperty()));
        engineColumn.setCellValueFactory(c -> c.getValue().viewProperty());
        engineColumn.setCellFactory(c -> new EngineCell(engines));
        engineColumn.setComparator((a, b) -> a.service().engine().compareTo(b.service().engine()));
        imageColumn.setCellValueFactory(text(v -> shortSource(v.service())));
        imageColumn.setCellFactory(c -> new TableCell<>() {
            @Override
            protected void updateItem(String text, boolean empty) {
                super.updateItem(text, empty);
                setText(empty ? null : text);
                ServiceRow row = empty || getTableRow() == null ? null : getTableRow().getItem();
                setTooltip(row == null || !row.view().service().fromGit() ? null
                        : new javafx.scene.control.Tooltip(row.view().service().source()));
            }
        });
        digestColumn.setCellValueFactory(text(v -> Format.digest(v.service().digest())));
        lastColumn.setCellValueFactory(c -> c.getValue().viewProperty());
        lastColumn.setCellFactory(c -> new TableCell<>() {
            @Override
            protected void updateItem(ServiceView v, boolean empty) {
                super.updateItem(v, empty);
                getStyleClass().removeAll("outcome-succeeded", "outcome-failed", "outcome-rolled-back", "outcome-running");
                if (empty || v == null) {
                    setText(null);
                } else {
                    setText(Format.lastDeployment(v.last(), Instant.now()));
                    if (v.last() != null) {
                        getStyleClass().add("outcome-" + v.last().outcome().label().replace(' ', '-'));
                    }
                }
            }
        });
        lastColumn.setComparator((a, b) -> {
            Instant x = a.last() == null ? Instant.EPOCH : a.last().started();
            Instant y = b.last() == null ? Instant.EPOCH : b.last().started();
            return x.compareTo(y);
        });
        autoredeployColumn.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue()));
        autoredeployColumn.setSortable(false);
        autoredeployColumn.setCellFactory(c -> new SwitchCell(model));

        // One menu for every row: it acts on the selected row, which a right click selects first.
        ContextMenu menu = rowMenu();
        table.setRowFactory(t -> {
            TableRow<ServiceRow> row = new TableRow<>();
            row.contextMenuProperty().bind(Bindings.when(row.emptyProperty()).then((ContextMenu) null).otherwise(menu));
            row.setOnMouseClicked(e -> {
                if (e.getButton() == MouseButton.PRIMARY && e.getClickCount() == 2 && !row.isEmpty()) {
                    navigation.showDetail(row.getItem().id());
                }
            });
            return row;
        });
        table.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.ENTER && selected() != null) {
                navigation.showDetail(selected().id());
                e.consume();
            } else if (e.getCode() == KeyCode.DELETE && selected() != null) {
                remove();
                e.consume();
            }
        });

        actions.wire(redeployButton, startButton, stopButton);
        BooleanBinding none = table.getSelectionModel().selectedItemProperty().isNull();
        redeployButton.disableProperty().bind(none);
        startButton.disableProperty().bind(none);
        stopButton.disableProperty().bind(none);
        forgetButton.disableProperty().bind(none);
        removeButton.disableProperty().bind(none);
        subtitle.textProperty().bind(Bindings.createStringBinding(() -> {
            if (notFollowedToggle.isSelected()) {
                int n = notFollowedModel.containers().size();
                return !notFollowedModel.loadedProperty().get() ? "Asking the engines what runs there…"
                        : n + (n == 1 ? " container" : " containers") + " on your engines that Redock does not follow";
            }
            long running = model.rows().stream().filter(r -> r.status() == ServiceStatus.RUNNING).count();
            long auto = model.rows().stream().filter(r -> r.autoredeployProperty().get()).count();
            return model.rows().size() + " services · " + running + " running · " + auto + " with autoredeploy";
        }, model.rows(), model.revisionProperty(), notFollowedToggle.selectedProperty(), notFollowedModel.containers(),
                notFollowedModel.loadedProperty()));
        setUpViewSwitch();
        // "No services yet" only once the list is read: not while it is being read.
        emptyState.visibleProperty().bind(model.loadedProperty());
        FirstPaint.watch(table);
        model.whenShown(then -> FirstPaint.afterNextLayout(table, then));
    }

    /** The header's switch between the services and the containers no service follows; one of them is always on. */
    private void setUpViewSwitch() {
        servicesToggle.getToggleGroup().selectedToggleProperty().addListener((obs, was, now) -> {
            if (now == null) {
                was.setSelected(true);
            }
        });
        servicesPane.visibleProperty().bind(servicesToggle.selectedProperty());
        notFollowedToggle.selectedProperty().addListener((obs, was, on) -> {
            if (on) {
                showNotFollowed();
                notFollowedModel.refresh();
            }
        });
        notFollowedToggle.textProperty().bind(Bindings.createStringBinding(() -> notFollowedModel.loadedProperty().get()
                ? "Not followed (" + notFollowedModel.containers().size() + ")" : "Not followed",
                notFollowedModel.loadedProperty(), notFollowedModel.containers()));
    }

    /** Builds the view of the containers no service follows the first time it is asked for; the window starts without it. */
    private void showNotFollowed() {
        if (notFollowedView != null) {
            return;
        }
        Views.Loaded<NotFollowedController> loaded = loader.load("adopt/not_followed.fxml");
        loaded.controller().onFollowed(this::showFollowed);
        notFollowedView = loaded.root();
        notFollowedView.visibleProperty().bind(notFollowedToggle.selectedProperty());
        views.getChildren().add(notFollowedView);
    }

    /** Shows the services just followed in the list, the first one selected once the list has it. */
    private void showFollowed(List<Service> followed) {
        if (followed.isEmpty()) {
            return;
        }
        filterField.clear();
        engineFilter.getSelectionModel().select(ALL_ENGINES);
        servicesToggle.setSelected(true);
        UUID first = followed.get(0).id();
        if (!select(first)) {
            ListChangeListener<ServiceRow> listener = new ListChangeListener<>() {
                @Override
                public void onChanged(Change<? extends ServiceRow> c) {
                    if (select(first)) {
                        model.rows().removeListener(this);
                    }
                }
            };
            model.rows().addListener(listener);
        }
    }

    private boolean select(UUID id) {
        return model.row(id).map(row -> {
            table.getSelectionModel().select(row);
            table.scrollTo(row);
            table.requestFocus();
            return true;
        }).orElse(false);
    }

    /** The row's context menu: what the toolbar does, for the row clicked (a right click selects it first). */
    private ContextMenu rowMenu() {
        MenuItem open = new MenuItem("Open");
        open.setOnAction(e -> {
            if (selected() != null) {
                navigation.showDetail(selected().id());
            }
        });
        MenuItem redeploy = new MenuItem("Redeploy");
        redeploy.setOnAction(e -> redeployButton.fire());
        MenuItem start = new MenuItem("Start");
        start.setOnAction(e -> startButton.fire());
        MenuItem stop = new MenuItem("Stop");
        stop.setOnAction(e -> stopButton.fire());
        MenuItem forget = new MenuItem("Forget…");
        forget.setId("menuForget");
        forget.setOnAction(e -> forget());
        MenuItem remove = new MenuItem("Remove…");
        remove.setId("menuRemove");
        remove.setOnAction(e -> remove());
        return new ContextMenu(open, new SeparatorMenuItem(), redeploy, start, stop, new SeparatorMenuItem(), forget, remove);
    }

    /**
     * Where a service comes from, short enough for the list: its image ({@code nginx:latest}), or {@code git: site#main}
     * for one built from a repository (the whole URL is the cell's tooltip).
     */
    static String shortSource(dev.redock.model.Service s) {
        if (!s.fromGit()) {
            return s.source();
        }
        String url = s.git().url().replaceAll("[/\\\\]+$", "");
        String repo = url.substring(Math.max(Math.max(url.lastIndexOf('/'), url.lastIndexOf(':')), url.lastIndexOf('\\')) + 1);
        if (repo.endsWith(".git")) {
            repo = repo.substring(0, repo.length() - 4);
        }
        return "git: " + (repo.isEmpty() ? url : repo) + "#" + s.git().branch();
    }

    private static boolean matches(ServiceRow row, String f) {
        var s = row.view().service();
        return s.name().toLowerCase(Locale.ROOT).contains(f) || s.source().toLowerCase(Locale.ROOT).contains(f)
                || s.engine().toLowerCase(Locale.ROOT).contains(f) || row.status().label().contains(f)
                || (row.project() != null && row.project().toLowerCase(Locale.ROOT).contains(f));
    }

    /** The engine filter offers every engine; a chosen engine that is gone leaves the filter on all of them. */
    private void showEngineChoices() {
        String chosen = engineFilter.getValue();
        List<String> choices = new ArrayList<>();
        choices.add(ALL_ENGINES);
        choices.addAll(engines.names());
        engineFilter.getItems().setAll(choices);
        engineFilter.getSelectionModel().select(chosen != null && choices.contains(chosen) ? chosen : ALL_ENGINES);
    }

    private static javafx.util.Callback<TableColumn.CellDataFeatures<ServiceRow, String>, javafx.beans.value.ObservableValue<String>> text(
            Function<ServiceView, String> f) {
        return c -> Bindings.createStringBinding(() -> f.apply(c.getValue().view()), c.getValue().viewProperty());
    }

    private ServiceRow selected() {
        return table.getSelectionModel().getSelectedItem();
    }

    @FXML
    private void launch() {
        navigation.openLaunchWizard();
    }

    @FXML
    private void remove() {
        actions.remove(table.getScene().getWindow(), () -> { });
    }

    @FXML
    private void forget() {
        actions.forget(table.getScene().getWindow(), () -> { });
    }

    /**
     * The engine a service runs on. Its tooltip says the engine's state as last asked; while the engine does not answer the
     * name is marked, and the tooltip says why.
     */
    static final class EngineCell extends TableCell<ServiceRow, ServiceView> {

        private final EnginesModel engines;
        private final Tooltip tooltip = new Tooltip();
        private ServiceView shown;

        EngineCell(EnginesModel engines) {
            this.engines = engines;
            tooltip.setOnShowing(e -> tooltip.setText(describe()));
        }

        private String describe() {
            if (shown == null) {
                return "";
            }
            String name = shown.service().engine();
            if (shown.status() == ServiceStatus.UNREACHABLE) {
                return shown.detail();
            }
            return engines.snapshot().find(name).map(s -> "Engine \"" + name + "\" " + s.describeState())
                    .orElse("Engine \"" + name + "\"");
        }

        @Override
        protected void updateItem(ServiceView v, boolean empty) {
            super.updateItem(v, empty);
            shown = empty ? null : v;
            getStyleClass().remove("engine-unreachable");
            if (shown == null) {
                setText(null);
                setTooltip(null);
                return;
            }
            setText(v.service().engine());
            setTooltip(tooltip);
            if (v.status() == ServiceStatus.UNREACHABLE) {
                getStyleClass().add("engine-unreachable");
            }
        }
    }

    /**
     * The row's autoredeploy switch: bound to the row, and every flip by the user is saved at once. Disabled, with the
     * reason as the cell's tooltip, for a service that cannot autoredeploy (one adopted with its image by digest).
     */
    static final class SwitchCell extends TableCell<ServiceRow, ServiceRow> {

        private final ServicesModel model;
        private final ToggleSwitch toggle = new ToggleSwitch();
        private final javafx.beans.value.ChangeListener<Boolean> follower = (obs, was, on) -> toggle.setSelected(on);
        private ServiceRow bound;

        SwitchCell(ServicesModel model) {
            this.model = model;
            toggle.getStyleClass().add("autoredeploy-switch");
            toggle.selectedProperty().addListener((obs, was, on) -> {
                if (bound != null && bound.autoredeployProperty().get() != on) {
                    bound.autoredeployProperty().set(on);
                    model.setAutoredeploy(bound, on);
                }
            });
            setAlignment(Pos.CENTER_LEFT);
        }

        @Override
        protected void updateItem(ServiceRow row, boolean empty) {
            super.updateItem(row, empty);
            if (bound != null) {
                toggle.disableProperty().unbind();
                tooltipProperty().unbind();
                setTooltip(null);
                bound.autoredeployProperty().removeListener(follower);
            }
            bound = empty ? null : row;
            if (bound == null) {
                setGraphic(null);
                return;
            }
            toggle.setSelected(bound.autoredeployProperty().get());
            ServiceRow shown = bound;
            var refused = Bindings.createStringBinding(() -> shown.view().service().autoredeployRefused(), shown.viewProperty());
            toggle.disableProperty().bind(bound.savingProperty().or(refused.isNotNull()));
            // A disabled control shows no tooltip of its own: the cell carries it.
            tooltipProperty().bind(Bindings.createObjectBinding(() -> refused.get() == null || refused.get().isEmpty() ? null
                    : new Tooltip(refused.get()), refused));
            bound.autoredeployProperty().addListener(follower);
            toggle.setId("autoredeploy-" + bound.name());
            setGraphic(toggle);
        }
    }
}
