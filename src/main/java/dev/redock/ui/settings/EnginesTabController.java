package dev.redock.ui.settings;

import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.collections.ListChangeListener;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;

import dev.redock.ui.Dialogs;
import dev.redock.ui.EnginesModel;
import dev.redock.ui.UiContext;

/**
 * The Engines tab of Settings: binds the table and the buttons to an {@link EnginesTabModel}, asks before a removal, and
 * opens the Add engine dialog.
 */
public final class EnginesTabController {

    private final UiContext context;
    private final EnginesTabModel model;
    /** The engine last selected: kept selected when the list is read again, and selected once added. */
    private String selectedName;

    @FXML private Button refreshButton;
    @FXML private ProgressIndicator checkingIndicator;
    @FXML private Button addButton;
    @FXML private Button useButton;
    @FXML private Button removeButton;
    @FXML private TableView<EngineRow> table;
    @FXML private TableColumn<EngineRow, EngineRow> nameColumn;
    @FXML private TableColumn<EngineRow, String> whereColumn;
    @FXML private TableColumn<EngineRow, EngineRow> stateColumn;
    @FXML private TableColumn<EngineRow, Number> servicesColumn;
    @FXML private Label detailLabel;
    @FXML private Label problemLabel;
    @FXML private VBox offeredBox;
    @FXML private Label offeredText;

    public EnginesTabController(UiContext context, EnginesModel engines) {
        this.context = context;
        this.model = new EnginesTabModel(engines);
    }

    @FXML
    private void initialize() {
        table.setItems(model.rows());
        model.rows().addListener((ListChangeListener<EngineRow>) c -> reselect());
        table.getSelectionModel().selectedItemProperty().addListener((obs, old, row) -> {
            if (row != null) {
                selectedName = row.name();
            }
        });
        nameColumn.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue()));
        nameColumn.setComparator((a, b) -> a.name().compareTo(b.name()));
        nameColumn.setCellFactory(c -> new NameCell());
        whereColumn.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue().where()));
        whereColumn.setCellFactory(c -> new TableCell<>() {
            @Override
            protected void updateItem(String where, boolean empty) {
                super.updateItem(where, empty);
                setText(empty ? null : where);
                setTooltip(empty || where == null ? null : new Tooltip(where));
            }
        });
        stateColumn.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue()));
        stateColumn.setComparator((a, b) -> a.state().compareTo(b.state()));
        stateColumn.setCellFactory(c -> new StateCell());
        servicesColumn.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue().services()));

        checkingIndicator.visibleProperty().bind(model.checkingProperty());
        refreshButton.disableProperty().bind(model.checkingProperty());
        BooleanBinding none = table.getSelectionModel().selectedItemProperty().isNull();
        removeButton.disableProperty().bind(none.or(model.busyProperty()).or(Bindings.createBooleanBinding(
                () -> selected() != null && !selected().removable(), table.getSelectionModel().selectedItemProperty())));
        useButton.disableProperty().bind(none.or(model.busyProperty()).or(Bindings.createBooleanBinding(
                () -> selected() != null && selected().forNew(), table.getSelectionModel().selectedItemProperty())));
        detailLabel.textProperty().bind(Bindings.createStringBinding(() -> describe(selected()),
                table.getSelectionModel().selectedItemProperty()));
        detailLabel.visibleProperty().bind(none.not());
        detailLabel.managedProperty().bind(detailLabel.visibleProperty());
        problemLabel.textProperty().bind(model.problemProperty());
        problemLabel.visibleProperty().bind(model.problemProperty().isNotEmpty());
        problemLabel.managedProperty().bind(problemLabel.visibleProperty());
        offeredText.textProperty().bind(Bindings.createStringBinding(() -> String.join("\n", model.offered()),
                model.offered()));
        offeredBox.visibleProperty().bind(Bindings.isNotEmpty(model.offered()));
        offeredBox.managedProperty().bind(offeredBox.visibleProperty());
    }

    /** The selected engine in full: where it is, its state (the whole reason when it did not answer), its limits. */
    static String describe(EngineRow row) {
        if (row == null) {
            return null;
        }
        StringBuilder text = new StringBuilder(row.name()).append(": ").append(row.where()).append("\n")
                .append(row.state().substring(0, 1).toUpperCase(java.util.Locale.ROOT)).append(row.state().substring(1));
        row.status().limitations().forEach(l -> text.append("\n").append(l));
        int n = row.services();
        text.append("\n").append(n == 0 ? "No service runs there." : n == 1 ? "1 service runs there." : n + " services run there.");
        return text.toString();
    }

    /** The Settings dialog opened: asks every engine now. */
    void open() {
        model.refresh();
    }

    private EngineRow selected() {
        return table.getSelectionModel().getSelectedItem();
    }

    private void reselect() {
        if (selectedName == null || (selected() != null && selected().name().equals(selectedName))) {
            return;
        }
        model.rows().stream().filter(r -> r.name().equals(selectedName)).findFirst()
                .ifPresent(r -> table.getSelectionModel().select(r));
    }

    @FXML
    private void refresh() {
        model.refresh();
    }

    @FXML
    private void add() {
        AddEngineDialog.open(context, table.getScene().getWindow(), model.engines(), status -> {
            selectedName = status.name();
            reselect();
        });
    }

    @FXML
    private void use() {
        EngineRow row = selected();
        if (row != null) {
            model.use(row.name());
        }
    }

    @FXML
    private void remove() {
        EngineRow row = selected();
        if (row == null) {
            return;
        }
        if (Dialogs.confirm(table.getScene().getWindow(), "Remove engine", "Remove engine " + row.name() + "?",
                "Redock forgets the engine; nothing on it is touched. An engine that services run on stays: remove them"
                        + " first.", "Remove", true)) {
            model.remove(row.name());
        }
    }

    /** The engine's name, with a mark on the one new services go to. */
    private static final class NameCell extends TableCell<EngineRow, EngineRow> {

        private final Label name = new Label();
        private final Label mark = new Label("new services");
        private final HBox box = new HBox(8, name, mark);

        NameCell() {
            mark.getStyleClass().addAll("chip", "for-new-chip");
            mark.setTooltip(new Tooltip("New services go to this engine unless the wizard says otherwise"));
            box.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
        }

        @Override
        protected void updateItem(EngineRow row, boolean empty) {
            super.updateItem(row, empty);
            setText(null);
            if (empty || row == null) {
                setGraphic(null);
                return;
            }
            name.setText(row.name());
            mark.setVisible(row.forNew());
            mark.setManaged(row.forNew());
            setGraphic(box);
        }
    }

    /** The engine's state: its version when it answered, why not when it did not. */
    private static final class StateCell extends TableCell<EngineRow, EngineRow> {

        @Override
        protected void updateItem(EngineRow row, boolean empty) {
            super.updateItem(row, empty);
            getStyleClass().removeAll("engine-up", "engine-down");
            if (empty || row == null) {
                setText(null);
                setTooltip(null);
                return;
            }
            // Short in the table: the version when it answered (the colour says it did), why not when it did not.
            setText(row.status().reachable() ? row.status().version() : row.state());
            setTooltip(new Tooltip(row.state()));
            if (row.status().checked() != null) {
                getStyleClass().add(row.unreachable() ? "engine-down" : "engine-up");
            }
        }
    }
}
