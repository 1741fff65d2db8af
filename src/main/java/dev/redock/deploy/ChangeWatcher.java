package dev.redock.deploy;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.redock.store.Database;

/**
 * Notices changes made by other processes on the same data folder (the CLI, the agent, the API served elsewhere) and
 * tells this process's subscribers, so an open window shows them within a second. Changes made in this process are
 * announced directly by the core; this only covers the rest.
 *
 * <p>It reads a small fingerprint of the database twice a second: how many services there are and when the last one
 * changed, the newest deployment and how many are under way.
 */
public final class ChangeWatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ChangeWatcher.class);
    private static final String FINGERPRINT = "SELECT (SELECT COUNT(*) FROM service), (SELECT MAX(updated_at) FROM service),"
            + " (SELECT MAX(id) FROM deployment), (SELECT COUNT(*) FROM deployment WHERE ended_at IS NULL),"
            + " (SELECT MAX(ended_at) FROM deployment)";

    private final Database db;
    private final DeployEvents events;
    private final ScheduledExecutorService timer;
    private volatile String last;

    public ChangeWatcher(Database db, DeployEvents events) {
        this.db = db;
        this.events = events;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "redock-change-watcher");
            t.setDaemon(true);
            return t;
        });
    }

    public ChangeWatcher start() {
        last = fingerprint();
        timer.scheduleWithFixedDelay(this::check, 500, 500, TimeUnit.MILLISECONDS);
        return this;
    }

    private void check() {
        try {
            String now = fingerprint();
            if (!Objects.equals(now, last)) {
                last = now;
                events.servicesChanged();
            }
        } catch (RuntimeException e) {
            LOG.debug("Cannot read the change fingerprint: {}", e.getMessage());
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
