package dev.redock.ui.form;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.ObservableMap;

import dev.redock.model.CommandWords;
import dev.redock.model.ContainerSpec;
import dev.redock.model.Durations;
import dev.redock.model.EngineStatus;
import dev.redock.model.EnvMask;
import dev.redock.model.PortBinding;
import dev.redock.model.RestartPolicy;
import dev.redock.model.Service;
import dev.redock.model.ValidationException;
import dev.redock.model.VolumeBinding;
import dev.redock.service.ServiceInput;
import dev.redock.ui.FxThread;

/**
 * A service's settings as typed: the launch wizard's second step and the Edit form share it, so both check the same way.
 * The engine is chosen among those offered in the wizard, and shown, fixed, in the Edit form.
 * Every field has an error property that follows its text as it is typed (null when the field is fine); the checks are
 * the core's own parsers. Lists are typed one entry per line; blank lines and lines starting with '#' are ignored.
 *
 * <p>The Edit form shows a stored service's environment values masked ({@link EnvMask}) until the user reveals them; a
 * value left masked keeps the stored one when the core saves the spec.
 */
public final class ServiceForm {

    private final StringProperty name = new SimpleStringProperty(this, "name", "");
    private final StringProperty ports = new SimpleStringProperty(this, "ports", "");
    private final StringProperty env = new SimpleStringProperty(this, "env", "");
    private final StringProperty volumes = new SimpleStringProperty(this, "volumes", "");
    private final StringProperty command = new SimpleStringProperty(this, "command", "");
    private final StringProperty restart = new SimpleStringProperty(this, "restart", RestartPolicy.NO.toString());
    private final StringProperty stopTimeout = new SimpleStringProperty(this, "stopTimeout", "");
    /** Blank for Redock's default. */
    private final StringProperty minUptime = new SimpleStringProperty(this, "minUptime", "");
    private final StringProperty labels = new SimpleStringProperty(this, "labels", "");
    private final StringProperty networks = new SimpleStringProperty(this, "networks", "");
    private final BooleanProperty autoredeploy = new SimpleBooleanProperty(this, "autoredeploy", false);
    private final BooleanProperty nameEditable = new SimpleBooleanProperty(this, "nameEditable", true);
    private final BooleanProperty fromGit = new SimpleBooleanProperty(this, "fromGit", false);
    private final BooleanProperty envShown = new SimpleBooleanProperty(this, "envShown", false);
    private final BooleanProperty envMaskable = new SimpleBooleanProperty(this, "envMaskable", false);
    private final StringProperty engine = new SimpleStringProperty(this, "engine");
    private final BooleanProperty engineEditable = new SimpleBooleanProperty(this, "engineEditable", true);
    private final ObservableList<String> engineChoices = FXCollections.observableArrayList();
    private final ObservableMap<String, EngineStatus> engineStates = FXCollections.observableHashMap();
    private final ObservableMap<String, EngineStatus> engineStatesShown = FXCollections.unmodifiableObservableMap(engineStates);
    private final StringBinding engineHint;
    private Map<String, String> storedEnv = Map.of();

    private final StringBinding nameError;
    private final StringBinding portsError;
    private final StringBinding envError;
    private final StringBinding volumesError;
    private final StringBinding commandError;
    private final StringBinding restartError;
    private final StringBinding stopTimeoutError;
    private final StringBinding minUptimeError;
    private final StringBinding labelsError;
    private final StringBinding networksError;
    private final BooleanBinding valid;

    private boolean nameTyped;
    private boolean suggesting;
    private boolean engineChosen;

    /** @param nameTaken tells whether another service already has a name (checked as it is typed) */
    public ServiceForm(Predicate<String> nameTaken) {
        nameError = Bindings.createStringBinding(() -> nameProblem(name.get(), nameTaken), name, nameEditable);
        // Each field is checked as every way in checks it (ServiceInput), so the window says what the CLI and the API say.
        portsError = error(ports, t -> ServiceInput.ports(lines(t)));
        envError = error(env, t -> EnvMask.unmasked(ServiceInput.env(lines(t)), storedEnv));
        volumesError = error(volumes, t -> ServiceInput.volumes(lines(t)));
        commandError = error(command, CommandWords::split);
        restartError = error(restart, RestartPolicy::parse);
        stopTimeoutError = error(stopTimeout, ServiceInput::stopTimeout);
        minUptimeError = error(minUptime, ServiceInput::minUptime);
        labelsError = error(labels, t -> ServiceInput.labels(lines(t)));
        networksError = error(networks, t -> ServiceInput.networks(words(t)));
        valid = Bindings.createBooleanBinding(() -> errors().stream().allMatch(e -> e.get() == null),
                nameError, portsError, envError, volumesError, commandError, restartError, stopTimeoutError,
                minUptimeError, labelsError, networksError);
        name.addListener((obs, old, now) -> {
            if (!suggesting) {
                nameTyped = true;
            }
        });
        envShown.addListener((obs, was, shown) -> env.set(withStoredValues(env.get(), shown)));
        engine.addListener((obs, old, now) -> {
            if (!suggesting && now != null) {
                engineChosen = true;
            }
        });
        engineHint = Bindings.createStringBinding(this::engineHintText, engine, engineEditable, engineStates);
    }

