package dev.redock.ui;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import javafx.application.Platform;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.redock.deploy.DeployEvents;
import dev.redock.deploy.EventHub;
import dev.redock.model.Deployment;
import dev.redock.model.Service;

/**
 * The core's events, handed over to the FX thread. The core calls on its worker threads; listeners here are always called
 * on the FX thread, so the window changes by itself when a deployment happens without ever polling the database.
 */
public final class CoreEvents implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CoreEvents.class);

    /** Something about a service changed; {@code serviceId} is null when it may be any (or several) of them. */
    public record Change(UUID serviceId, Deployment deployment) {

        public boolean concerns(UUID id) {
            return serviceId == null || serviceId.equals(id);
        }
    }

    private final List<Consumer<Change>> listeners = new CopyOnWriteArrayList<>();
    private final AutoCloseable subscription;

    public CoreEvents(EventHub hub) {
        subscription = hub.subscribe(new DeployEvents() {
            @Override
            public void deploymentStarted(Service service, Deployment deployment) {
                post(new Change(service.id(), deployment));
            }

            @Override
            public void deploymentFinished(Service service, Deployment deployment) {
                post(new Change(service.id(), deployment));
            }

            @Override
            public void servicesChanged() {
                post(new Change(null, null));
            }
        });
    }

    private void post(Change change) {
        Platform.runLater(() -> {
            for (Consumer<Change> l : listeners) {
                l.accept(change);
            }
        });
    }

    /** Calls {@code listener} on the FX thread at every change; returns what stops it. */
    public Runnable listen(Consumer<Change> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    @Override
    public void close() {
        listeners.clear();
        try {
            subscription.close();
        } catch (Exception e) {
            LOG.debug("Unsubscribing from the core's events failed", e);
        }
    }
}
