package dev.redock.deploy;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.redock.model.DeployEvents;
import dev.redock.model.Deployment;
import dev.redock.model.Outcome;
import dev.redock.model.Service;
import dev.redock.model.Trigger;
import dev.redock.store.Database;
import dev.redock.store.DeploymentStore;
import dev.redock.store.ServiceStore;

/**
 * Notices changes made by other processes on the same data folder (the CLI, the agent, the API served elsewhere) and
 * tells this process's subscribers, so an open window shows them within a second, and its tray notifies of the
 * deployments an agent makes. Changes made in this process are announced directly by the core; this only covers the rest.
 *
 * <p>It reads a small fingerprint of the database twice a second: how many services there are and when the last one
 * changed, the newest deployment and how many are under way. Only when that moves does it read which deployments
 * started or ended, and announces those that another process ran.
 */
public final class ChangeWatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ChangeWatcher.class);
    private static final String FINGERPRINT = "SELECT (SELECT COUNT(*) FROM service), (SELECT MAX(updated_at) FROM service),"
            + " (SELECT MAX(id) FROM deployment), (SELECT COUNT(*) FROM deployment WHERE ended_at IS NULL),"
            + " (SELECT MAX(ended_at) FROM deployment)";

    private final Database db;
    private final DeploymentStore deployments;
    private final ServiceStore services;
    private final DeployEvents events;
    private final Predicate<String> mine;
    private final ScheduledExecutorService timer;
    private final Set<Long> underWay = new HashSet<>();
    private volatile String last;
    private long newest;

    /**
     * @param mine tells the deployments this process ran (by their owner), which the core announces itself
     */
    public ChangeWatcher(Database db, DeploymentStore deployments, ServiceStore services, DeployEvents events,
                         Predicate<String> mine) {
        this.db = db;
        this.deployments = deployments;
        this.services = services;
        this.events = events;
        this.mine = mine;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "redock-change-watcher");
            t.setDaemon(true);
            return t;
        });
    }

    public ChangeWatcher start() {
        last = fingerprint();
        for (DeploymentStore.Owned o : deployments.since(0, Set.of())) {
            newest = Math.max(newest, o.deployment().id());
            if (o.deployment().outcome() == Outcome.RUNNING) {
                underWay.add(o.deployment().id());
            }
        }
        timer.scheduleWithFixedDelay(this::check, 500, 500, TimeUnit.MILLISECONDS);
        return this;
    }

    private void check() {
        try {
            String now = fingerprint();
            if (!Objects.equals(now, last)) {
                last = now;
                announceDeployments();
                events.servicesChanged();
            }
        } catch (RuntimeException e) {
            LOG.debug("Cannot read the change fingerprint: {}", e.getMessage());
        }
    }

    /** Announces what other processes' deployments did since the last look. */
    private void announceDeployments() {
        long before = newest;
        for (DeploymentStore.Owned o : deployments.since(before, Set.copyOf(underWay))) {
            Deployment d = o.deployment();
            newest = Math.max(newest, d.id());
            boolean running = d.outcome() == Outcome.RUNNING;
            // Started: the first time it is seen under way. Finished: seen under way before, or new and already over.
            boolean news = running ? underWay.add(d.id()) : underWay.remove(d.id()) || d.id() > before;
            if (!news || d.trigger() == Trigger.LAUNCH || (o.owner() != null && mine.test(o.owner()))) {
                continue;
            }
            Optional<Service> service = services.find(d.serviceId());
            if (service.isEmpty()) {
                continue;
            }
            if (running) {
                events.deploymentStarted(service.get(), d);
            } else {
                events.deploymentFinished(service.get(), d);
            }
        }
    }

    private String fingerprint() {
        return db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(FINGERPRINT); ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1) + "|" + rs.getString(2) + "|" + rs.getString(3) + "|" + rs.getString(4) + "|" + rs.getString(5);
            }
        });
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