    private String engineHintText() {
        if (!engineEditable.get()) {
            return "A service stays on its engine (its volumes would stay behind): to move it, launch it on the other"
                    + " engine and remove it here.";
        }
        EngineStatus state = engine.get() == null ? null : engineStates.get(engine.get());
        if (state != null && state.checked() != null && !state.reachable()) {
            return "Engine \"" + state.name() + "\" did not answer when last asked (" + state.problem()
                    + "): the launch fails unless it answers by then.";
        }
        return "Where its container runs; the service stays there.";
    }

    /**
     * Offers these engines to choose from (the launch wizard); the engine new services go to is chosen until the user
     * chooses another, and a chosen engine that is gone gives way to it.
     */
    public void offerEngines(List<EngineStatus> engines, String forNew) {
        FxThread.check();
        List<String> names = engines.stream().map(EngineStatus::name).toList();
        engineStates.keySet().retainAll(names);
        for (EngineStatus e : engines) {
            EngineStatus shown = engineStates.get(e.name());
            // Asked again with the same answer: nothing to show anew.
            if (shown == null || !shown.describeState().equals(e.describeState())) {
                engineStates.put(e.name(), e);
            }
        }
        if (!names.equals(engineChoices)) {
            engineChoices.setAll(names);
        }
        if (!engineEditable.get()) {
            return;
        }
        if (!engineChosen || !names.contains(engine.get())) {
            suggesting = true;
            try {
                engine.set(names.contains(forNew) ? forNew : names.isEmpty() ? null : names.get(0));
            } finally {
                suggesting = false;
            }
            engineChosen = false;
        }
    }

    /**
     * An engine as the form offers it: its name and its state as last asked ({@code default · Docker 20.10.24 (API 1.41)},
     * {@code remote · unreachable}).
     */
    public String engineLabel(String name) {
        if (name == null) {
            return "";
        }
        EngineStatus state = engineStates.get(name);
        if (state == null || state.checked() == null) {
            return name;
        }
        return name + " · " + (state.reachable() ? state.version() : "unreachable");
    }

    /**
     * The environment's text with the stored values shown in place of the mask, or masked again: lines whose value is
     * the mask (or, masking, the stored value) change; everything the user typed stays as typed.
     */
    private String withStoredValues(String text, boolean shown) {
        List<String> out = new ArrayList<>();
        for (String line : (text == null ? "" : text).split("\\R", -1)) {
            String s = line.strip();
            int eq = s.indexOf('=');
            String stored = eq <= 0 || s.startsWith("#") ? null : storedEnv.get(s.substring(0, eq));
            if (stored == null || stored.isEmpty()) {
                out.add(line);
                continue;
            }
            String value = s.substring(eq + 1);
            String key = s.substring(0, eq + 1);
            if (shown && value.equals(EnvMask.MASK)) {
                out.add(key + stored);
            } else if (!shown && value.equals(stored)) {
                out.add(key + EnvMask.MASK);
            } else {
                out.add(line);
            }
        }
        return String.join("\n", out);
    }

    private List<StringBinding> errors() {
        return List.of(nameError, portsError, envError, volumesError, commandError, restartError, stopTimeoutError,
                minUptimeError, labelsError, networksError);
    }

    /** The field's problem as its check states it (capitalised to start the sentence), or null while it is fine. */
    private static StringBinding error(StringProperty text, Function<String, ?> check) {
        return Bindings.createStringBinding(() -> {
            try {
                check.apply(text.get());
                return null;
            } catch (ValidationException e) {
                return ImageFields.capitalise(e.getMessage());
            }
        }, text);
    }

    private String nameProblem(String text, Predicate<String> taken) {
        if (!nameEditable.get()) {
            return null;
        }
        try {
            Service.validName(text);
        } catch (ValidationException e) {
            return text == null || text.isBlank() ? "Enter a name for the service (also its container's name)"
                    : ImageFields.capitalise(e.getMessage());
        }
        return taken.test(text) ? "A service named \"" + text + "\" already exists" : null;
    }

    static List<String> lines(String text) {
        List<String> out = new ArrayList<>();
        if (text == null) {
            return out;
        }
        for (String line : text.split("\\R")) {
            String s = line.strip();
            if (!s.isEmpty() && !s.startsWith("#")) {
                out.add(s);
            }
        }
        return out;
    }

