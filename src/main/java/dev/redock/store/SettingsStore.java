package dev.redock.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Optional;

/** Small named settings shared by every process on the data folder (the poll interval, ...). */
public final class SettingsStore {

    private final Database db;

    public SettingsStore(Database db) {
        this.db = db;
    }

    public Optional<String> get(String name) {
        return db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT setting_value FROM setting WHERE setting_key = ?")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
                }
            }
        });
    }

    public void put(String name, String value) {
        db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("MERGE INTO setting (setting_key, setting_value) KEY (setting_key) VALUES (?, ?)")) {
                ps.setString(1, name);
                ps.setString(2, value);
                return ps.executeUpdate();
            }
        });
    }
}
