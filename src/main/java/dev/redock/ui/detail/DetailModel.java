package dev.redock.ui.detail;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

import javafx.animation.Animation;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.util.Duration;

import dev.redock.model.CommitInfo;
import dev.redock.model.ContainerInfo;
import dev.redock.model.ContainerSetting;
import dev.redock.model.Deployment;
import dev.redock.model.Outcome;
import dev.redock.model.Service;
import dev.redock.model.ServiceStatus;
import dev.redock.model.ServiceView;
import dev.redock.service.Core;
import dev.redock.service.Failure;
import dev.redock.service.ServiceManager;
import dev.redock.ui.BuildLog;
import dev.redock.ui.CoreEvents;
import dev.redock.ui.FxThread;
import dev.redock.ui.Tasks;

/**
 * One service's page: the service with its status, its deployment history (newest first), its containers and its logs,
 * read off the FX thread and read again whenever the core reports a change to this service. For a service built from
 * source also the commit it runs, the output of a build while one runs, and why the scheduler cannot read its branch.
 */
public final class DetailModel implements AutoCloseable {

    static final int HISTORY_LIMIT = 200;
    static final int LOG_LINES = 300;
    static final Duration PROBLEM_EVERY = Duration.seconds(2);

    private final UUID id;
    private final Core core;
    private final Tasks tasks;
    private final Runnable stopListening;
    private final Runnable stopListeningToBuilds;
    private final Function<Service, Optional<String>> schedulerProblem;
    private final Timeline problemTimer;
    private final BuildLog build = new BuildLog();
    private final ObjectProperty<CommitInfo> commit = new SimpleObjectProperty<>(this, "commit");
    private final StringProperty sourceProblem = new SimpleStringProperty(this, "sourceProblem");
    private final BooleanProperty built = new SimpleBooleanProperty(this, "built");
    private long buildDeployment = -1;
    private final ObjectProperty<ServiceView> view = new SimpleObjectProperty<>(this, "view");
    private final ObservableList<Deployment> history = FXCollections.observableArrayList();
    private final ObservableList<ContainerInfo> containers = FXCollections.observableArrayList();
    private final ObservableList<ContainerSetting> otherSettings = FXCollections.observableArrayList();
    private final StringProperty logs = new SimpleStringProperty(this, "logs", "");
    private final StringProperty problem = new SimpleStringProperty(this, "problem");
    private final BooleanProperty gone = new SimpleBooleanProperty(this, "gone");
    private final BooleanProperty envValuesShown = new SimpleBooleanProperty(this, "envValuesShown", false);
    private boolean refreshing;
    private boolean again;
    private boolean closed;

    /** What one refresh read. */
    record Snapshot(ServiceView view, List<Deployment> history, List<ContainerInfo> containers,
                    List<ContainerSetting> otherSettings, String engineProblem) {
    }

    /**
     * @param schedulerProblem why the scheduler could not check a service's tag or branch at its last poll, if it could
     *                         not (an in-memory lookup, read every few seconds on the FX thread)
     */
    public DetailModel(UUID id, Core core, Tasks tasks, CoreEvents events,
                       Function<Service, Optional<String>> schedulerProblem) {
        this.id = id;
        this.core = core;
        this.tasks = tasks;
        this.schedulerProblem = schedulerProblem;
        this.stopListening = events.listen(change -> {
            if (change.concerns(id)) {
                buildEnded(change.deployment());
                refresh();
            }
        });
        this.stopListeningToBuilds = events.listenBuilds(this::buildOutput);
        problemTimer = new Timeline(new KeyFrame(PROBLEM_EVERY, e -> readSchedulerProblem()));
        problemTimer.setCycleCount(Animation.INDEFINITE);
        problemTimer.play();
    }

    private void buildOutput(CoreEvents.BuildOutput out) {
        if (closed || !out.serviceId().equals(id)) {
            return;
        }
        if (out.deploymentId() != buildDeployment || !build.runningProperty().get()) {
            buildDeployment = out.deploymentId();
            build.start("Building…");
            built.set(true);
        }
        build.append(out.lines(), out.step(), out.totalSteps());
    }

    private void buildEnded(Deployment d) {
        if (d == null || d.id() != buildDeployment || d.outcome() == Outcome.RUNNING || !build.runningProperty().get()) {
            return;
        }
        String what = d.commit() == null ? "" : " " + d.commit().shortSha();
        build.finish(switch (d.outcome()) {
            case SUCCEEDED -> "Built and deployed" + what;
            case ROLLED_BACK -> "Built" + what + ", but rolled back: " + (d.error() == null ? "" : d.error());
            default -> "Failed" + (d.error() == null ? "" : ": " + d.error());
        });
    }

