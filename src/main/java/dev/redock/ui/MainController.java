package dev.redock.ui;

import javafx.beans.binding.Bindings;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;

import atlantafx.base.controls.ToggleSwitch;
import org.kordamp.ikonli.javafx.FontIcon;

import dev.redock.ui.services.ServicesModel;

/**
 * The main window: a header, the content area (the list or a service's page), the banner floating over the content's bottom
 * right corner (so that a message coming or fading away never moves the page under the pointer), and the status bar.
 */
public final class MainController {

    private final Navigator navigator;
    private final ServicesModel services;
    private final StatusModel status;
    private final Notifier notifier;
    private final Theme theme;
    private final UiContext context;

    @FXML private StackPane content;
    @FXML private HBox banner;
    @FXML private Label bannerText;
    @FXML private FontIcon bannerIcon;
    @FXML private Hyperlink bannerOpen;
    @FXML private Region engineDot;
    @FXML private Label engineStatus;
    @FXML private Label schedulerStatus;
    @FXML private ToggleSwitch pauseSwitch;
    @FXML private Label serviceCount;
    @FXML private Button themeButton;
    @FXML private FontIcon themeIcon;

    public MainController(UiContext context, Navigator navigator, ServicesModel services, StatusModel status, Notifier notifier,
                          Theme theme) {
        this.context = context;
        this.navigator = navigator;
        this.services = services;
        this.status = status;
        this.notifier = notifier;
        this.theme = theme;
    }

    @FXML
    private void initialize() {
        engineStatus.textProperty().bind(status.engineTextProperty());
        status.engineDetailsProperty().addListener((obs, old, details) -> engineStatus.setTooltip(
                details == null ? null : new javafx.scene.control.Tooltip(details + "\n(click for the engines in Settings)")));
        engineStatus.setCursor(javafx.scene.Cursor.HAND);
        engineStatus.setOnMouseClicked(e -> dev.redock.ui.settings.SettingsDialog.openEngines(context, navigator.stage()));
        engineDot.getStyleClass().add("engine-dot");
        status.engineUpProperty().addListener((obs, was, up) -> engineState(up));
        engineState(status.engineUpProperty().get());
        schedulerStatus.textProperty().bind(status.schedulerTextProperty());
        pauseSwitch.selectedProperty().bindBidirectional(status.pausedProperty());
        pauseSwitch.setDisable(!status.hasScheduler());
        serviceCount.textProperty().bind(Bindings.createStringBinding(() -> {
            int n = services.rows().size();
            return n + (n == 1 ? " service" : " services");
        }, services.rows()));

        banner.managedProperty().bind(banner.visibleProperty());
        banner.setVisible(false);
        bannerOpen.managedProperty().bind(bannerOpen.visibleProperty());
        bannerOpen.setVisible(false);
        notifier.noteProperty().addListener((obs, old, note) -> showNote(note));
        services.problemProperty().addListener((obs, old, p) -> {
            if (p != null) {
                notifier.error(p);
            }
        });
        theme.variantProperty().addListener((obs, old, v) -> themeIcon());
        themeIcon();
    }

    private void themeIcon() {
        themeIcon.setIconLiteral(theme.variant() == Theme.Variant.DARK ? "mdmz-wb_sunny" : "mdmz-nights_stay");
    }

    private void engineState(boolean up) {
        engineDot.pseudoClassStateChanged(javafx.css.PseudoClass.getPseudoClass("up"), up);
        engineDot.pseudoClassStateChanged(javafx.css.PseudoClass.getPseudoClass("down"), !up);
    }

    private void showNote(Notifier.Note note) {
        banner.getStyleClass().removeAll("info", "success", "warning", "error");
        if (note == null) {
            banner.setVisible(false);
            return;
        }
        banner.getStyleClass().add(note.kind().name().toLowerCase(java.util.Locale.ROOT));
        bannerIcon.setIconLiteral(switch (note.kind()) {
            case INFO -> "mdal-info";
            case SUCCESS -> "mdal-check_circle";
            case WARNING -> "mdmz-warning";
            case ERROR -> "mdal-error_outline";
        });
        bannerText.setText(note.text());
        bannerOpen.setVisible(note.open() != null);
        banner.setVisible(true);
    }

    void attach(Stage stage) {
        navigator.attach(stage, content);
    }

    /** F5: reads the list (and what is not followed, once looked at), the shown page and the engine's state again. */
    void refresh() {
        navigator.refreshShown(() -> {
            services.refresh();
            context.notFollowed().refreshIfWanted();
        });
        status.ping();
    }

    @FXML
    private void dismissBanner() {
        notifier.dismiss();
    }

    /** The banner's "Show" link: opens what the message is about, and the message has done its job. */
    @FXML
    private void openBanner() {
        Notifier.Note note = notifier.noteProperty().get();
        notifier.dismiss();
        if (note != null && note.open() != null) {
            note.open().run();
        }
    }

    @FXML
    private void openSettings() {
        dev.redock.ui.settings.SettingsDialog.open(context, navigator.stage());
    }

    @FXML
    private void toggleTheme() {
        theme.toggle();
    }
}
