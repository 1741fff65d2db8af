package dev.redock.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.redock.model.EngineEntry;
import dev.redock.model.ValidationException;

/** The user's list of engines. The default one is always there; an engine that services run on cannot be removed. */
public final class EngineStore {

    private final Database db;

    public EngineStore(Database db) {
        this.db = db;
    }

    /** Every engine, the default one first, then by name. */
    public List<EngineEntry> all() {
        return db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT name, kind, target, tls_dir FROM engine ORDER BY CASE WHEN kind = 'CURRENT' THEN 0 ELSE 1 END, name");
                 ResultSet rs = ps.executeQuery()) {
                List<EngineEntry> result = new ArrayList<>();
                while (rs.next()) {
                    result.add(new EngineEntry(rs.getString(1), EngineEntry.Kind.valueOf(rs.getString(2)), rs.getString(3),
                            rs.getString(4)));
                }
                return result;
            }
        });
    }

    public Optional<EngineEntry> find(String name) {
        return all().stream().filter(e -> e.name().equals(name)).findFirst();
    }

    /** Adds an engine; refuses a name that is taken. */
    public void add(EngineEntry entry, Instant now) {
        db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO engine (name, kind, target, tls_dir, added_at) VALUES (?, ?, ?, ?, ?)")) {
                ps.setString(1, entry.name());
                ps.setString(2, entry.kind().name());
                ps.setString(3, entry.target());
                ps.setString(4, entry.tlsDir());
                ps.setTimestamp(5, Timestamp.from(now));
                return ps.executeUpdate();
            } catch (SQLException e) {
                if (ServiceStore.isUniqueViolation(e)) {
                    throw new ValidationException("engine", "an engine named \"" + entry.name() + "\" already exists");
                }
                throw e;
            }
        });
    }

    /**
     * Removes an engine no service runs on. Returns false when there was none of that name; refuses the default engine and
     * one that services still run on (the database's foreign key keeps the second true against every process).
     */
    public boolean remove(String name) {
        return db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM engine WHERE name = ? AND kind <> 'CURRENT'")) {
                ps.setString(1, name);
                return ps.executeUpdate() == 1;
            } catch (SQLException e) {
                if ("23503".equals(e.getSQLState())) {
                    throw new ValidationException("engine", "services still run on engine \"" + name
                            + "\": remove them first");
                }
                throw e;
            }
        });
    }

    /** How many services run on each engine that has any. */
    public java.util.Map<String, Integer> serviceCounts() {
        return db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT engine, COUNT(*) FROM service GROUP BY engine");
                 ResultSet rs = ps.executeQuery()) {
                java.util.Map<String, Integer> counts = new java.util.HashMap<>();
                while (rs.next()) {
                    counts.put(rs.getString(1), rs.getInt(2));
                }
                return counts;
            }
        });
    }
}
