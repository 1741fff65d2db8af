package dev.redock.ui;

import java.util.List;

import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.stage.Modality;
import javafx.stage.Stage;
import javafx.stage.Window;

import dev.redock.model.PollStatus;
import dev.redock.service.Core;
import dev.redock.ui.adopt.NotFollowedModel;
import dev.redock.ui.services.ServicesModel;

/**
 * Everything the window's controllers may be given, made once per window: the core, the task runner, the core's events
 * on the FX thread, and the window-wide view models (the services, the containers no service follows, the engines, the
 * status bar). {@link Views} hands these to controllers by type.
 */
public final class UiContext implements AutoCloseable {

    private final Core core;
    private final Tasks tasks = new Tasks();
    private final CoreEvents events;
    private final Notifier notifier = new Notifier();
    private final ServicesModel services;
    private final EnginesModel engines;
    private final NotFollowedModel notFollowed;
    private final StatusModel status;
    private final Theme theme;
    private final WindowState windowState;
    private final Views views;
    private final Navigator navigator;

    public UiContext(Core core, WindowState windowState, Theme theme) {
        FxThread.check();
        this.core = core;
        this.windowState = windowState;
        this.theme = theme;
        this.events = new CoreEvents(core.events());
        this.engines = new EnginesModel(core, tasks, events);
        this.services = new ServicesModel(core, tasks, events, notifier, engines);
        this.notFollowed = new NotFollowedModel(core, tasks, events, notifier, engines);
        this.status = new StatusModel(core, tasks, engines);
        // The engines are first asked once the list is read, which then does not wait for them.
        services.afterFirstRead(status::ping);
        this.views = new Views(this::shared);
        this.navigator = new Navigator(this, views);
    }

    private List<Object> shared() {
        return List.of(this, core, tasks, events, notifier, services, engines, notFollowed, status, theme, windowState, views,
                navigator);
    }

    /** The service layer: everything the window does to services goes through it. */
    public Core core() {
        return core;
    }

    /** This process's polling, or empty when another process polls the data folder. */
    public java.util.Optional<PollStatus> polling() {
        return core.polling();
    }

    public Tasks tasks() {
        return tasks;
    }

    public CoreEvents events() {
        return events;
    }

    public Notifier notifier() {
        return notifier;
    }

    public ServicesModel services() {
        return services;
    }

    /** The user's engines: their states, how many services run on each, where new services go. */
    public EnginesModel engines() {
        return engines;
    }

    /** The containers no service follows, once the window has asked for them. */
    public NotFollowedModel notFollowed() {
        return notFollowed;
    }

    public StatusModel status() {
        return status;
    }

    public Theme theme() {
        return theme;
    }

    public WindowState windowState() {
        return windowState;
    }

    public Views views() {
        return views;
    }

    /** A dialog over {@code owner} (window-modal), showing {@code root} in the window's theme; not shown yet. */
    public Stage dialog(Window owner, String title, Parent root) {
        FxThread.check();
        Stage stage = new Stage();
        stage.initOwner(owner);
        stage.initModality(Modality.WINDOW_MODAL);
        stage.setTitle(title);
        Scene scene = new Scene(root);
        theme.style(scene);
        stage.setScene(scene);
        return stage;
    }

    public Navigator navigator() {
        return navigator;
    }

    @Override
    public void close() {
        navigator.close();
        status.close();
        events.close();
        tasks.close();
    }
}
