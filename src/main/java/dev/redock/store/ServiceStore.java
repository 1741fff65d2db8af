package dev.redock.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;

import dev.redock.model.ContainerSpec;
import dev.redock.model.GitSource;
import dev.redock.model.ImageRef;
import dev.redock.model.Json;
import dev.redock.model.Service;
import dev.redock.model.Trigger;

/** Services, and the cross-process deployment lock that keeps two deployments of one service from running at once. */
public final class ServiceStore {

    private static final String COLUMNS = "id, name, image, spec, autoredeploy, digest, created_at, updated_at, git_source, git_commit, engine, adopted_container, min_uptime_ms";

    private final Database db;

    public ServiceStore(Database db) {
        this.db = db;
    }

    public List<Service> all() {
        return query("SELECT " + COLUMNS + " FROM service ORDER BY name");
    }

    public List<Service> withAutoredeploy() {
        return query("SELECT " + COLUMNS + " FROM service WHERE autoredeploy ORDER BY name");
    }

    public Optional<Service> find(UUID id) {
        return query("SELECT " + COLUMNS + " FROM service WHERE id = ?", id).stream().findFirst();
    }

    public Optional<Service> findByName(String name) {
        return query("SELECT " + COLUMNS + " FROM service WHERE name = ?", name).stream().findFirst();
    }

    /** Finds a service by its name, its uuid, or a unique prefix of its uuid (at least 6 characters), as the CLI takes it. */
    public Optional<Service> resolve(String nameOrId) {
        Optional<Service> byName = findByName(nameOrId);
        if (byName.isPresent()) {
            return byName;
        }
        try {
            return find(UUID.fromString(nameOrId));
        } catch (IllegalArgumentException notAUuid) {
            if (nameOrId.length() >= 6 && nameOrId.matches("[0-9a-fA-F-]+")) {
                List<Service> matches = query("SELECT " + COLUMNS + " FROM service WHERE CAST(id AS VARCHAR) LIKE ?",
                        nameOrId.toLowerCase(java.util.Locale.ROOT) + "%");
                return matches.size() == 1 ? Optional.of(matches.get(0)) : Optional.empty();
            }
            return Optional.empty();
        }
    }

