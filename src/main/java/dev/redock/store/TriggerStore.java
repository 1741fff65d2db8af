package dev.redock.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import dev.redock.model.RedeployTrigger;
import dev.redock.model.ValidationException;

/**
 * Redeploy triggers and push-webhook secrets. A trigger's token is never stored: only its SHA-256, which is what a call
 * is looked up by (the lookup compares hashes, so a wrong token reveals nothing about a right one).
 */
public final class TriggerStore {

    private final Database db;

    public TriggerStore(Database db) {
        this.db = db;
    }

    public void insert(RedeployTrigger t, String token) {
        db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO redeploy_trigger (id, service_id, name, token_hash, created_at) VALUES (?, ?, ?, ?, ?)")) {
                ps.setObject(1, t.id());
                ps.setObject(2, t.serviceId());
                ps.setString(3, t.name());
                ps.setString(4, hash(token));
                ps.setTimestamp(5, Timestamp.from(t.created()));
                ps.executeUpdate();
            } catch (SQLException e) {
                if (ServiceStore.isUniqueViolation(e)) {
                    throw new ValidationException("name", "this service already has a trigger named \"" + t.name() + "\"");
                }
                throw e;
            }
            return null;
        });
    }

    public List<RedeployTrigger> list(UUID serviceId) {
        return query("SELECT id, service_id, name, created_at, last_called FROM redeploy_trigger WHERE service_id = ? ORDER BY created_at",
                serviceId);
    }

    /**
     * The trigger of this service whose token this is, if any. Every trigger's hash is compared, each in constant time,
     * so neither the answer's timing nor the database's index walk says anything about the right token.
     */
    public Optional<RedeployTrigger> findByToken(UUID serviceId, String token) {
        byte[] wanted = hash(token).getBytes(StandardCharsets.US_ASCII);
        return db.withConnection(c -> {
            RedeployTrigger match = null;
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id, service_id, name, created_at, last_called, token_hash FROM redeploy_trigger WHERE service_id = ?")) {
                ps.setObject(1, serviceId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        byte[] stored = rs.getString("token_hash").getBytes(StandardCharsets.US_ASCII);
                        if (MessageDigest.isEqual(stored, wanted) && match == null) {
                            Timestamp last = rs.getTimestamp("last_called");
                            match = new RedeployTrigger(rs.getObject("id", UUID.class), serviceId, rs.getString("name"),
                                    rs.getTimestamp("created_at").toInstant(), last == null ? null : last.toInstant());
                        }
                    }
                }
            }
            return Optional.ofNullable(match);
        });
    }

    public void markCalled(UUID triggerId, Instant now) {
        db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE redeploy_trigger SET last_called = ? WHERE id = ?")) {
                ps.setTimestamp(1, Timestamp.from(now));
                ps.setObject(2, triggerId);
                return ps.executeUpdate();
            }
        });
    }

    /** Revokes a trigger by its id or its name; false when the service has no such trigger. */
    public boolean delete(UUID serviceId, String idOrName) {
        return db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "DELETE FROM redeploy_trigger WHERE service_id = ? AND (CAST(id AS VARCHAR) = ? OR name = ?)")) {
                ps.setObject(1, serviceId);
                ps.setString(2, idOrName);
                ps.setString(3, idOrName);
                return ps.executeUpdate() > 0;
            }
        });
    }

    /** The service's push-webhook secret, made on first use. */
    public String webhookSecret(UUID serviceId, java.util.function.Supplier<String> newSecret, Instant now) {
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT secret FROM webhook_secret WHERE service_id = ? FOR UPDATE")) {
                ps.setObject(1, serviceId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        return rs.getString(1);
                    }
                }
            }
            String secret = newSecret.get();
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO webhook_secret (service_id, secret, created_at) VALUES (?, ?, ?)")) {
                ps.setObject(1, serviceId);
                ps.setString(2, secret);
                ps.setTimestamp(3, Timestamp.from(now));
                ps.executeUpdate();
            }
            return secret;
        });
    }

    /** The service's push-webhook secret, if one was made. */
    public Optional<String> existingWebhookSecret(UUID serviceId) {
        return db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT secret FROM webhook_secret WHERE service_id = ?")) {
                ps.setObject(1, serviceId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
                }
            }
        });
    }

    private List<RedeployTrigger> query(String sql, Object... args) {
        return db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < args.length; i++) {
                    ps.setObject(i + 1, args[i]);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    List<RedeployTrigger> result = new ArrayList<>();
                    while (rs.next()) {
                        Timestamp last = rs.getTimestamp("last_called");
                        result.add(new RedeployTrigger(rs.getObject("id", UUID.class), rs.getObject("service_id", UUID.class),
                                rs.getString("name"), rs.getTimestamp("created_at").toInstant(),
                                last == null ? null : last.toInstant()));
                    }
                    return result;
                }
            }
        });
    }

    static String hash(String token) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }
}
