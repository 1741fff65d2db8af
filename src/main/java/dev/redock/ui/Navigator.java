package dev.redock.ui;

import java.util.UUID;

import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.scene.Parent;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;

import dev.redock.ui.detail.EditServiceDialog;
import dev.redock.ui.detail.ServicePage;
import dev.redock.ui.launch.LaunchWizard;

/**
 * Where the user is: the service list or one service's page, in the main window's content area; and the dialogs opened
 * from there (the launch wizard, the edit form). The pages reach it as their {@link Navigation}.
 */
public final class Navigator implements Navigation {

    public enum Page {
        LIST, DETAIL
    }

    private final UiContext context;
    private final Views views;
    private final ReadOnlyObjectWrapper<Page> page = new ReadOnlyObjectWrapper<>(this, "page", Page.LIST);
    private final ReadOnlyObjectWrapper<UUID> shownService = new ReadOnlyObjectWrapper<>(this, "shownService");
    private Stage stage;
    private StackPane content;
    private Parent listPage;
    private ServicePage detail;

    public Navigator(UiContext context, Views views) {
        this.context = context;
        this.views = views;
    }

    /** Called once by the main window with its stage and content area. */
    public void attach(Stage owner, StackPane area) {
        this.stage = owner;
        this.content = area;
        listPage = views.load("services/service_list.fxml").root();
        showList();
    }

    public Stage stage() {
        return stage;
    }

    public ReadOnlyObjectProperty<Page> pageProperty() {
        return page.getReadOnlyProperty();
    }

    /** The service whose page is shown, or null on the list. */
    public ReadOnlyObjectProperty<UUID> shownServiceProperty() {
        return shownService.getReadOnlyProperty();
    }

    @Override
    public void showList() {
        FxThread.check();
        closeDetail();
        content.getChildren().setAll(listPage);
        page.set(Page.LIST);
        shownService.set(null);
    }

    @Override
    public void showDetail(UUID serviceId) {
        FxThread.check();
        closeDetail();
        detail = ServicePage.load(context, serviceId);
        content.getChildren().setAll(detail.root());
        page.set(Page.DETAIL);
        shownService.set(serviceId);
    }

    /** Asks the page shown to read everything again (F5). */
    public void refreshShown(Runnable refreshList) {
        if (detail != null) {
            detail.refresh();
        }
        refreshList.run();
    }

    @Override
    public void openLaunchWizard() {
        FxThread.check();
        LaunchWizard.open(context, stage);
    }

    @Override
    public void openEditor(UUID serviceId) {
        FxThread.check();
        EditServiceDialog.open(context, stage, serviceId);
    }

    private void closeDetail() {
        if (detail != null) {
            detail.close();
            detail = null;
        }
    }

    /** Closes what the navigator holds (the shown page's listeners). */
    public void close() {
        closeDetail();
    }
}
