package dev.redock.ui;

import java.util.List;

import javafx.scene.Scene;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.stage.Stage;

import dev.redock.model.ServiceView;
import dev.redock.service.Core;

/**
 * The main window on an opened core: what {@link RedockApplication} shows, and what the UI tests open on a core of their
 * own. Closing it saves the window's geometry and stops listening to the core; the core itself is the caller's.
 */
public final class Console implements AutoCloseable {

    private final Stage stage;
    private final UiContext context;

    private Console(Stage stage, UiContext context) {
        this.stage = stage;
        this.context = context;
    }

    /** Fills {@code stage} with the main window on the service layer, and shows it. */
    public static Console open(Stage stage, Core core, WindowState windowState) {
        return open(stage, core, windowState, null);
    }

    /**
     * As {@link #open(Stage, Core, WindowState)}, with the services as stored read already: the list shows them at once,
     * their statuses follow.
     *
     * @param stored the services as {@link dev.redock.service.ServiceManager#storedViews()} read them, or null to read
     */
    public static Console open(Stage stage, Core core, WindowState windowState, List<ServiceView> stored) {
        FxThread.check();
        return open(stage, core, windowState, new Theme(windowState.theme()), stored);
    }

    /** As {@link #open(Stage, Core, WindowState, List)}, in a theme applied already (the window's, as it opened). */
    static Console open(Stage stage, Core core, WindowState windowState, Theme theme, List<ServiceView> stored) {
        FxThread.check();
        UiContext context = new UiContext(core, windowState, theme);
        Console console = new Console(stage, context);
        Views.Loaded<MainController> main = context.views().load("main_window.fxml");
        boolean showing = stage.isShowing();
        if (!showing) {
            windowState.applyTo(stage);
        }
        Scene scene = stage.getScene();
        if (scene == null) {
            // As large as the window: showing it lays the page out at that size, not first at the page's preferred size
            // (a shorter list, whose rows are made in a second layout).
            scene = new Scene(main.root(), stage.getWidth(), stage.getHeight());
            stage.setScene(scene);
        } else {
            scene.setRoot(main.root());
        }
        theme.style(scene);
        main.controller().attach(stage);
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.N, KeyCombination.SHORTCUT_DOWN),
                () -> context.navigator().openLaunchWizard());
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.F5), main.controller()::refresh);
        stage.setTitle("Redock");
        stage.setMinWidth(720);
        stage.setMinHeight(480);
        if (stage.getIcons().isEmpty()) {
            stage.getIcons().addAll(AppIcon.of(16), AppIcon.of(32), AppIcon.of(64));
        }
        theme.variantProperty().addListener((obs, old, now) -> windowState.setTheme(now));
        // The list before the window shows: showing it styles and lays out the list with its rows, once.
        if (stored != null) {
            context.services().showStored(stored);
        } else {
            context.services().refresh();
        }
        if (!showing) {
            stage.show();
        }
        return console;
    }

    public Stage stage() {
        return stage;
    }

    public UiContext context() {
        return context;
    }

    /** Remembers the window's geometry and lets go of the core's events. Call on the FX thread. */
    @Override
    public void close() {
        FxThread.check();
        context.windowState().setTheme(context.theme().variant());
        context.windowState().takeFrom(stage);
        context.windowState().save();
        context.close();
    }
}
