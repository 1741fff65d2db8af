package dev.redock.ui.form;

import javafx.beans.value.ObservableBooleanValue;
import javafx.stage.Stage;
import javafx.stage.Window;

import dev.redock.ui.FxThread;
import dev.redock.ui.UiContext;
import dev.redock.ui.Views;

/**
 * A service's form in a modal window over the main one: the launch wizard and the Edit form. Each loads its view with
 * its model and the model's parts, opens no smaller than its minimum size, and keeps its window open while its work (a
 * launch, a save) is under way, so that the user sees how that work ends.
 */
public final class FormDialog {

    /** The controller of a form's view. */
    public interface Form {

        /** True while the form's work is under way: its window refuses to close meanwhile. */
        ObservableBooleanValue busyProperty();

        /** Called once with the form's window, before it shows; the form closes it when it is done. */
        void attach(Stage window);
    }

    private FormDialog() {
    }

    /**
     * Opens the form {@code view} (e.g. {@code detail/edit_service.fxml}) over {@code owner} and shows it.
     *
     * @param scoped the form's model and its parts, for the controllers of the view and of its includes
     */
    public static Stage open(UiContext context, Window owner, String title, String view, double minWidth, double minHeight,
                             Object... scoped) {
        FxThread.check();
        Views.Loaded<Form> loaded = context.views().load(view, scoped);
        Stage window = context.dialog(owner, title, loaded.root());
        window.setMinWidth(minWidth);
        window.setMinHeight(minHeight);
        Form form = loaded.controller();
        window.setOnCloseRequest(e -> {
            if (form.busyProperty().get()) {
                e.consume();
            }
        });
        form.attach(window);
        window.show();
        return window;
    }
}
