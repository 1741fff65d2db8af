package dev.redock.ui.adopt;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.collections.ListChangeListener;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Label;
import javafx.scene.control.MenuItem;
import javafx.scene.control.TextField;
import javafx.scene.control.TreeItem;
import javafx.scene.control.TreeTableCell;
import javafx.scene.control.TreeTableColumn;
import javafx.scene.control.TreeTableRow;
import javafx.scene.control.TreeTableView;
import javafx.scene.input.KeyCode;
import javafx.scene.input.MouseButton;
import javafx.scene.layout.Region;

import org.kordamp.ikonli.javafx.FontIcon;

import dev.redock.model.Service;
import dev.redock.model.UnfollowedContainer;
import dev.redock.service.AdoptRequest;
import dev.redock.ui.Format;

/**
 * The "Not followed" view: the containers on the user's engines that no service follows, those of a compose project under
 * the project's row; Follow on a container's row follows it, on a project's row the whole project, after the question
 * of {@link FollowDialog}. Where the view sits is up to the page that holds it ({@link #onFollowed}).
 */
public final class NotFollowedController {

    private final NotFollowedModel model;
    /** Projects the user folded; every other project shows its containers. */
    private final Set<String> collapsed = new HashSet<>();
    private Consumer<List<Service>> followed = services -> { };

    @FXML private TreeTableView<NotFollowedEntry> tree;
    @FXML private TreeTableColumn<NotFollowedEntry, NotFollowedEntry> nameColumn;
    @FXML private TreeTableColumn<NotFollowedEntry, NotFollowedEntry> stateColumn;
    @FXML private TreeTableColumn<NotFollowedEntry, String> imageColumn;
    @FXML private TreeTableColumn<NotFollowedEntry, String> serviceColumn;
    @FXML private TreeTableColumn<NotFollowedEntry, String> engineColumn;
    @FXML private TreeTableColumn<NotFollowedEntry, String> createdColumn;
    @FXML private Button followButton;
    @FXML private TextField filterField;
    @FXML private Label problemLabel;
    @FXML private Label placeholderTitle;

    public NotFollowedController(NotFollowedModel model) {
        this.model = model;
    }

