package dev.redock.ui.settings;

import java.util.List;

import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.value.ChangeListener;
import javafx.beans.value.WeakChangeListener;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import dev.redock.ui.EnginesModel;
import dev.redock.ui.FxThread;
import dev.redock.ui.Tasks;

/**
 * The Engines tab of Settings: the engines with their states, how many services each has and where new services go, and
 * what users do to them (ask them again, remove one, choose where new services go). Each change is made at once, off the
 * FX thread; a refusal shows in the tab.
 */
public final class EnginesTabModel {

    private final EnginesModel engines;
    private final ObservableList<EngineRow> rows = FXCollections.observableArrayList();
    private final ObservableList<String> offered = FXCollections.observableArrayList();
    private final ReadOnlyStringWrapper problem = new ReadOnlyStringWrapper(this, "problem");
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper(this, "busy");
    // Held here; the window's engines hold them weakly, so that a closed Settings dialog is not kept alive by them.
    private final ChangeListener<EnginesModel.Snapshot> snapshotFollower = (obs, old, now) -> show(now);
    private final ChangeListener<String> problemFollower = (obs, old, now) -> {
        if (now != null) {
            problem.set(now);
        }
    };

    public EnginesTabModel(EnginesModel engines) {
        this.engines = engines;
        show(engines.snapshot());
        engines.snapshotProperty().addListener(new WeakChangeListener<>(snapshotFollower));
        engines.problemProperty().addListener(new WeakChangeListener<>(problemFollower));
    }

    /** Shows what was read; a row that would look the same stays as it is (the engines are asked every few seconds). */
    private void show(EnginesModel.Snapshot s) {
        List<EngineRow> now = s.engines().stream()
                .map(e -> new EngineRow(e, s.services(e.name()), e.name().equals(s.forNew()))).toList();
        boolean sameNames = now.size() == rows.size();
        for (int i = 0; sameNames && i < now.size(); i++) {
            sameNames = now.get(i).name().equals(rows.get(i).name());
        }
        if (!sameNames) {
            rows.setAll(now);
            return;
        }
        for (int i = 0; i < now.size(); i++) {
            if (!now.get(i).looksLike(rows.get(i))) {
                rows.set(i, now.get(i));
            }
        }
    }

    /** The tab is shown: asks every engine now, and what this machine offers besides. */
    public void refresh() {
        FxThread.check();
        problem.set(null);
        engines.check();
        engines.offered(list -> offered.setAll(list));
    }

    /** Removes an engine (the user confirmed); the service layer refuses one that services run on, and the tab says so. */
    public void remove(String name) {
        FxThread.check();
        problem.set(null);
        busy.set(true);
        engines.remove(name, () -> busy.set(false), e -> {
            busy.set(false);
            problem.set("Cannot remove engine " + name + ": " + Tasks.message(e));
        });
    }

    /** Makes new services go to this engine. */
    public void use(String name) {
        FxThread.check();
        problem.set(null);
        busy.set(true);
        engines.use(name, () -> busy.set(false), e -> {
            busy.set(false);
            problem.set("Cannot send new services to engine " + name + ": " + Tasks.message(e));
        });
    }

    public ObservableList<EngineRow> rows() {
        return rows;
    }

    /** What this machine offers that the list lacks, in sentences (may be empty). */
    public ObservableList<String> offered() {
        return offered;
    }

    /** Why the last change or read failed, or null. */
    public ReadOnlyStringProperty problemProperty() {
        return problem.getReadOnlyProperty();
    }

    /** True while a removal or a change of where new services go is under way. */
    public ReadOnlyBooleanProperty busyProperty() {
        return busy.getReadOnlyProperty();
    }

    /** True while every engine is being asked. */
    public ReadOnlyBooleanProperty checkingProperty() {
        return engines.checkingProperty();
    }

    EnginesModel engines() {
        return engines;
    }
}
