package dev.redock.ui;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import javafx.application.Platform;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.redock.model.DeployEvents;
import dev.redock.model.Deployment;
import dev.redock.model.Service;
import dev.redock.service.EventHub;

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

    /**
     * Lines of a build's output for one deployment of a service, gathered: the core reports every line on its I/O
     * thread, and they reach the FX thread in batches, at most once per frame.
     *
     * @param step       the builder's step at the last of these lines, 0 before the first
     * @param totalSteps how many steps the build has, 0 while unknown
     */
    public record BuildOutput(UUID serviceId, long deploymentId, List<String> lines, int step, int totalSteps) {
    }

    private record BuildLine(UUID serviceId, long deploymentId, String line, int step, int totalSteps) {
    }

    private final List<Consumer<Change>> listeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<BuildOutput>> buildListeners = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<BuildLine> buildLines = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean buildPosted = new AtomicBoolean();
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
            public void buildOutput(Service service, Deployment deployment, String line, int step, int totalSteps) {
                buildLines.add(new BuildLine(service.id(), deployment == null ? 0 : deployment.id(), line, step, totalSteps));
                if (!buildPosted.getAndSet(true)) {
                    Platform.runLater(CoreEvents.this::deliverBuildOutput);
                }
            }

            @Override
            public void servicesChanged() {
                post(new Change(null, null));
            }
        });
    }

    private void deliverBuildOutput() {
        buildPosted.set(false);
        List<BuildOutput> batches = new ArrayList<>();
        BuildLine first = null;
        List<String> lines = new ArrayList<>();
        BuildLine last = null;
        for (BuildLine l; (l = buildLines.poll()) != null; ) {
            if (first != null && (!first.serviceId().equals(l.serviceId()) || first.deploymentId() != l.deploymentId())) {
                batches.add(new BuildOutput(first.serviceId(), first.deploymentId(), List.copyOf(lines), last.step(), last.totalSteps()));
                lines.clear();
                first = null;
            }
            if (first == null) {
                first = l;
            }
            lines.add(l.line());
            last = l;
        }
        if (first != null) {
            batches.add(new BuildOutput(first.serviceId(), first.deploymentId(), List.copyOf(lines), last.step(), last.totalSteps()));
        }
        for (BuildOutput b : batches) {
            for (Consumer<BuildOutput> l : buildListeners) {
                l.accept(b);
            }
        }
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

    /** Calls {@code listener} on the FX thread with every batch of build output; returns what stops it. */
    public Runnable listenBuilds(Consumer<BuildOutput> listener) {
        buildListeners.add(listener);
        return () -> buildListeners.remove(listener);
    }

    @Override
    public void close() {
        listeners.clear();
        buildListeners.clear();
        try {
            subscription.close();
        } catch (Exception e) {
            LOG.debug("Unsubscribing from the core's events failed", e);
        }
    }
}