    @FXML
    private void initialize() {
        TreeItem<NotFollowedEntry> root = new TreeItem<>();
        tree.setRoot(root);
        tree.setShowRoot(false);
        model.containers().addListener((ListChangeListener<UnfollowedContainer>) c -> showTree());
        filterField.textProperty().addListener((obs, old, text) -> showTree());

        nameColumn.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue().getValue()));
        nameColumn.setCellFactory(c -> new NameCell());
        stateColumn.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue().getValue()));
        stateColumn.setCellFactory(c -> new StateCell());
        imageColumn.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(
                c.getValue().getValue().isProject() ? "" : c.getValue().getValue().container().image()));
        serviceColumn.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(
                c.getValue().getValue().isProject() ? "" : blank(c.getValue().getValue().container().composeService())));
        engineColumn.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue().getValue().engine()));
        createdColumn.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue().getValue().isProject()
                || c.getValue().getValue().container().created() == null ? ""
                : Format.ago(c.getValue().getValue().container().created(), Instant.now())));

        tree.setRowFactory(t -> {
            TreeTableRow<NotFollowedEntry> row = new TreeTableRow<>();
            row.setOnMouseClicked(e -> {
                // On a project's row a double click folds it, as in any tree; Follow project is its button and menu.
                if (e.getButton() == MouseButton.PRIMARY && e.getClickCount() == 2 && row.getItem() != null
                        && !row.getItem().isProject()) {
                    follow(row.getItem());
                }
            });
            row.itemProperty().addListener((obs, old, entry) -> row.setContextMenu(entry == null ? null : menu(entry)));
            return row;
        });
        tree.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.ENTER && selected() != null) {
                follow(selected());
                e.consume();
            }
        });
        followButton.disableProperty().bind(tree.getSelectionModel().selectedItemProperty().isNull()
                .or(model.followingProperty()));
        followButton.textProperty().bind(Bindings.createStringBinding(() -> {
            TreeItem<NotFollowedEntry> item = tree.getSelectionModel().getSelectedItem();
            return item != null && item.getValue().isProject() ? "Follow project…" : "Follow…";
        }, tree.getSelectionModel().selectedItemProperty()));
        problemLabel.textProperty().bind(model.problemProperty());
        problemLabel.visibleProperty().bind(model.problemProperty().isNotNull());
        problemLabel.managedProperty().bind(problemLabel.visibleProperty());
        placeholderTitle.textProperty().bind(Bindings.when(model.loadedProperty())
                .then("Redock follows every container on your engines").otherwise("Asking the engines…"));
        showTree();
    }

    /** Lets the page that holds this view show what was just followed. */
    public void onFollowed(Consumer<List<Service>> then) {
        this.followed = then;
    }

    /** Asks the engines again (the view's Refresh, and the page's F5). */
    @FXML
    public void refresh() {
        model.refresh();
    }

    @FXML
    private void followSelected() {
        if (selected() != null) {
            follow(selected());
        }
    }

    private void follow(NotFollowedEntry entry) {
        if (model.followingProperty().get()) {
            return;
        }
        FollowDialog.ask(tree.getScene().getWindow(), entry).ifPresent(autoredeploy -> model.follow(entry.isProject()
                        ? AdoptRequest.project(entry.engine(), entry.project(), autoredeploy)
                        : AdoptRequest.container(entry.engine(), entry.container().id(), autoredeploy),
                entry.describe(), services -> followed.accept(services)));
    }

    private ContextMenu menu(NotFollowedEntry entry) {
        MenuItem follow = new MenuItem("Follow " + entry.describe() + "…");
        follow.setOnAction(e -> follow(entry));
        ContextMenu menu = new ContextMenu(follow);
        if (!entry.isProject() && entry.project() != null) {
            List<UnfollowedContainer> members = model.containers().stream()
                    .filter(c -> c.engine().equals(entry.engine()) && entry.project().equals(c.project())).toList();
            NotFollowedEntry project = NotFollowedEntry.project(entry.engine(), entry.project(), members);
            MenuItem whole = new MenuItem("Follow " + project.describe() + "…");
            whole.setOnAction(e -> follow(project));
            menu.getItems().add(whole);
        }
        return menu;
    }

    private NotFollowedEntry selected() {
        TreeItem<NotFollowedEntry> item = tree.getSelectionModel().getSelectedItem();
        return item == null ? null : item.getValue();
    }

    /** Builds the tree again from the list, keeping the selection and the projects the user folded. */
    private void showTree() {
        String wasSelected = selected() == null ? null : selected().key();
        for (TreeItem<NotFollowedEntry> item : tree.getRoot().getChildren()) {
            if (item.getValue().isProject() && !item.isExpanded()) {
                collapsed.add(item.getValue().key());
            } else {
                collapsed.remove(item.getValue().key());
            }
        }
        String f = filterField.getText() == null ? "" : filterField.getText().strip().toLowerCase(Locale.ROOT);
        Map<String, List<UnfollowedContainer>> projects = new LinkedHashMap<>();
        List<Object> order = new ArrayList<>();
        for (UnfollowedContainer c : model.containers()) {
            if (!f.isEmpty() && !matches(c, f)) {
                continue;
            }
            if (c.project() == null) {
                order.add(c);
            } else {
                String key = c.engine() + "/project:" + c.project();
                projects.computeIfAbsent(key, k -> {
                    order.add(k);
                    return new ArrayList<>();
                }).add(c);
            }
        }
        List<TreeItem<NotFollowedEntry>> items = new ArrayList<>();
        TreeItem<NotFollowedEntry> select = null;
        for (Object o : order) {
            TreeItem<NotFollowedEntry> item;
            if (o instanceof UnfollowedContainer c) {
                item = new TreeItem<>(NotFollowedEntry.of(c));
            } else {
                List<UnfollowedContainer> members = projects.get((String) o);
                UnfollowedContainer first = members.get(0);
                item = new TreeItem<>(NotFollowedEntry.project(first.engine(), first.project(), members));
                for (UnfollowedContainer c : members) {
                    TreeItem<NotFollowedEntry> child = new TreeItem<>(NotFollowedEntry.of(c));
                    item.getChildren().add(child);
                    if (child.getValue().key().equals(wasSelected)) {
                        select = child;
                    }
                }
                item.setExpanded(!collapsed.contains(item.getValue().key()));
            }
            if (item.getValue().key().equals(wasSelected)) {
                select = item;
            }
            items.add(item);
        }
        tree.getRoot().getChildren().setAll(items);
        if (select != null) {
            tree.getSelectionModel().select(select);
        }
    }

    private static boolean matches(UnfollowedContainer c, String f) {
        return contains(c.name(), f) || contains(c.image(), f) || contains(c.engine(), f) || contains(c.project(), f)
                || contains(c.state(), f) || contains(c.composeService(), f);
    }

    private static boolean contains(String s, String f) {
        return s != null && s.toLowerCase(Locale.ROOT).contains(f);
    }

    private static String blank(String s) {
        return s == null ? "" : s;
    }

    /** A container's name with a box, a project's with a folder and how many containers it has. */
    private static final class NameCell extends TreeTableCell<NotFollowedEntry, NotFollowedEntry> {

        @Override
        protected void updateItem(NotFollowedEntry entry, boolean empty) {
            super.updateItem(entry, empty);
            getStyleClass().remove("project-name");
            if (empty || entry == null) {
                setText(null);
                setGraphic(null);
                return;
            }
            if (entry.isProject()) {
                getStyleClass().add("project-name");
                int n = entry.members().size();
                setText(entry.project() + "  ·  compose project, " + n + (n == 1 ? " container" : " containers"));
                setGraphic(new FontIcon("mdal-folder_open"));
            } else {
                setText(entry.container().name());
                setGraphic(new FontIcon("mdal-crop_square"));
            }
        }
    }

    /** What the container does, in the engine's own words, with the list's coloured dot; a project's count of running. */
    private static final class StateCell extends TreeTableCell<NotFollowedEntry, NotFollowedEntry> {

        private final Label badge = new Label();

        StateCell() {
            Region dot = new Region();
            dot.getStyleClass().add("status-dot");
            badge.setGraphic(dot);
            badge.getStyleClass().add("status-badge");
        }

        @Override
        protected void updateItem(NotFollowedEntry entry, boolean empty) {
            super.updateItem(entry, empty);
            if (empty || entry == null) {
                setGraphic(null);
                return;
            }
            badge.getStyleClass().removeIf(c -> c.startsWith("status-") && !c.equals("status-badge"));
            if (entry.isProject()) {
                long running = entry.members().stream().filter(UnfollowedContainer::running).count();
                badge.setText(running + " of " + entry.members().size() + " running");
                badge.getStyleClass().add(running == entry.members().size() ? "status-running" : "status-stopped");
            } else {
                UnfollowedContainer c = entry.container();
                badge.setText(c.status() == null || c.status().isBlank() ? c.state() : c.status());
                badge.getStyleClass().add(switch (c.state() == null ? "" : c.state()) {
                    case "running" -> "status-running";
                    case "restarting", "paused" -> "status-deploying";
                    case "dead" -> "status-failed";
                    default -> "status-stopped";
                });
            }
            setGraphic(badge);
        }
    }
}
