package dev.redock.ui.detail;

import java.util.List;
import java.util.UUID;

import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import dev.redock.app.Redock;
import dev.redock.deploy.ServiceManager;
import dev.redock.deploy.ServiceView;
import dev.redock.engine.ContainerInfo;
import dev.redock.engine.EngineException;
import dev.redock.model.Deployment;
import dev.redock.model.Labels;
import dev.redock.model.Service;
import dev.redock.ui.CoreEvents;
import dev.redock.ui.FxThread;
import dev.redock.ui.Tasks;

/**
 * One service's page: the service with its status, its deployment history (newest first), its containers and its logs,
 * read off the FX thread and read again whenever the core reports a change to this service.
 */
public final class DetailModel implements AutoCloseable {

    static final int HISTORY_LIMIT = 200;
    static final int LOG_LINES = 300;

    private final UUID id;
    private final Redock redock;
    private final Tasks tasks;
    private final Runnable stopListening;
    private final ObjectProperty<ServiceView> view = new SimpleObjectProperty<>(this, "view");
    private final ObservableList<Deployment> history = FXCollections.observableArrayList();
    private final ObservableList<ContainerInfo> containers = FXCollections.observableArrayList();
    private final StringProperty logs = new SimpleStringProperty(this, "logs", "");
    private final StringProperty problem = new SimpleStringProperty(this, "problem");
    private final BooleanProperty gone = new SimpleBooleanProperty(this, "gone");
    private boolean refreshing;
    private boolean again;
    private boolean closed;

    /** What one refresh read. */
    record Snapshot(ServiceView view, List<Deployment> history, List<ContainerInfo> containers, String engineProblem) {
    }

    public DetailModel(UUID id, Redock redock, Tasks tasks, CoreEvents events) {
        this.id = id;
        this.redock = redock;
        this.tasks = tasks;
        this.stopListening = events.listen(change -> {
            if (change.concerns(id)) {
                refresh();
            }
        });
    }

    public UUID id() {
        return id;
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
        ServiceManager manager = redock.services();
        tasks.run(() -> {
            Service s = manager.get(id.toString());
            ServiceView v = manager.view(s);
            List<Deployment> h = manager.history(id, HISTORY_LIMIT);
            List<ContainerInfo> cs = List.of();
            String engineProblem = null;
            try {
                cs = redock.engine().listByLabel(Labels.SERVICE, id.toString());
            } catch (EngineException e) {
                engineProblem = e.getMessage();
            }
            return new Snapshot(v, h, cs, engineProblem);
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
        view.set(s.view());
        history.setAll(s.history());
        containers.setAll(s.containers());
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

    /** Reads the container's recent output, off the FX thread. */
    public void refreshLogs() {
        FxThread.check();
        ServiceView v = view.get();
        String containerId = v == null ? null : v.containerId();
        if (containerId == null) {
            logs.set(v == null ? "" : "(no container)");
            return;
        }
        tasks.run(() -> redock.engine().logTail(containerId, LOG_LINES), lines -> {
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

    public StringProperty logsProperty() {
        return logs;
    }

    public StringProperty problemProperty() {
        return problem;
    }

    /** True once the service turned out to be removed. */
    public BooleanProperty goneProperty() {
        return gone;
    }

    @Override
    public void close() {
        closed = true;
        stopListening.run();
    }
}
