package dev.redock.ui.detail;

import java.util.UUID;

import javafx.scene.Parent;

import dev.redock.ui.UiContext;
import dev.redock.ui.Views;

/**
 * One service's page as the main window shows it: its view, and the models its sections share (the service with its
 * history, containers, build and logs; its triggers), made fresh for the page and closed with it.
 */
public final class ServicePage implements AutoCloseable {

    private final Views.Loaded<ServiceDetailController> view;
    private final DetailModel model;
    private final TriggersModel triggers;
    private final Runnable stopFollowingEngines;

    private ServicePage(Views.Loaded<ServiceDetailController> view, DetailModel model, TriggersModel triggers,
                        Runnable stopFollowingEngines) {
        this.view = view;
        this.model = model;
        this.triggers = triggers;
        this.stopFollowingEngines = stopFollowingEngines;
    }

    /** Loads the page of the service {@code serviceId}; it starts reading the service at once. */
    public static ServicePage load(UiContext context, UUID serviceId) {
        DetailModel model = new DetailModel(serviceId, context.core(), context.tasks(), context.events(),
                service -> context.polling().flatMap(s -> s.problem(service)));
        TriggersModel triggers = new TriggersModel(serviceId, context.core(), context.tasks());
        try {
            Views.Loaded<ServiceDetailController> view = context.views().load("detail/service_detail.fxml", model, triggers);
            // An engine that stops answering (or answers again) changes what the page shows: nothing else says so.
            return new ServicePage(view, model, triggers, context.engines().onReachabilityChange(model::refresh));
        } catch (RuntimeException e) {
            triggers.close();
            model.close();
            throw e;
        }
    }

    public Parent root() {
        return view.root();
    }

    /** Reads everything again (F5). */
    public void refresh() {
        view.controller().refresh();
    }

    /** Stops following the service: the page is no longer shown. */
    @Override
    public void close() {
        stopFollowingEngines.run();
        triggers.close();
        model.close();
    }
}