    private static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        for (String w : (text == null ? "" : text).split("[\\s,]+")) {
            if (!w.isBlank()) {
                out.add(w.strip());
            }
        }
        return out;
    }

    /**
     * The settings the fields give, as words for the service layer to check and turn into a launch or a change;
     * environment values left masked keep the stored ones. The name and the engine are given only where they may be chosen.
     */
    public ServiceInput input() {
        return ServiceInput.empty()
                .withName(nameEditable.get() ? name.get() : null)
                .withPorts(lines(ports.get()))
                .withEnv(lines(env.get()))
                .withVolumes(lines(volumes.get()))
                .withCommand(CommandWords.split(command.get()))
                .withRestart(restart.get())
                .withLabels(lines(labels.get()))
                .withNetworks(words(networks.get()))
                .withStopTimeout(stopTimeout.get())
                .withAutoredeploy(autoredeploy.get())
                .withEngine(engineEditable.get() ? engine.get() : null)
                .withMinUptime(minUptime.get());
    }

    /**
     * The container configuration the fields make, environment values left masked as they are (the core keeps the stored
     * ones for those). Call only while the form is valid.
     */
    public ContainerSpec spec() {
        return input().spec();
    }

    /** Fills every field from a stored service (the Edit form), its name and its engine fixed. */
    public void load(Service s) {
        FxThread.check();
        ContainerSpec spec = s.spec();
        suggesting = true;
        name.set(s.name());
        suggesting = false;
        nameEditable.set(false);
        ports.set(spec.ports().stream().map(PortBinding::toString).collect(Collectors.joining("\n")));
        envShown.set(false);
        storedEnv = spec.env();
        env.set(EnvMask.masked(spec.env()).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("\n")));
        envMaskable.set(spec.env().values().stream().anyMatch(v -> !v.isEmpty()));
        volumes.set(spec.volumes().stream().map(VolumeBinding::toString).collect(Collectors.joining("\n")));
        command.set(CommandWords.join(spec.command()));
        restart.set(spec.restart().toString());
        stopTimeout.set(spec.stopTimeoutSeconds() == null ? "" : spec.stopTimeoutSeconds().toString());
        labels.set(spec.labels().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("\n")));
        networks.set(String.join("\n", spec.networks()));
        autoredeploy.set(s.autoredeploy());
        minUptime.set(s.minUptime() == null ? "" : Durations.format(s.minUptime()));
        engineEditable.set(false);
        suggesting = true;
        engine.set(s.engine());
        suggesting = false;
    }

    /** Proposes a name (from the image) unless the user has typed one. */
    public void suggestName(String suggestion) {
        if (nameTyped || !nameEditable.get() || suggestion == null) {
            return;
        }
        suggesting = true;
        try {
            name.set(suggestion);
        } finally {
            suggesting = false;
        }
    }

    public StringProperty nameProperty() {
        return name;
    }

    public StringProperty portsProperty() {
        return ports;
    }

    public StringProperty envProperty() {
        return env;
    }

    /** Whether the environment field shows the stored values as they are (the Edit form's eye toggle). */
    public BooleanProperty envShownProperty() {
        return envShown;
    }

    /** True when the form holds a stored environment with values to mask: the eye toggle shows. */
    public BooleanProperty envMaskableProperty() {
        return envMaskable;
    }

    public StringProperty volumesProperty() {
        return volumes;
    }

    public StringProperty commandProperty() {
        return command;
    }

    public StringProperty restartProperty() {
        return restart;
    }

    public StringProperty stopTimeoutProperty() {
        return stopTimeout;
    }

    /** The minimum uptime as typed; blank for Redock's default. */
    public StringProperty minUptimeProperty() {
        return minUptime;
    }

    public StringProperty labelsProperty() {
        return labels;
    }

    public StringProperty networksProperty() {
        return networks;
    }

    public BooleanProperty autoredeployProperty() {
        return autoredeploy;
    }

    /** True when the service is built from a git repository (only the hints differ). */
    public BooleanProperty fromGitProperty() {
        return fromGit;
    }

    /** False in the Edit form: a service keeps its name. */
    public BooleanProperty nameEditableProperty() {
        return nameEditable;
    }

    /** The engine the service runs on: chosen in the wizard, shown in the Edit form. */
    public StringProperty engineProperty() {
        return engine;
    }

    /** False in the Edit form: a service stays on its engine. */
    public BooleanProperty engineEditableProperty() {
        return engineEditable;
    }

    /** The engines to choose from, the default one first. */
    public ObservableList<String> engineChoices() {
        return engineChoices;
    }

    /** Each engine offered, with its state as last asked. */
    public ObservableMap<String, EngineStatus> engineStates() {
        return engineStatesShown;
    }

    /** What to say under the engine: where the container runs, that an engine did not answer, or why it cannot change. */
    public StringBinding engineHintProperty() {
        return engineHint;
    }

    public StringBinding nameErrorProperty() {
        return nameError;
    }

    public StringBinding portsErrorProperty() {
        return portsError;
    }

    public StringBinding envErrorProperty() {
        return envError;
    }

    public StringBinding volumesErrorProperty() {
        return volumesError;
    }

    public StringBinding commandErrorProperty() {
        return commandError;
    }

    public StringBinding restartErrorProperty() {
        return restartError;
    }

    public StringBinding stopTimeoutErrorProperty() {
        return stopTimeoutError;
    }

    public StringBinding minUptimeErrorProperty() {
        return minUptimeError;
    }

    public StringBinding labelsErrorProperty() {
        return labelsError;
    }

    public StringBinding networksErrorProperty() {
        return networksError;
    }

    /** True when every field is fine. */
    public BooleanBinding validProperty() {
        return valid;
    }

    public String name() {
        return name.get();
    }
}
