package dev.redock.ui.detail;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.ListChangeListener;
import javafx.fxml.FXML;
import javafx.scene.chart.CategoryAxis;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.StackedBarChart;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;

import org.kordamp.ikonli.javafx.FontIcon;

import dev.redock.app.Redock;
import dev.redock.engine.ContainerInfo;
import dev.redock.model.CommandWords;
import dev.redock.model.CommitInfo;
import dev.redock.model.ContainerSpec;
import dev.redock.model.Deployment;
import dev.redock.model.EnvMask;
import dev.redock.model.Outcome;
import dev.redock.model.RedeployTrigger;
import dev.redock.model.Service;
import dev.redock.model.ServiceStatus;
import dev.redock.model.ServiceView;
import dev.redock.ui.CoreEvents;
import dev.redock.ui.Dialogs;
import dev.redock.ui.Format;
import dev.redock.ui.LogArea;
import dev.redock.ui.Navigation;
import dev.redock.ui.Notifier;
import dev.redock.ui.RevealToggle;
import dev.redock.ui.SecretField;
import dev.redock.ui.StatusBadge;
import dev.redock.ui.Tasks;
import dev.redock.ui.UiContext;
import dev.redock.ui.services.ServicesModel;

/**
 * A service's page: its header (name, status, image, digest, autoredeploy; for a service built from source the
 * repository, branch and the commit it runs) and actions, its deployment timeline with a chart of deployments per day,
 * its containers, its configuration, its redeploy trigger URLs and push-webhook settings, the output of a build while one
 * runs, and its recent logs. Everything follows the core's events by itself.
 */
public final class ServiceDetailController implements AutoCloseable {

    /** Which service a detail page shows (scoped to the page when it is loaded). */
    public record ServiceId(UUID value) {
    }

    static final int CHART_DAYS = 14;
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("MMM d", Locale.ROOT);

    private final DetailModel model;
    private final Navigation navigation;
    private final ServicesModel services;
    private final TriggersModel triggers;
    private final Notifier notifier;
    private final RevealToggle envReveal = new RevealToggle();

    @FXML private javafx.scene.layout.VBox root;
    @FXML private Label nameLabel;
    @FXML private StatusBadge statusBadge;
    @FXML private Label imageLabel;
    @FXML private FontIcon sourceIcon;
    @FXML private Label branchLabel;
    @FXML private HBox commitBox;
    @FXML private Label commitShaLabel;
    @FXML private Label commitMessageLabel;
    @FXML private Label commitAuthorLabel;
    @FXML private Label sourceProblemLabel;
    @FXML private Tab buildTab;
    @FXML private Label buildStatus;
    @FXML private ProgressBar buildProgress;
    @FXML private Label buildPlaceholder;
    @FXML private TextArea buildArea;
    @FXML private Label digestLabel;
    @FXML private Label autoredeployLabel;
    @FXML private Label statusDetail;
    @FXML private Label problemLabel;
    @FXML private Button editButton;
    @FXML private Button redeployButton;
    @FXML private Button startButton;
    @FXML private Button stopButton;
    @FXML private Button unlockButton;
    @FXML private Button removeButton;
    @FXML private TabPane tabs;
    @FXML private Tab logsTab;
    @FXML private StackedBarChart<String, Number> chart;
    @FXML private CategoryAxis chartDays;
    @FXML private NumberAxis chartCount;
    @FXML private TableView<Deployment> timeline;
    @FXML private TableColumn<Deployment, String> startedColumn;
    @FXML private TableColumn<Deployment, String> triggerColumn;
    @FXML private TableColumn<Deployment, String> oldDigestColumn;
    @FXML private TableColumn<Deployment, String> newDigestColumn;
    @FXML private TableColumn<Deployment, String> commitColumn;
    @FXML private TableColumn<Deployment, String> durationColumn;
    @FXML private TableColumn<Deployment, Outcome> outcomeColumn;
    @FXML private TableColumn<Deployment, String> errorColumn;
    @FXML private TableView<ContainerInfo> containerTable;
    @FXML private TableColumn<ContainerInfo, String> containerIdColumn;
    @FXML private TableColumn<ContainerInfo, String> containerNameColumn;
    @FXML private TableColumn<ContainerInfo, String> containerStateColumn;
    @FXML private TableColumn<ContainerInfo, String> containerPortsColumn;
    @FXML private TableColumn<ContainerInfo, String> containerCreatedColumn;
    @FXML private GridPane configGrid;
    @FXML private TextArea logsArea;
    @FXML private Tab triggersTab;
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