    private void readSchedulerProblem() {
        ServiceView v = view.get();
        if (closed || v == null) {
            return;
        }
        sourceProblem.set(schedulerProblem.apply(v.service()).orElse(null));
    }

    public UUID id() {
        return id;
    }

    /** Whether the configuration shows environment values as they are; masked until the user asks, on this page only. */
    public BooleanProperty envValuesShownProperty() {
        return envValuesShown;
    }

    public void refresh() {
        FxThread.check();
        if (closed) {
            return;
        }
        if (refreshing) {
            again = true;
            return;
        }
        refreshing = true;
        ServiceManager manager = core.services();
        tasks.run(() -> {
            Service s = manager.get(id.toString());
            ServiceView v = manager.view(s);
            List<Deployment> h = manager.history(id, HISTORY_LIMIT);
            List<ContainerInfo> cs = List.of();
            List<ContainerSetting> others = List.of();
            String engineProblem = null;
            if (v.status() == ServiceStatus.UNREACHABLE) {
                // Said already, after at most the list's deadline: asking the engine again would wait for it once more.
                engineProblem = v.detail();
            } else {
                try {
                    cs = core.services().containersOf(s);
                    others = core.services().otherSettings(s);
                } catch (Exception e) {
                    if (Failure.of(e).worthStackTrace()) {
                        throw e;
                    }
                    engineProblem = Failure.message(e);
                }
            }
            return new Snapshot(v, h, cs, others, engineProblem);
        }, this::show, e -> {
            refreshDone();
            if (e instanceof ServiceManager.UnknownServiceException) {
                gone.set(true);
            } else {
                problem.set(Tasks.message(e));
            }
        });
    }

    private void show(Snapshot s) {
        if (closed) {
            return;
        }
        commit.set(commitOf(s.view().service(), s.history()));
        view.set(s.view());
        history.setAll(s.history());
        readSchedulerProblem();
        containers.setAll(s.containers());
        otherSettings.setAll(s.otherSettings());
        problem.set(s.engineProblem());
        refreshDone();
    }

    private void refreshDone() {
        refreshing = false;
        if (again) {
            again = false;
            refresh();
        }
    }

    /** The commit a service built from source runs, with its author and message when its history has them. */
    static CommitInfo commitOf(Service s, List<Deployment> history) {
        if (s.commit() == null) {
            return null;
        }
        return history.stream().map(Deployment::commit)
                .filter(c -> c != null && c.sha().equals(s.commit()))
                .findFirst().orElse(new CommitInfo(s.commit(), null, null));
    }

    /** Reads the container's recent output, off the FX thread. */
    public void refreshLogs() {
        FxThread.check();
        ServiceView v = view.get();
        String containerId = v == null ? null : v.containerId();
        if (containerId == null) {
            logs.set(v == null ? "" : "(no container)");
            return;
        }
        tasks.run(() -> core.services().logTail(v.service(), containerId, LOG_LINES), lines -> {
            if (!closed) {
                logs.set(lines.isEmpty() ? "(no output yet)" : String.join("\n", lines));
            }
        }, e -> logs.set("Cannot read the logs: " + Tasks.message(e)));
    }

    public ObjectProperty<ServiceView> viewProperty() {
        return view;
    }

    public ObservableList<Deployment> history() {
        return history;
    }

    public ObservableList<ContainerInfo> containers() {
        return containers;
    }

    /** The settings of the service's container that the Edit form does not edit (a redeploy carries them over). */
    public ObservableList<ContainerSetting> otherSettings() {
        return otherSettings;
    }

    public StringProperty logsProperty() {
        return logs;
    }

    public StringProperty problemProperty() {
        return problem;
    }

    /** The commit the service runs (services built from source), or null. */
    public ObjectProperty<CommitInfo> commitProperty() {
        return commit;
    }

    /** The output of the build under way, or of the last one seen since the page opened. */
    public BuildLog build() {
        return build;
    }

    /** True once a build of this service was seen since the page opened. */
    public BooleanProperty builtProperty() {
        return built;
    }

    /** Why the scheduler could not read the service's branch (or tag) at its last poll, or null. */
    public StringProperty sourceProblemProperty() {
        return sourceProblem;
    }

    /** True once the service turned out to be removed. */
    public BooleanProperty goneProperty() {
        return gone;
    }

    @Override
    public void close() {
        closed = true;
        problemTimer.stop();
        stopListening.run();
        stopListeningToBuilds.run();
    }
}
