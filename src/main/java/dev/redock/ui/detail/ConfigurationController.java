package dev.redock.ui.detail;

import java.util.Map;
import java.util.stream.Collectors;

import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.fxml.FXML;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;

import dev.redock.model.CommandWords;
import dev.redock.model.CommitInfo;
import dev.redock.model.ContainerSetting;
import dev.redock.model.ContainerSpec;
import dev.redock.model.EnvMask;
import dev.redock.model.GitSource;
import dev.redock.model.Service;
import dev.redock.model.ServiceView;
import dev.redock.ui.Format;
import dev.redock.ui.RevealToggle;

/**
 * A service's Configuration tab: everything its containers are made with, key by key (for a service built from source
 * first its repository, branch, Dockerfile, build context, path filters and commit; for an adopted one, that it was
 * adopted), then, read-only, the container's settings that the Edit form does not edit, when there are any. Environment
 * values stay masked until the user asks to see them, on this page only.
 */
public final class ConfigurationController {

    private final DetailModel model;
    private final RevealToggle envReveal = new RevealToggle();

    @FXML private GridPane configGrid;
    @FXML private VBox otherBox;
    @FXML private TableView<ContainerSetting> otherTable;
    @FXML private TableColumn<ContainerSetting, String> settingColumn;
    @FXML private TableColumn<ContainerSetting, String> valueColumn;

    public ConfigurationController(DetailModel model) {
        this.model = model;
    }

    @FXML
    private void initialize() {
        model.viewProperty().addListener((obs, old, v) -> show(v));
        envReveal.setId("envReveal");
        envReveal.selectedProperty().bindBidirectional(model.envValuesShownProperty());
        model.envValuesShownProperty().addListener((obs, was, shown) -> show(model.viewProperty().get()));
        otherTable.setItems(model.otherSettings());
        settingColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().name()));
        valueColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().value()));
        // As tall as its rows: the tab scrolls as a whole, not the table inside it.
        otherTable.prefHeightProperty().bind(Bindings.size(model.otherSettings()).multiply(otherTable.getFixedCellSize())
                .add(otherTable.getFixedCellSize() + 4));
        otherTable.minHeightProperty().bind(otherTable.prefHeightProperty());
        otherBox.visibleProperty().bind(Bindings.isNotEmpty(model.otherSettings()));
        otherBox.managedProperty().bind(otherBox.visibleProperty());
    }

    /** What an adopted service's page says about it until its first redeploy. */
    static String adoptedNote(Service s) {
        return "Adopted from container " + (s.adopted().length() > 12 ? s.adopted().substring(0, 12) : s.adopted())
                + ", which runs on as it was started; Redock labels its container at the next redeploy, which recreates it"
                + " with the same configuration";
    }

    private void show(ServiceView v) {
        if (v == null) {
            return;
        }
        Service s = v.service();
        ContainerSpec spec = s.spec();
        configGrid.getChildren().clear();
        int row = 0;
        if (s.fromGit()) {
            row = entry(row, "Repository", s.git().urlWithoutCredentials());
            row = entry(row, "Branch", s.git().branch());
            row = entry(row, "Dockerfile", s.git().dockerfile());
            row = entry(row, "Build context", s.git().context().equals(GitSource.ROOT)
                    ? "the repository's root" : s.git().context());
            row = entry(row, "Path filters", s.git().paths().isEmpty() ? "none: every commit redeploys"
                    : String.join("\n", s.git().paths()));
            CommitInfo c = model.commitProperty().get();
            row = entry(row, "Commit", s.commit() == null ? "-" : s.commit()
                    + (c == null || c.message() == null ? "" : "\n" + c.message() + " (" + c.author() + ")"));
        }
        row = entry(row, "Image", s.image() == null ? "-" : s.image().canonical());
        row = entry(row, "Digest", s.digest() == null ? "-" : s.digest());
        row = entry(row, "Ports", list(spec.ports().stream().map(Object::toString).collect(Collectors.joining("\n"))));
        row = environment(row, spec.env());
        row = entry(row, "Volumes", list(spec.volumes().stream().map(Object::toString).collect(Collectors.joining("\n"))));
        row = entry(row, "Command", spec.command().isEmpty() ? "the image's own" : CommandWords.join(spec.command()));
        row = entry(row, "Restart policy", spec.restart().toString());
        row = entry(row, "Stop timeout", spec.stopTimeoutSeconds() == null ? "engine default" : spec.stopTimeoutSeconds() + " s");
        row = entry(row, "Minimum uptime", s.minUptime() == null ? "Redock's default"
                : dev.redock.model.Durations.spoken(s.minUptime()));
        row = entry(row, "Labels", list(spec.labels().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("\n"))));
        row = entry(row, "Networks", list(String.join("\n", spec.networks())));
        row = entry(row, "Autoredeploy", (s.autoredeploy() ? "on" : "off")
                + (s.autoredeployRefused() == null ? "" : "\n" + s.autoredeployRefused()));
        if (s.adopted() != null) {
            row = entry(row, "Adopted", adoptedNote(s));
            configGrid.getChildren().get(configGrid.getChildren().size() - 1).setId("configAdopted");
        }
        row = entry(row, "Created", Format.timestamp(s.created()));
        entry(row, "Updated", Format.timestamp(s.updated()));
    }

    /** The environment's row: its values masked unless shown, with the eye toggle when there is a value to mask. */
    private int environment(int row, Map<String, String> env) {
        Map<String, String> shown = model.envValuesShownProperty().get() ? env : EnvMask.masked(env);
        Label v = value(list(shown.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("\n"))));
        v.setId("configEnv");
        HBox value = new HBox(10, v);
        if (env.values().stream().anyMatch(x -> !x.isEmpty())) {
            value.getChildren().add(envReveal);
        }
        configGrid.addRow(row, key("Environment"), value);
        return row + 1;
    }

    private int entry(int row, String key, String value) {
        configGrid.addRow(row, key(key), value(value));
        return row + 1;
    }

    private static Label key(String text) {
        Label k = new Label(text);
        k.getStyleClass().add("summary-key");
        return k;
    }

    private static Label value(String text) {
        Label v = new Label(text);
        v.getStyleClass().add("summary-value");
        v.setWrapText(true);
        return v;
    }

    private static String list(String s) {
        return s.isEmpty() ? "none" : s;
    }
}