    public ServiceDetailController(ServiceId serviceId, Redock redock, Tasks tasks, CoreEvents events, Navigation navigation,
                                   ServicesModel services, UiContext context) {
        this.model = new DetailModel(serviceId.value(), redock, tasks, events,
                service -> context.scheduler().flatMap(s -> s.problem(service)));
        this.triggers = new TriggersModel(serviceId.value(), redock, tasks);
        this.navigation = navigation;
        this.services = services;
        this.notifier = context.notifier();
    }

    @FXML
    private void initialize() {
        model.viewProperty().addListener((obs, old, v) -> showHeader(v));
        model.goneProperty().addListener((obs, old, gone) -> {
            if (gone) {
                navigation.showList();
            }
        });
        problemLabel.textProperty().bind(model.problemProperty());
        problemLabel.visibleProperty().bind(model.problemProperty().isNotNull());
        problemLabel.managedProperty().bind(problemLabel.visibleProperty());

        setUpSource();
        setUpEnvReveal();
        setUpTimeline();
        setUpContainers();
        setUpBuild();
        setUpTriggers();
        logsArea.textProperty().bind(model.logsProperty());
        tabs.getSelectionModel().selectedItemProperty().addListener((obs, old, tab) -> {
            if (tab == logsTab) {
                model.refreshLogs();
            } else if (tab == triggersTab) {
                triggers.load();
            }
        });
        for (Button b : new Button[] {editButton, redeployButton, removeButton}) {
            b.disableProperty().bind(model.viewProperty().isNull());
        }
        startButton.disableProperty().bind(Bindings.createBooleanBinding(() -> {
            ServiceView v = model.viewProperty().get();
            return v == null || v.status() == ServiceStatus.RUNNING || v.status() == ServiceStatus.MISSING
                    || v.status() == ServiceStatus.DEPLOYING;
        }, model.viewProperty()));
        stopButton.disableProperty().bind(Bindings.createBooleanBinding(() -> {
            ServiceView v = model.viewProperty().get();
            return v == null || v.status() != ServiceStatus.RUNNING;
        }, model.viewProperty()));
        // For the rare deployment whose process stopped on another machine: shown only while the service is deploying.
        unlockButton.visibleProperty().bind(Bindings.createBooleanBinding(() -> {
            ServiceView v = model.viewProperty().get();
            return v != null && v.status() == ServiceStatus.DEPLOYING;
        }, model.viewProperty()));
        unlockButton.managedProperty().bind(unlockButton.visibleProperty());
        model.viewProperty().addListener((obs, old, v) -> {
            String before = old == null ? null : old.containerId();
            String now = v == null ? null : v.containerId();
            if (tabs.getSelectionModel().getSelectedItem() == logsTab && !java.util.Objects.equals(before, now)) {
                model.refreshLogs();
            }
        });
        root.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.DELETE && !(e.getTarget() instanceof javafx.scene.control.TextInputControl)) {
                remove();
                e.consume();
            } else if (e.getCode() == KeyCode.BACK_SPACE && e.isAltDown()) {
                back();
                e.consume();
            }
        });
        model.refresh();
    }

    private void setUpSource() {
        branchLabel.setVisible(false);
        branchLabel.managedProperty().bind(branchLabel.visibleProperty());
        commitBox.setVisible(false);
        commitBox.managedProperty().bind(commitBox.visibleProperty());
        model.commitProperty().addListener((obs, old, c) -> showCommit(c));
        sourceProblemLabel.textProperty().bind(Bindings.createStringBinding(() -> {
            String p = model.sourceProblemProperty().get();
            Service s = service();
            return p == null ? null : (s != null && s.fromGit() ? "Cannot read the branch " + s.git().branch() + ": "
                    : "Cannot check the tag: ") + p;
        }, model.sourceProblemProperty(), model.viewProperty()));
        sourceProblemLabel.visibleProperty().bind(model.sourceProblemProperty().isNotNull());
        sourceProblemLabel.managedProperty().bind(sourceProblemLabel.visibleProperty());
    }

    /** The eye toggle of the configuration's environment: shows the values, or masks them again, at once. */
    private void setUpEnvReveal() {
        envReveal.setId("envReveal");
        envReveal.selectedProperty().bindBidirectional(model.envValuesShownProperty());
        model.envValuesShownProperty().addListener((obs, was, shown) -> {
            ServiceView v = model.viewProperty().get();
            if (v != null) {
                showConfiguration(v.service(), v);
            }
        });
    }

    private void showCommit(CommitInfo c) {
        commitBox.setVisible(c != null);
        if (c == null) {
            return;
        }
        commitShaLabel.setText(c.shortSha());
        commitShaLabel.setTooltip(new Tooltip(c.sha()));
        commitMessageLabel.setText(c.message() == null ? "" : c.message());
        commitAuthorLabel.setText(c.author() == null ? "" : "by " + authorName(c.author()));
        if (c.author() != null) {
            commitAuthorLabel.setTooltip(new Tooltip(c.author()));
        }
    }

    /** "Ada Tester" of "Ada Tester <ada@example.test>". */
    static String authorName(String author) {
        int lt = author.indexOf('<');
        return lt > 0 ? author.substring(0, lt).strip() : author;
    }

    private void setUpBuild() {
        tabs.getTabs().remove(buildTab); // only services built from source have builds
        LogArea.follow(buildArea, model.build());
        buildStatus.textProperty().bind(model.build().statusProperty());
        buildProgress.progressProperty().bind(model.build().progressProperty());
        buildProgress.visibleProperty().bind(model.build().runningProperty());
        buildPlaceholder.visibleProperty().bind(model.builtProperty().not());
        buildPlaceholder.managedProperty().bind(buildPlaceholder.visibleProperty());
        buildArea.visibleProperty().bind(model.builtProperty());
        buildArea.managedProperty().bind(buildArea.visibleProperty());
        buildTab.textProperty().bind(Bindings.when(model.build().runningProperty()).then("Build (running)").otherwise("Build"));
        model.builtProperty().addListener((obs, old, now) -> {
            if (now && !tabs.getTabs().contains(buildTab)) {
                addBuildTab();
            }
        });
    }

    private void setUpTriggers() {
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
                revoke.setOnAction(e -> revokeTrigger(getItem()));
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
        // A call redeploys, which the core reports: read "last called" again while the tab shows.
        model.history().addListener((ListChangeListener<Deployment>) ch -> {
            if (tabs.getSelectionModel().getSelectedItem() == triggersTab) {
                triggers.load();
            }
        });
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

    private void revokeTrigger(RedeployTrigger t) {
        if (t != null && Dialogs.confirm(nameLabel.getScene().getWindow(), "Revoke trigger", "Revoke \"" + t.name() + "\"?",
                "Its URL stops working at once: calls to it answer 404. A new trigger gets a new URL.", "Revoke", true)) {
            triggers.revoke(t);
        }
    }

    private void addBuildTab() {
        int at = tabs.getTabs().indexOf(logsTab);
        tabs.getTabs().add(at < 0 ? tabs.getTabs().size() : at, buildTab);
    }

    private void setUpTimeline() {
        startedColumn.setCellValueFactory(c -> text(Format.timestamp(c.getValue().started())));
        triggerColumn.setCellValueFactory(c -> text(c.getValue().trigger().label()));
        oldDigestColumn.setCellValueFactory(c -> text(Format.digest(c.getValue().oldDigest())));
        newDigestColumn.setCellValueFactory(c -> text(Format.digest(c.getValue().newDigest())));
        commitColumn.setCellValueFactory(c -> text(commitText(c.getValue().commit())));
        commitColumn.setCellFactory(c -> new TableCell<>() {
            @Override
            protected void updateItem(String s, boolean empty) {
                super.updateItem(s, empty);
                setText(empty ? null : s);
                CommitInfo ci = empty || getTableRow() == null || getTableRow().getItem() == null ? null
                        : getTableRow().getItem().commit();
                setTooltip(ci == null ? null : new Tooltip(ci.sha() + (ci.author() == null ? "" : "\n" + ci.author())
                        + (ci.message() == null ? "" : "\n" + ci.message())));
            }
        });
        commitColumn.setVisible(false);
        durationColumn.setCellValueFactory(c -> text(Format.duration(c.getValue().duration())));
        outcomeColumn.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue().outcome()));
        outcomeColumn.setCellFactory(c -> new TableCell<>() {
            @Override
            protected void updateItem(Outcome o, boolean empty) {
                super.updateItem(o, empty);
                getStyleClass().removeIf(s -> s.startsWith("outcome-"));
                if (empty || o == null) {
                    setText(null);
                } else {
                    setText(o == Outcome.RUNNING ? "under way" : o.label());
                    getStyleClass().add("outcome-" + o.label().replace(' ', '-'));
                }
            }
        });
        errorColumn.setCellValueFactory(c -> text(c.getValue().error() == null ? "" : c.getValue().error()));
        errorColumn.setCellFactory(c -> new TableCell<>() {
            @Override
            protected void updateItem(String s, boolean empty) {
                super.updateItem(s, empty);
                setText(empty ? null : s);
                setTooltip(empty || s == null || s.isEmpty() ? null : new Tooltip(s));
            }
        });
        timeline.setItems(model.history());
        chart.setAnimated(false);
        chartCount.setTickUnit(1);
        chartCount.setMinorTickVisible(false);
        model.history().addListener((ListChangeListener<Deployment>) ch -> updateChart());
        updateChart();
    }

    private void updateChart() {
        LocalDate today = LocalDate.now();
        ZoneId zone = ZoneId.systemDefault();
        Map<Outcome, XYChart.Series<String, Number>> series = new EnumMap<>(Outcome.class);
        for (Outcome o : new Outcome[] {Outcome.SUCCEEDED, Outcome.ROLLED_BACK, Outcome.INTERRUPTED, Outcome.FAILED}) {
            XYChart.Series<String, Number> s = new XYChart.Series<>();
            s.setName(o.label());
            series.put(o, s);
        }
        Map<LocalDate, Map<Outcome, Long>> byDay = model.history().stream()
                .filter(d -> d.outcome() != Outcome.RUNNING)
                .collect(Collectors.groupingBy(d -> LocalDate.ofInstant(d.started(), zone),
                        Collectors.groupingBy(Deployment::outcome, Collectors.counting())));
        long max = 1;
        java.util.List<String> days = new java.util.ArrayList<>();
        for (int i = CHART_DAYS - 1; i >= 0; i--) {
            LocalDate day = today.minusDays(i);
            String label = DAY.format(day);
            days.add(label);
            Map<Outcome, Long> counts = byDay.getOrDefault(day, Map.of());
            long total = 0;
            for (var e : series.entrySet()) {
                long n = counts.getOrDefault(e.getKey(), 0L);
                total += n;
                e.getValue().getData().add(new XYChart.Data<>(label, n));
            }
            max = Math.max(max, total);
        }
        chartDays.getCategories().setAll(days);
        chartCount.setAutoRanging(false);
        chartCount.setLowerBound(0);
        chartCount.setUpperBound(max + 1);
        chartCount.setTickUnit(Math.max(1, (max + 1) / 4));
        chart.getData().setAll(series.values());
    }

    private void setUpContainers() {
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

    /** "abc1234 Second page": the short sha and the message's first line; "" for a deployment without a commit. */
    static String commitText(CommitInfo c) {
        if (c == null) {
            return "";
        }
        return c.shortSha() + (c.message() == null || c.message().isBlank() ? "" : " " + c.message());
    }

    private static ReadOnlyStringWrapper text(String s) {
        return new ReadOnlyStringWrapper(s);
    }

    private void showHeader(ServiceView v) {
        if (v == null) {
            return;
        }
        Service s = v.service();
        nameLabel.setText(s.name());
        statusBadge.show(v.status(), v.detail());
        statusDetail.setText(v.detail() == null ? "" : v.detail());
        boolean git = s.fromGit();
        sourceIcon.setIconLiteral(git ? "mdal-call_split" : "mdal-layers");
        imageLabel.setText(git ? s.git().urlWithoutCredentials() : s.source());
        imageLabel.setTooltip(git ? new Tooltip(s.source()) : null);
        branchLabel.setVisible(git);
        branchLabel.setText(git ? s.git().branch() : "");
        commitColumn.setVisible(git);
        if (git && !tabs.getTabs().contains(buildTab)) {
            addBuildTab();
        }
        digestLabel.setText(Format.digest(s.digest()));
        digestLabel.setTooltip(new Tooltip(s.digest() == null ? "no digest recorded"
                : git ? "the image built from " + (s.commit() == null ? "the branch" : CommitInfo.shortSha(s.commit()))
                        + ": " + (s.image() == null ? "" : s.image().familiar() + " ") + s.digest()
                : s.digest()));
        autoredeployLabel.setText(s.autoredeploy() ? "Autoredeploy on" : "Autoredeploy off");
        autoredeployLabel.getStyleClass().removeAll("on", "off");
        autoredeployLabel.getStyleClass().add(s.autoredeploy() ? "on" : "off");
        showConfiguration(s, v);
    }

    private void showConfiguration(Service s, ServiceView v) {
        ContainerSpec spec = s.spec();
        configGrid.getChildren().clear();
        int row = 0;
        if (s.fromGit()) {
            row = entry(row, "Repository", s.git().urlWithoutCredentials());
            row = entry(row, "Branch", s.git().branch());
            row = entry(row, "Dockerfile", s.git().dockerfile());
            row = entry(row, "Build context", s.git().context().equals(dev.redock.model.GitSource.ROOT)
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
        row = entry(row, "Labels", list(spec.labels().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("\n"))));
        row = entry(row, "Networks", list(String.join("\n", spec.networks())));
        row = entry(row, "Autoredeploy", s.autoredeploy() ? "on" : "off");
        row = entry(row, "Created", Format.timestamp(s.created()));
        entry(row, "Updated", Format.timestamp(s.updated()));
    }

    /** The environment's row: its values masked unless shown, with the eye toggle when there is a value to mask. */
    private int environment(int row, Map<String, String> env) {
        Map<String, String> shown = model.envValuesShownProperty().get() ? env : EnvMask.masked(env);
        Label k = new Label("Environment");
        k.getStyleClass().add("summary-key");
        Label v = new Label(list(shown.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("\n"))));
        v.setId("configEnv");
        v.getStyleClass().add("summary-value");
        v.setWrapText(true);
        HBox value = new HBox(10, v);
        if (env.values().stream().anyMatch(x -> !x.isEmpty())) {
            value.getChildren().add(envReveal);
        }
        configGrid.addRow(row, k, value);
        return row + 1;
    }

    private static String list(String s) {
        return s.isEmpty() ? "none" : s;
    }

    private int entry(int row, String key, String value) {
        Label k = new Label(key);
        k.getStyleClass().add("summary-key");
        Label v = new Label(value);
        v.getStyleClass().add("summary-value");
        v.setWrapText(true);
        configGrid.addRow(row, k, v);
        return row + 1;
    }

    /** Reads everything again (F5). */
    public void refresh() {
        model.refresh();
        if (tabs.getSelectionModel().getSelectedItem() == logsTab) {
            model.refreshLogs();
        }
    }

    private Service service() {
        return model.viewProperty().get() == null ? null : model.viewProperty().get().service();
    }

    @FXML
    private void back() {
        navigation.showList();
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
        if (s != null && Dialogs.confirm(nameLabel.getScene().getWindow(), "Unlock " + s.name(), "Break the deployment lock?",
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
    private void withService(java.util.function.BiConsumer<UUID, String> action) {
        Service s = service();
        if (s != null) {
            action.accept(s.id(), s.name());
        }
    }

    @FXML
    private void remove() {
        Service s = service();
        if (s != null) {
            Dialogs.confirmRemoval(nameLabel.getScene().getWindow(), s.name())
                    .ifPresent(volumes -> services.remove(s.id(), s.name(), volumes, navigation::showList));
        }
    }

    @FXML
    private void refreshLogs() {
        model.refreshLogs();
    }

    @Override
    public void close() {
        triggers.close();
        model.close();
    }
}
