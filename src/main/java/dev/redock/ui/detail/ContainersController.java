package dev.redock.ui.detail;

import java.time.Instant;
import java.util.stream.Collectors;

import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.fxml.FXML;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;

import dev.redock.model.ContainerInfo;
import dev.redock.ui.Format;

/** A service's Containers tab: the containers the engine holds for it, with their state, ports and age. */
public final class ContainersController {

    private final DetailModel model;

    @FXML private TableView<ContainerInfo> containerTable;
    @FXML private TableColumn<ContainerInfo, String> containerIdColumn;
    @FXML private TableColumn<ContainerInfo, String> containerNameColumn;
    @FXML private TableColumn<ContainerInfo, String> containerStateColumn;
    @FXML private TableColumn<ContainerInfo, String> containerPortsColumn;
    @FXML private TableColumn<ContainerInfo, String> containerCreatedColumn;

    public ContainersController(DetailModel model) {
        this.model = model;
    }

    @FXML
    private void initialize() {
        containerIdColumn.setCellValueFactory(c -> text(c.getValue().shortId()));
        containerNameColumn.setCellValueFactory(c -> text(c.getValue().name()));
        containerStateColumn.setCellValueFactory(c -> {
            var st = c.getValue().state();
            String s = st.status() + (st.health() == null ? "" : " (" + st.health() + ")")
                    + (st.running() ? "" : " · exit " + st.exitCode());
            return text(s);
        });
        containerPortsColumn.setCellValueFactory(c -> text(c.getValue().ports().isEmpty() ? "-"
                : c.getValue().ports().stream().map(Object::toString).collect(Collectors.joining(", "))));
        containerCreatedColumn.setCellValueFactory(c -> text(Format.timestamp(c.getValue().created())
                + " (" + Format.ago(c.getValue().created(), Instant.now()) + ")"));
        containerTable.setItems(model.containers());
    }

    private static ReadOnlyStringWrapper text(String s) {
        return new ReadOnlyStringWrapper(s);
    }
}
