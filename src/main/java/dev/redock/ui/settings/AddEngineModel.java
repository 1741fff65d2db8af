package dev.redock.ui.settings;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import dev.redock.model.EngineEntry;
import dev.redock.model.EngineStatus;
import dev.redock.model.ValidationException;
import dev.redock.ui.EnginesModel;
import dev.redock.ui.FxThread;
import dev.redock.ui.Tasks;
import dev.redock.ui.form.ImageFields;

/**
 * The Add engine dialog's state: a name, where the engine is (a docker context's name or an address) and, for a
 * {@code tcp://} address with TLS, the folder of its certificates. The name is checked as it is typed; where the engine is
 * the service layer checks when it adds it, and its refusal shows in the dialog. An engine that does not answer yet is
 * added all the same, with its state saying why.
 */
public final class AddEngineModel {

    /** An address in a sentence: {@code unix:///run/podman/podman.sock}, {@code tcp://host:2376}, {@code ssh://me@host}. */
    private static final Pattern ADDRESS = Pattern.compile("\\b(?:unix|tcp|ssh|npipe)://[^\\s,;)\"']+");
    /** A docker context named in a sentence: {@code docker context "remote"}. */
    private static final Pattern CONTEXT = Pattern.compile("context \"([^\"]+)\"");

    private final EnginesModel engines;
    private final StringProperty name = new SimpleStringProperty(this, "name", "");
    private final StringProperty where = new SimpleStringProperty(this, "where", "");
    private final StringProperty tlsDir = new SimpleStringProperty(this, "tlsDir", "");
    private final StringBinding nameError;
    private final BooleanBinding canAdd;
    private final ReadOnlyBooleanWrapper adding = new ReadOnlyBooleanWrapper(this, "adding");
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper(this, "error");
    private final ObjectProperty<EngineStatus> added = new SimpleObjectProperty<>(this, "added");
    private final ObservableList<String> offered = FXCollections.observableArrayList();
    private final ObservableList<String> suggestions = FXCollections.observableArrayList();

    public AddEngineModel(EnginesModel engines) {
        this.engines = engines;
        nameError = Bindings.createStringBinding(() -> nameProblem(name.get()), name, engines.names());
        canAdd = Bindings.createBooleanBinding(() -> !name.get().isBlank() && nameError.get() == null
                && !where.get().isBlank() && !adding.get(), name, nameError, where, adding);
        name.addListener((obs, old, now) -> error.set(null));
        where.addListener((obs, old, now) -> error.set(null));
        tlsDir.addListener((obs, old, now) -> error.set(null));
    }

    private String nameProblem(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            EngineEntry.validName(text.strip());
        } catch (ValidationException e) {
            return ImageFields.capitalise(e.getMessage());
        }
        return engines.names().contains(text.strip()) ? "An engine named \"" + text.strip() + "\" already exists" : null;
    }

    /** Reads what this machine offers that the list lacks, off the FX thread: shown as sentences and as suggestions. */
    public void loadOffered() {
        FxThread.check();
        engines.offered(list -> {
            offered.setAll(list);
            suggestions.setAll(suggestionsIn(list));
        });
    }

    /** The addresses and docker contexts the sentences name, each once, in their order. */
    static List<String> suggestionsIn(List<String> sentences) {
        Set<String> found = new LinkedHashSet<>();
        for (String s : sentences) {
            Matcher a = ADDRESS.matcher(s);
            while (a.find()) {
                found.add(a.group().replaceAll("[.:]+$", ""));
            }
            Matcher c = CONTEXT.matcher(s);
            while (c.find()) {
                found.add(c.group(1));
            }
        }
        return new ArrayList<>(found);
    }

    /** Adds the engine, off the FX thread; {@link #addedProperty()} is set once it is in the list. */
    public void add() {
        FxThread.check();
        if (!canAdd.get()) {
            return;
        }
        adding.set(true);
        error.set(null);
        String tls = tlsDir.get().isBlank() ? null : tlsDir.get().strip();
        engines.add(name.get().strip(), where.get().strip(), tls, status -> {
            adding.set(false);
            added.set(status);
        }, e -> {
            adding.set(false);
            error.set(ImageFields.capitalise(Tasks.message(e)));
        });
    }

    public StringProperty nameProperty() {
        return name;
    }

    /** A docker context's name, or an address ({@code unix://}, {@code tcp://}, {@code ssh://user@host}). */
    public StringProperty whereProperty() {
        return where;
    }

    /** The folder with {@code ca.pem}, {@code cert.pem} and {@code key.pem}, for a {@code tcp://} address with TLS; or blank. */
    public StringProperty tlsDirProperty() {
        return tlsDir;
    }

    /** What is wrong with the name as typed, or null. */
    public StringBinding nameErrorProperty() {
        return nameError;
    }

    public BooleanBinding canAddProperty() {
        return canAdd;
    }

    public ReadOnlyBooleanProperty addingProperty() {
        return adding.getReadOnlyProperty();
    }

    /** Why the engine was not added, or null. */
    public ReadOnlyStringProperty errorProperty() {
        return error.getReadOnlyProperty();
    }

    /** The engine once added, with its state as first asked. */
    public ObjectProperty<EngineStatus> addedProperty() {
        return added;
    }

    public ObservableList<String> offered() {
        return offered;
    }

    public ObservableList<String> suggestions() {
        return suggestions;
    }
}
