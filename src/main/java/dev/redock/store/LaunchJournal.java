package dev.redock.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Launches under way. A launch's container exists before its service is written (the service is written only once the
 * container runs), so a launch cut short would leave a container no service owns, under the name the user wanted; this row
 * says which container to remove.
 */
public final class LaunchJournal {

    private final Database db;

    public LaunchJournal(Database db) {
        this.db = db;
    }

    /**
     * A launch under way.
     *
     * @param container the container's id, or null before it was created
     * @param engine    the engine it is under way on
     */
    public record Entry(UUID serviceId, String name, String container, String owner, Instant started, String engine) {
    }

    public void begin(UUID serviceId, String name, String engine, String owner, Instant now) {
        db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO launch_journal (service_id, name, owner, started_at, engine) VALUES (?, ?, ?, ?, ?)")) {
                ps.setObject(1, serviceId);
                ps.setString(2, name);
                ps.setString(3, owner);
                ps.setTimestamp(4, Timestamp.from(now));
                ps.setString(5, engine);
                return ps.executeUpdate();
            }
        });
    }

    public void created(UUID serviceId, String container) {
        db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE launch_journal SET container = ? WHERE service_id = ?")) {
                ps.setString(1, container);
                ps.setObject(2, serviceId);
                return ps.executeUpdate();
            }
        });
    }

    /** Ends the launch's entry in the caller's transaction (the one that writes the service). */
    public void end(Connection c, UUID serviceId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM launch_journal WHERE service_id = ?")) {
            ps.setObject(1, serviceId);
            ps.executeUpdate();
        }
    }

    public void end(UUID serviceId) {
        db.withConnection(c -> {
            end(c, serviceId);
            return null;
        });
    }

    public List<Entry> all() {
        return db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT service_id, name, container, owner, started_at, engine FROM launch_journal ORDER BY started_at");
                 ResultSet rs = ps.executeQuery()) {
                List<Entry> result = new ArrayList<>();
                while (rs.next()) {
                    result.add(new Entry(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getTimestamp(5).toInstant(), rs.getString(6)));
                }
                return result;
            }
        });
    }
}
