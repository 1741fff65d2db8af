package dev.redock.ui;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import dev.redock.model.EngineStatus;
import dev.redock.model.Service;
import dev.redock.service.Core;

/**
 * The user's engines as the whole window shows them: each one's state (as last asked), how many services run there, and
 * where new services go. The service list filters by them, the wizard offers them, Settings changes them and the status
 * bar sums them up. Reading the list is cheap (the database and what each engine last answered); asking every engine
 * ({@link #check()}) can take as long as an unreachable engine's timeout. Both run off the FX thread.
 */
public final class EnginesModel {

    /**
     * The engines as last read.
     *
     * @param engines every engine, the default one first
     * @param counts  how many services run on each engine that has any
     * @param forNew  the engine new services go to unless the user chooses another
     */
    public record Snapshot(List<EngineStatus> engines, Map<String, Integer> counts, String forNew) {

        static final Snapshot NONE = new Snapshot(List.of(), Map.of(), Service.DEFAULT_ENGINE);

        public Snapshot {
            engines = List.copyOf(engines);
            counts = Map.copyOf(counts);
        }

        public Optional<EngineStatus> find(String name) {
            return engines.stream().filter(e -> e.name().equals(name)).findFirst();
        }

        /** How many services run on this engine. */
        public int services(String name) {
            return counts.getOrDefault(name, 0);
        }

        public List<String> names() {
            return engines.stream().map(EngineStatus::name).toList();
        }
    }

    private final Core core;
    private final Tasks tasks;
    private final ReadOnlyObjectWrapper<Snapshot> snapshot = new ReadOnlyObjectWrapper<>(this, "snapshot", Snapshot.NONE);
    private final ObservableList<String> names = FXCollections.observableArrayList();
    private final ObservableList<String> readOnlyNames = FXCollections.unmodifiableObservableList(names);
    private final ReadOnlyBooleanWrapper checking = new ReadOnlyBooleanWrapper(this, "checking");
    private final ReadOnlyStringWrapper problem = new ReadOnlyStringWrapper(this, "problem");
    private final List<Runnable> reachabilityListeners = new ArrayList<>();
    private boolean reading;
    private boolean again;

    public EnginesModel(Core core, Tasks tasks, CoreEvents events) {
        this.core = core;
        this.tasks = tasks;
        // Engines added, removed or chosen for new services, and services launched or removed: here or by another process.
        events.listen(change -> {
            if (change.serviceId() == null) {
                refresh();
            }
        });
        refresh();
    }

    /** The engines as last read; changes after each read. */
    public ReadOnlyObjectProperty<Snapshot> snapshotProperty() {
        return snapshot.getReadOnlyProperty();
    }

    public Snapshot snapshot() {
        return snapshot.get();
    }

    /** The engines' names, the default one first; changes only when an engine is added or removed. */
    public ObservableList<String> names() {
        return readOnlyNames;
    }

    /** True while every engine is being asked. */
    public ReadOnlyBooleanProperty checkingProperty() {
        return checking.getReadOnlyProperty();
    }

    /** Why the engines could not be read or asked, or null. */
    public ReadOnlyStringProperty problemProperty() {
        return problem.getReadOnlyProperty();
    }

    /** Reads the list and each engine's last known state again, off the FX thread; reads asked meanwhile fold into one. */
    public void refresh() {
        FxThread.check();
        if (reading) {
            again = true;
            return;
        }
        reading = true;
        tasks.run(() -> read(false), read -> {
            show(read);
            readDone();
        }, e -> {
            problem.set("Cannot read the engines: " + Tasks.message(e));
            readDone();
        });
    }

    private void readDone() {
        reading = false;
        if (again) {
            again = false;
            refresh();
        }
    }

    /** Asks every engine now, side by side, off the FX thread; does nothing while they are being asked already. */
    public void check() {
        check(() -> { });
    }

    /** As {@link #check()}; {@code then} runs on the FX thread once the answers are shown (at once if a check is under way). */
    public void check(Runnable then) {
        FxThread.check();
        if (checking.get()) {
            then.run();
            return;
        }
        checking.set(true);
        tasks.run(() -> read(true), read -> {
            checking.set(false);
            show(read);
            then.run();
        }, e -> {
            checking.set(false);
            problem.set("Cannot ask the engines: " + Tasks.message(e));
            then.run();
        });
    }

    private Snapshot read(boolean ask) {
        var engines = core.engines();
        List<EngineStatus> list = ask ? engines.check() : engines.list();
        return new Snapshot(list, engines.serviceCounts(), engines.forNew());
    }

    /**
     * Shows what was read. An answer older than the one shown (a cheap read that started before a check ended) does not
     * replace it.
     */
    private void show(Snapshot read) {
        FxThread.check();
        Snapshot shown = snapshot.get();
        List<EngineStatus> merged = new ArrayList<>();
        for (EngineStatus e : read.engines()) {
            EngineStatus before = shown.find(e.name()).orElse(null);
            merged.add(before != null && before.entry().equals(e.entry()) && newer(before, e) ? before : e);
        }
        Snapshot before = snapshot.get();
        snapshot.set(new Snapshot(merged, read.counts(), read.forNew()));
        if (reachabilityChanged(before, snapshot.get())) {
            List.copyOf(reachabilityListeners).forEach(Runnable::run);
        }
        List<String> now = read.names();
        if (!now.equals(names)) {
            names.setAll(now);
        }
        problem.set(null);
    }

