package dev.redock.ui.detail;

import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.ListChangeListener;
import javafx.fxml.FXML;
import javafx.scene.chart.CategoryAxis;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.StackedBarChart;
import javafx.scene.chart.XYChart;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.Tooltip;

import dev.redock.model.CommitInfo;
import dev.redock.model.Deployment;
import dev.redock.model.Outcome;
import dev.redock.ui.Format;

/**
 * A service's Timeline tab: a chart of its deployments per day over the last two weeks, by outcome, and the table of its
 * deployments, newest first (with the commit each built, for a service built from source).
 */
public final class TimelineController {

    static final int CHART_DAYS = 14;
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("MMM d", Locale.ROOT);

    private final DetailModel model;

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

    public TimelineController(DetailModel model) {
        this.model = model;
    }

    @FXML
    private void initialize() {
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
        model.viewProperty().addListener((obs, old, v) -> {
            if (v != null) {
                commitColumn.setVisible(v.service().fromGit());
            }
        });
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
        List<String> days = new ArrayList<>();
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
}
