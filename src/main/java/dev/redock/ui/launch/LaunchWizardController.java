package dev.redock.ui.launch;

import java.util.List;

import javafx.beans.binding.Bindings;
import javafx.beans.value.ObservableBooleanValue;
import javafx.css.PseudoClass;
import javafx.fxml.FXML;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.layout.HBox;
import javafx.stage.Stage;

import dev.redock.ui.Navigation;
import dev.redock.ui.form.FormDialog;
import dev.redock.ui.services.ServicesModel;

/**
 * The launch wizard's frame: the step indicator, the three steps (each its own view on the shared {@link LaunchModel}),
 * and Back, Next, Launch and Cancel. Next is disabled unless the step is valid; Enter presses Next (or Launch), Escape
 * cancels; Back keeps everything typed.
 */
public final class LaunchWizardController implements FormDialog.Form {

    private static final PseudoClass ACTIVE = PseudoClass.getPseudoClass("active");
    private static final PseudoClass DONE = PseudoClass.getPseudoClass("done");

    private final LaunchModel model;
    private final Navigation navigation;
    private final ServicesModel services;
    private Stage stage;

    @FXML private HBox stepSource;
    @FXML private HBox stepConfig;
    @FXML private HBox stepReview;
    @FXML private Node sourceStep;
    @FXML private Node configStep;
    @FXML private Node reviewStep;
    @FXML private SourceStepController sourceStepController;
    @FXML private ConfigStepController configStepController;
    @FXML private Button backButton;
    @FXML private Button nextButton;
    @FXML private Button launchButton;
    @FXML private Button cancelButton;

    public LaunchWizardController(LaunchModel model, Navigation navigation, ServicesModel services) {
        this.model = model;
        this.navigation = navigation;
        this.services = services;
    }

    @FXML
    private void initialize() {
        List<Node> steps = List.of(sourceStep, configStep, reviewStep);
        List<HBox> indicators = List.of(stepSource, stepConfig, stepReview);
        for (int i = 0; i < steps.size(); i++) {
            int index = i;
            steps.get(i).visibleProperty().bind(model.stepProperty().isEqualTo(index));
            steps.get(i).managedProperty().bind(steps.get(i).visibleProperty());
        }
        model.stepProperty().addListener((obs, old, now) -> {
            showStep(indicators, now.intValue());
            focusStep(now.intValue());
        });
        showStep(indicators, model.stepProperty().get());

        backButton.disableProperty().bind(model.canGoBackProperty().not());
        nextButton.disableProperty().bind(model.canGoNextProperty().not());
        nextButton.visibleProperty().bind(model.stepProperty().lessThan(LaunchModel.REVIEW));
        nextButton.managedProperty().bind(nextButton.visibleProperty());
        nextButton.defaultButtonProperty().bind(nextButton.visibleProperty());
        launchButton.visibleProperty().bind(model.stepProperty().isEqualTo(LaunchModel.REVIEW));
        launchButton.managedProperty().bind(launchButton.visibleProperty());
        launchButton.defaultButtonProperty().bind(launchButton.visibleProperty());
        launchButton.disableProperty().bind(model.launchingProperty().or(model.launchedProperty().isNotNull()));
        launchButton.textProperty().bind(Bindings.when(model.launchErrorProperty().isNotNull())
                .then("Try again").otherwise("Launch"));
        cancelButton.disableProperty().bind(model.launchingProperty());

        model.launchedProperty().addListener((obs, old, service) -> {
            if (service != null) {
                stage.close();
                services.refresh();
                navigation.showDetail(service.id());
            }
        });
    }

    private static void showStep(List<HBox> indicators, int current) {
        for (int i = 0; i < indicators.size(); i++) {
            indicators.get(i).pseudoClassStateChanged(ACTIVE, i == current);
            indicators.get(i).pseudoClassStateChanged(DONE, i < current);
        }
    }

    private void focusStep(int step) {
        if (step == LaunchModel.SOURCE) {
            sourceStepController.focusFirst();
        } else if (step == LaunchModel.CONFIG) {
            configStepController.focusFirst();
        } else {
            launchButton.requestFocus();
        }
    }

    @Override
    public ObservableBooleanValue busyProperty() {
        return model.launchingProperty();
    }

    @Override
    public void attach(Stage window) {
        this.stage = window;
        stage.setOnShown(e -> sourceStepController.focusFirst());
    }

    @FXML
    private void back() {
        model.back();
    }

    @FXML
    private void next() {
        model.next();
    }

    @FXML
    private void launch() {
        model.launch();
    }

    @FXML
    private void cancel() {
        if (!model.launchingProperty().get()) {
            stage.close();
        }
    }
}