    /** Whether an engine asked before and now answered one time and not the other. */
    private static boolean reachabilityChanged(Snapshot before, Snapshot now) {
        for (EngineStatus e : now.engines()) {
            EngineStatus was = before.find(e.name()).orElse(null);
            if (was != null && was.checked() != null && e.checked() != null && was.reachable() != e.reachable()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Calls {@code listener} on the FX thread whenever an engine stops answering or answers again (what the services on
     * it show changes then, though the core reports no change of theirs); returns what stops it.
     */
    public Runnable onReachabilityChange(Runnable listener) {
        FxThread.check();
        reachabilityListeners.add(listener);
        return () -> reachabilityListeners.remove(listener);
    }

    private static boolean newer(EngineStatus a, EngineStatus b) {
        return a.checked() != null && (b.checked() == null || a.checked().isAfter(b.checked()));
    }

    /**
     * Adds an engine off the FX thread (the service layer locates it and asks it once); {@code added} gets it with its
     * state, {@code failed} why it was refused.
     */
    public void add(String name, String where, String tlsDir, Consumer<EngineStatus> added, Consumer<Throwable> failed) {
        FxThread.check();
        tasks.run(() -> core.engines().add(name, where, tlsDir), status -> {
            Snapshot shown = snapshot.get();
            List<EngineStatus> list = new ArrayList<>(shown.engines());
            list.removeIf(e -> e.name().equals(status.name()));
            list.add(status);
            show(new Snapshot(list, shown.counts(), shown.forNew()));
            refresh();
            added.accept(status);
        }, failed);
    }

    /** Removes an engine no service runs on, off the FX thread; {@code failed} gets the service layer's refusal. */
    public void remove(String name, Runnable removed, Consumer<Throwable> failed) {
        FxThread.check();
        tasks.run(() -> core.engines().remove(name), () -> {
            refresh();
            removed.run();
        }, failed);
    }

    /** Makes new services go to this engine, off the FX thread. */
    public void use(String name, Runnable done, Consumer<Throwable> failed) {
        FxThread.check();
        tasks.run(() -> core.engines().use(name), () -> {
            Snapshot shown = snapshot.get();
            snapshot.set(new Snapshot(shown.engines(), shown.counts(), name));
            refresh();
            done.run();
        }, failed);
    }

    /** What this machine offers that the list lacks (docker contexts, local sockets), in sentences; read off the FX thread. */
    public void offered(Consumer<List<String>> then) {
        FxThread.check();
        tasks.run(() -> core.engines().offered(), then, e -> then.accept(List.of()));
    }

    /** The engines' states in one line for the status bar, and whether every engine asked answered. */
    public record Summary(String text, String details, boolean allUp) {
    }

    /**
     * Sums the engines up for the status bar: one engine by its version and address (or why it does not answer), several
     * by how many answer and which do not; {@link Summary#details()} has each one's state in full.
     */
    public static Summary summary(List<EngineStatus> engines) {
        List<EngineStatus> checked = engines.stream().filter(e -> e.checked() != null).toList();
        List<EngineStatus> down = checked.stream().filter(e -> !e.reachable()).toList();
        boolean allUp = !checked.isEmpty() && down.isEmpty();
        StringBuilder details = new StringBuilder();
        int lacks = 0;
        for (EngineStatus e : engines) {
            details.append(details.isEmpty() ? "" : "\n").append(e.name()).append(": ").append(e.describeState());
            // What Redock cannot do there (Podman's limitations), in full: the status bar only counts them.
            for (String limitation : e.limitations()) {
                details.append("\n  ").append(limitation);
                lacks++;
            }
        }
        String limitations = lacks == 0 ? "" : " · " + lacks + (lacks == 1 ? " limitation" : " limitations") + " (hover to read)";
        if (checked.isEmpty()) {
            return new Summary(engines.size() > 1 ? "Engines: connecting…" : "Engine: connecting…", details.toString(), false);
        }
        if (engines.size() == 1) {
            EngineStatus only = engines.get(0);
            return new Summary(only.reachable() ? "Engine connected · " + only.version() + " · " + only.address() + limitations
                    : "Engine unreachable: " + only.problem(), details.toString(), allUp);
        }
        long up = checked.size() - down.size();
        if (up == engines.size()) {
            return new Summary(up + " engines connected" + limitations, details.toString(), allUp);
        }
        StringBuilder text = new StringBuilder(up + " of " + engines.size() + " engines connected");
        for (EngineStatus e : engines) {
            if (e.checked() == null) {
                text.append(" · ").append(e.name()).append(" not checked yet");
            } else if (!e.reachable()) {
                // The reasons are in the tooltip and in Settings: here they would crowd the status bar out.
                text.append(" · ").append(e.name()).append(" unreachable");
            }
        }
        return new Summary(text.append(limitations).toString(), details.toString(), allUp);
    }
}
