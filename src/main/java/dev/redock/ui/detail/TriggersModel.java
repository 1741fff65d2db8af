package dev.redock.ui.detail;

import java.util.List;
import java.util.UUID;

import javafx.beans.binding.Bindings;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import dev.redock.model.RedeployTrigger;
import dev.redock.model.ValidationException;
import dev.redock.service.Core;
import dev.redock.service.TriggerService;
import dev.redock.ui.FxThread;
import dev.redock.ui.Tasks;

/**
 * A service's ways in besides polling, for its Triggers tab: its redeploy trigger URLs (made, listed and revoked through
 * the core off the FX thread; a new URL is shown once, as only a hash of its token is kept) and its push-webhook URLs
 * and secret (read only when asked for, since reading the secret makes one).
 */
public final class TriggersModel {

    private final UUID id;
    private final Core core;
    private final Tasks tasks;
    private final ObservableList<RedeployTrigger> triggers = FXCollections.observableArrayList();
    private final StringProperty name = new SimpleStringProperty(this, "name", "");
    private final StringBinding nameError = Bindings.createStringBinding(() -> nameProblem(name.get()), name, triggers);
    private final BooleanProperty busy = new SimpleBooleanProperty(this, "busy");
    private final StringProperty newUrl = new SimpleStringProperty(this, "newUrl", "");
    private final StringProperty problem = new SimpleStringProperty(this, "problem");
    private final BooleanProperty webhookLoaded = new SimpleBooleanProperty(this, "webhookLoaded");
    private final StringProperty githubUrl = new SimpleStringProperty(this, "githubUrl", "");
    private final StringProperty gitlabUrl = new SimpleStringProperty(this, "gitlabUrl", "");
    private final StringProperty secret = new SimpleStringProperty(this, "secret", "");
    private boolean closed;

    public TriggersModel(UUID id, Core core, Tasks tasks) {
        this.id = id;
        this.core = core;
        this.tasks = tasks;
    }

    /** Reads the service's triggers again. */
    public void load() {
        FxThread.check();
        TriggerService service = core.triggers();
        tasks.run(() -> service.list(id), this::show, e -> problem.set("Cannot read the triggers: " + Tasks.message(e)));
    }

    private void show(List<RedeployTrigger> list) {
        if (!closed && !triggers.equals(list)) { // unchanged: keep the rows (and their buttons) as they are
            triggers.setAll(list);
        }
    }

    /** Makes a trigger with the typed name and shows its URL (this once). */
    public void create() {
        FxThread.check();
        if (!nameError.get().isEmpty() || busy.get()) {
            return;
        }
        String n = name.get().strip();
        TriggerService service = core.triggers();
        busy.set(true);
        problem.set(null);
        tasks.run(() -> {
            TriggerService.Created c = service.create(id, n);
            return new Made(core.apiUrl() + c.path(), service.list(id));
        }, made -> {
            busy.set(false);
            if (closed) {
                return;
            }
            newUrl.set(made.url());
            name.set("");
            show(made.triggers());
        }, e -> {
            busy.set(false);
            problem.set("Cannot make the trigger: " + Tasks.message(e));
        });
    }

    private record Made(String url, List<RedeployTrigger> triggers) {
    }

    /** Revokes a trigger: its URL answers 404 from then on. */
    public void revoke(RedeployTrigger t) {
        FxThread.check();
        TriggerService service = core.triggers();
        busy.set(true);
        problem.set(null);
        tasks.run(() -> {
            service.revoke(id, t.id().toString());
            return service.list(id);
        }, list -> {
            busy.set(false);
            show(list);
        }, e -> {
            busy.set(false);
            problem.set("Cannot revoke \"" + t.name() + "\": " + Tasks.message(e));
        });
    }

    /** Reads the webhook URLs and the secret (making the secret on first use). */
    public void loadWebhook() {
        FxThread.check();
        TriggerService service = core.triggers();
        busy.set(true);
        tasks.run(() -> new Webhook(core.apiUrl(), service.webhookSecret(id)), w -> {
            busy.set(false);
            if (closed) {
                return;
            }
            githubUrl.set(w.base() + "/api/v1/service/" + id + "/webhook/github/");
            gitlabUrl.set(w.base() + "/api/v1/service/" + id + "/webhook/gitlab/");
            secret.set(w.secret());
            webhookLoaded.set(true);
        }, e -> {
            busy.set(false);
            problem.set("Cannot read the webhook settings: " + Tasks.message(e));
        });
    }

    private record Webhook(String base, String secret) {
    }

    private String nameProblem(String typed) {
        if (typed == null || typed.isEmpty()) {
            return "";
        }
        String n = typed.strip();
        try {
            RedeployTrigger.validName(n);
        } catch (ValidationException e) {
            return e.getMessage();
        }
        if (triggers.stream().anyMatch(t -> t.name().equals(n))) {
            return "there is already a trigger named \"" + n + "\"";
        }
        return "";
    }

    public ObservableList<RedeployTrigger> triggers() {
        return triggers;
    }

    /** The name of the trigger to make, as typed. */
    public StringProperty nameProperty() {
        return name;
    }

    /** Why the typed name cannot be used, or empty (also empty while nothing is typed). */
    public StringBinding nameErrorProperty() {
        return nameError;
    }

    public BooleanProperty busyProperty() {
        return busy;
    }

    /** The full URL of the trigger just made (shown once), or empty. */
    public StringProperty newUrlProperty() {
        return newUrl;
    }

    public StringProperty problemProperty() {
        return problem;
    }

    public BooleanProperty webhookLoadedProperty() {
        return webhookLoaded;
    }

    public StringProperty githubUrlProperty() {
        return githubUrl;
    }

    public StringProperty gitlabUrlProperty() {
        return gitlabUrl;
    }

    public StringProperty secretProperty() {
        return secret;
    }

    public void close() {
        closed = true;
    }
}