    /** Writes a new service; refuses a name that is taken. Use inside a transaction to write its first deployment with it. */
    public void insert(Connection c, Service s) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO service (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setObject(1, s.id());
            ps.setString(2, s.name());
            ps.setString(3, s.image().canonical());
            ps.setString(4, specJson(s.spec()));
            ps.setBoolean(5, s.autoredeploy());
            ps.setString(6, s.digest());
            ps.setTimestamp(7, Timestamp.from(s.created()));
            ps.setTimestamp(8, Timestamp.from(s.updated()));
            ps.setString(9, s.git() == null ? null : gitJson(s.git()));
            ps.setString(10, s.commit());
            ps.setString(11, s.engine());
            ps.setString(12, s.adopted());
            ps.setObject(13, millis(s.minUptime()));
            ps.executeUpdate();
        } catch (SQLException e) {
            if (isUniqueViolation(e)) {
                throw new NameTakenException(s.name());
            }
            throw e;
        }
    }

    /** Writes new services together: all of them, or none when one cannot be written (a name taken meanwhile). */
    public void insertAll(List<Service> all) {
        db.inTransaction(c -> {
            for (Service s : all) {
                insert(c, s);
            }
            return null;
        });
    }

    /**
     * Saves the editable settings (image, spec, autoredeploy, git source, minimum uptime); returns false when the service
     * no longer exists.
     */
    public boolean update(Service s) {
        return db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE service SET image = ?, spec = ?, autoredeploy = ?,"
                    + " updated_at = ?, git_source = ?, min_uptime_ms = ? WHERE id = ?")) {
                ps.setString(1, s.image().canonical());
                ps.setString(2, specJson(s.spec()));
                ps.setBoolean(3, s.autoredeploy());
                ps.setTimestamp(4, Timestamp.from(s.updated()));
                ps.setString(5, s.git() == null ? null : gitJson(s.git()));
                ps.setObject(6, millis(s.minUptime()));
                ps.setObject(7, s.id());
                return ps.executeUpdate() == 1;
            }
        });
    }

    public boolean setAutoredeploy(UUID id, boolean on, Instant now) {
        return db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE service SET autoredeploy = ?, updated_at = ? WHERE id = ?")) {
                ps.setBoolean(1, on);
                ps.setTimestamp(2, Timestamp.from(now));
                ps.setObject(3, id);
                return ps.executeUpdate() == 1;
            }
        });
    }

    /**
     * Records the digest a service runs now, after a deployment went live. Its container is then one Redock made, with
     * Redock's label: an adopted service stops being told apart by its first container's id.
     */
    public void setDigest(Connection c, UUID id, String digest, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE service SET digest = ?, updated_at = ?, adopted_container = NULL WHERE id = ?")) {
            ps.setString(1, digest);
            ps.setTimestamp(2, Timestamp.from(now));
            ps.setObject(3, id);
            ps.executeUpdate();
        }
    }

    /** Records what a service built from source runs now: the built image, its id, and the commit it was built from. */
    public void setBuild(Connection c, UUID id, ImageRef image, String imageId, String commit, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE service SET image = ?, digest = ?, git_commit = ?, updated_at = ?, adopted_container = NULL WHERE id = ?")) {
            ps.setString(1, image.canonical());
            ps.setString(2, imageId);
            ps.setString(3, commit);
            ps.setTimestamp(4, Timestamp.from(now));
            ps.setObject(5, id);
            ps.executeUpdate();
        }
    }

    /** Marks a service as being removed, with whether its volumes go too, so a removal cut short is finished later. */
    public void markRemoving(UUID id, boolean volumes) {
        db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE service SET removing = ? WHERE id = ?")) {
                ps.setString(1, volumes ? "volumes" : "keep");
                ps.setObject(2, id);
                return ps.executeUpdate();
            }
        });
    }

    /** The services whose removal was begun, with whether their volumes go too. */
    public java.util.Map<UUID, Boolean> removing() {
        return db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id, removing FROM service WHERE removing IS NOT NULL");
                 ResultSet rs = ps.executeQuery()) {
                java.util.Map<UUID, Boolean> result = new java.util.LinkedHashMap<>();
                while (rs.next()) {
                    result.put(rs.getObject(1, UUID.class), "volumes".equals(rs.getString(2)));
                }
                return result;
            }
        });
    }

    public boolean delete(UUID id) {
        return db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM service WHERE id = ?")) {
                ps.setObject(1, id);
                return ps.executeUpdate() == 1;
            }
        });
    }

    // --- the deployment lock -------------------------------------------------------------------------------------

    /** How long a lock taken without a lease of its own lasts (tests and one-shot callers). */
    public static final java.time.Duration DEFAULT_LEASE = java.time.Duration.ofSeconds(60);

    /** Takes the service's deployment lock for owner with the default lease; false when another owner holds it. */
    public boolean tryLock(UUID id, String owner, Instant now) {
        return tryLock(id, owner, now, now.plus(DEFAULT_LEASE));
    }

    /**
     * Takes the service's deployment lock for owner until {@code expires} (the holder renews it while it works): a free
     * lock, or one whose lease ran out. False when another owner holds a lease that is still good.
     */
    public boolean tryLock(UUID id, String owner, Instant now, Instant expires) {
        return db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE service SET lock_owner = ?, locked_at = ?, lock_expires_at = ? WHERE id = ?"
                            + " AND (lock_owner IS NULL OR lock_expires_at IS NULL OR lock_expires_at < ?)")) {
                ps.setString(1, owner);
                ps.setTimestamp(2, Timestamp.from(now));
                ps.setTimestamp(3, Timestamp.from(expires));
                ps.setObject(4, id);
                ps.setTimestamp(5, Timestamp.from(now));
                return ps.executeUpdate() == 1;
            }
        });
    }

    /** Extends the lease of every lock the owner holds; returns how many it holds. */
    public int renewLocks(String owner, Instant expires) {
        return db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE service SET lock_expires_at = ? WHERE lock_owner = ?")) {
                ps.setTimestamp(1, Timestamp.from(expires));
                ps.setString(2, owner);
                return ps.executeUpdate();
            }
        });
    }

    /** Who holds the service's deployment lock, if anyone. */
    public Optional<String> lockOwner(UUID id) {
        return lock(id).map(Lock::owner);
    }

    /** The service's deployment lock, if anyone holds it. */
    public Optional<Lock> lock(UUID id) {
        return db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT lock_owner, locked_at, lock_expires_at, pending_trigger FROM service WHERE id = ?")) {
                ps.setObject(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next() || rs.getString(1) == null) {
                        return Optional.<Lock>empty();
                    }
                    Timestamp locked = rs.getTimestamp(2);
                    Timestamp expires = rs.getTimestamp(3);
                    String pending = rs.getString(4);
                    return Optional.of(new Lock(rs.getString(1), locked == null ? null : locked.toInstant(),
                            expires == null ? null : expires.toInstant(), pending == null ? null : Trigger.valueOf(pending)));
                }
            }
        });
    }

    /**
     * A held deployment lock.
     *
     * @param expires when its lease runs out unless its holder renews it (null: taken before leases, counts as run out)
     * @param pending the follow-up asked for meanwhile, if any
     */
    public record Lock(String owner, Instant locked, Instant expires, Trigger pending) {

        /** Whether the lease still holds at {@code now}. */
        public boolean leaseHolds(Instant now) {
            return expires != null && !expires.isBefore(now);
        }
    }

    /** Releases a lock whose owner is gone (a process that died mid-deployment). */
    public boolean breakLock(UUID id, String deadOwner) {
        return db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE service SET lock_owner = NULL, locked_at = NULL, lock_expires_at = NULL"
                            + " WHERE id = ? AND lock_owner = ?")) {
                ps.setObject(1, id);
                ps.setString(2, deadOwner);
                return ps.executeUpdate() == 1;
            }
        });
    }

    /**
     * Asks the lock's holder for one more deployment when it is done. Later asks fold into that one, which keeps the
     * strongest intent (a user's request beats a poll: see {@link Trigger#strength()}).
     */
    public void requestFollowUp(UUID id, Trigger trigger) {
        db.inTransaction(c -> {
            String pending;
            try (PreparedStatement ps = c.prepareStatement("SELECT pending_trigger FROM service WHERE id = ? FOR UPDATE")) {
                ps.setObject(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return null;
                    }
                    pending = rs.getString(1);
                }
            }
            Trigger strongest = Trigger.strongest(pending == null ? null : Trigger.valueOf(pending), trigger);
            if (!strongest.name().equals(pending)) {
                try (PreparedStatement ps = c.prepareStatement("UPDATE service SET pending_trigger = ? WHERE id = ?")) {
                    ps.setString(1, strongest.name());
                    ps.setObject(2, id);
                    ps.executeUpdate();
                }
            }
            return null;
        });
    }

    /**
     * Takes a requested follow-up away to run it now (the caller holds the lock and is about to deploy anyway); returns it,
     * if one was asked for.
     */
    public Optional<Trigger> takeFollowUp(UUID id) {
        return db.inTransaction(c -> {
            String pending;
            try (PreparedStatement ps = c.prepareStatement("SELECT pending_trigger FROM service WHERE id = ? FOR UPDATE")) {
                ps.setObject(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    pending = rs.next() ? rs.getString(1) : null;
                }
            }
            if (pending == null) {
                return Optional.<Trigger>empty();
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE service SET pending_trigger = NULL WHERE id = ?")) {
                ps.setObject(1, id);
                ps.executeUpdate();
            }
            return Optional.of(Trigger.valueOf(pending));
        });
    }

    /**
     * Ends the owner's hold on the lock: if a follow-up was asked for meanwhile, the lock stays with the owner and the
     * follow-up's trigger is returned; otherwise the lock is released.
     */
    public Optional<Trigger> releaseOrTakeFollowUp(UUID id, String owner) {
        return db.inTransaction(c -> {
            String pending;
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT pending_trigger FROM service WHERE id = ? AND lock_owner = ? FOR UPDATE")) {
                ps.setObject(1, id);
                ps.setString(2, owner);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.<Trigger>empty();
                    }
                    pending = rs.getString(1);
                }
            }
            if (pending != null) {
                try (PreparedStatement ps = c.prepareStatement("UPDATE service SET pending_trigger = NULL WHERE id = ?")) {
                    ps.setObject(1, id);
                    ps.executeUpdate();
                }
                return Optional.of(Trigger.valueOf(pending));
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE service SET lock_owner = NULL, locked_at = NULL, lock_expires_at = NULL WHERE id = ?")) {
                ps.setObject(1, id);
                ps.executeUpdate();
            }
            return Optional.<Trigger>empty();
        });
    }

    /** Releases the owner's lock whatever is pending (a follow-up asked for stays asked for). */
    public void release(UUID id, String owner) {
        db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE service SET lock_owner = NULL, locked_at = NULL, lock_expires_at = NULL"
                            + " WHERE id = ? AND lock_owner = ?")) {
                ps.setObject(1, id);
                ps.setString(2, owner);
                return ps.executeUpdate();
            }
        });
    }

    /** The services with a follow-up asked for and nobody holding their lock: a request nobody is left to run. */
    public List<UUID> orphanedFollowUps() {
        return db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id FROM service WHERE pending_trigger IS NOT NULL AND lock_owner IS NULL");
                 ResultSet rs = ps.executeQuery()) {
                List<UUID> ids = new ArrayList<>();
                while (rs.next()) {
                    ids.add(rs.getObject(1, UUID.class));
                }
                return ids;
            }
        });
    }

    // --- mapping -----------------------------------------------------------------------------------------------

    private List<Service> query(String sql, Object... args) {
        return db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < args.length; i++) {
                    ps.setObject(i + 1, args[i]);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    List<Service> result = new ArrayList<>();
                    while (rs.next()) {
                        result.add(map(rs));
                    }
                    return result;
                }
            }
        });
    }

    private static Service map(ResultSet rs) throws SQLException {
        return new Service(
                rs.getObject("id", UUID.class),
                rs.getString("name"),
                ImageRef.parse(rs.getString("image")),
                parseSpec(rs.getString("spec")),
                rs.getBoolean("autoredeploy"),
                rs.getString("digest"),
                rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant(),
                parseGit(rs.getString("git_source")),
                rs.getString("git_commit"),
                rs.getString("engine"),
                rs.getString("adopted_container"),
                rs.getObject("min_uptime_ms") == null ? null : java.time.Duration.ofMillis(rs.getLong("min_uptime_ms")));
    }

    /** A minimum uptime as stored: whole milliseconds, or null for Redock's default. */
    private static Long millis(java.time.Duration d) {
        return d == null ? null : d.toMillis();
    }

    static String gitJson(GitSource git) {
        try {
            return Json.mapper().writeValueAsString(git);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a git source as JSON", e);
        }
    }

    static GitSource parseGit(String json) {
        if (json == null) {
            return null;
        }
        try {
            return Json.mapper().readValue(json, GitSource.class);
        } catch (JsonProcessingException e) {
            throw new StoreException("a stored git source cannot be read: " + e.getOriginalMessage(), e);
        }
    }

    static String specJson(ContainerSpec spec) {
        try {
            return Json.mapper().writeValueAsString(spec);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a container spec as JSON", e);
        }
    }

    static ContainerSpec parseSpec(String json) {
        try {
            return Json.mapper().readValue(json, ContainerSpec.class);
        } catch (JsonProcessingException e) {
            throw new StoreException("a stored container spec cannot be read: " + e.getOriginalMessage(), e);
        }
    }

    static boolean isUniqueViolation(SQLException e) {
        return "23505".equals(e.getSQLState());
    }
}
