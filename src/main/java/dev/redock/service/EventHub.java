package dev.redock.service;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.redock.model.DeployEvents;
import dev.redock.model.Deployment;
import dev.redock.model.Service;

/** Hands every event to every subscriber; a subscriber that throws is logged and does not stop the others. */
public final class EventHub implements DeployEvents {

    private static final Logger LOG = LoggerFactory.getLogger(EventHub.class);

    private final List<DeployEvents> subscribers = new CopyOnWriteArrayList<>();

    public AutoCloseable subscribe(DeployEvents subscriber) {
        subscribers.add(subscriber);
        return () -> subscribers.remove(subscriber);
    }

    @Override
    public void deploymentStarted(Service service, Deployment deployment) {
        each(s -> s.deploymentStarted(service, deployment));
    }

    @Override
    public void deploymentFinished(Service service, Deployment deployment) {
        each(s -> s.deploymentFinished(service, deployment));
    }

    @Override
    public void buildOutput(Service service, Deployment deployment, String line, int step, int totalSteps) {
        each(s -> s.buildOutput(service, deployment, line, step, totalSteps));
    }

    @Override
    public void servicesChanged() {
        each(DeployEvents::servicesChanged);
    }

    private void each(Consumer<DeployEvents> call) {
        for (DeployEvents s : subscribers) {
            try {
                call.accept(s);
            } catch (RuntimeException e) {
                LOG.warn("An event subscriber failed", e);
            }
        }
    }
}
