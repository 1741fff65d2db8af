package dev.redock.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import dev.redock.model.CommitInfo;
import dev.redock.model.DeployPhase;
import dev.redock.model.Deployment;
import dev.redock.model.JournalEntry;
import dev.redock.model.Outcome;
import dev.redock.model.Trigger;

/** The history of deployments: one row per deploy or redeploy, written when it starts and completed when it ends. */
public final class DeploymentStore {

    private static final String COLUMNS = "id, service_id, trigger_kind, old_digest, new_digest, started_at, ended_at, outcome, error,"
            + " commit_sha, commit_author, commit_message, version_tried";
    private static final String JOURNAL_COLUMNS = ", owner, phase, old_container, new_container, old_running, old_restart,"
            + " release_image";
    private static final int AUTHOR_MAX = 512;
    private static final int MESSAGE_MAX = 4000;

    private final Database db;

    public DeploymentStore(Database db) {
        this.db = db;
    }

    /** Records a deployment that is starting; returns its id. */
    public long start(UUID serviceId, Trigger trigger, String oldDigest, String newDigest, Instant now, String owner) {
        return start(serviceId, trigger, oldDigest, newDigest, null, now, owner);
    }

    /** Records a deployment of a commit (services built from source) that is starting; returns its id. */
    public long start(UUID serviceId, Trigger trigger, String oldDigest, String newDigest, CommitInfo commit, Instant now,
                      String owner) {
        return db.withConnection(c -> insert(c, serviceId, trigger, oldDigest, newDigest, now, null, Outcome.RUNNING, null,
                owner, commit));
    }

    /** Records a whole deployment at once (a launch, written in the same transaction as its service). */
    public long insertFinished(Connection c, UUID serviceId, Trigger trigger, String oldDigest, String newDigest,
                               Instant started, Instant ended, Outcome outcome, String error) throws SQLException {
        return insert(c, serviceId, trigger, oldDigest, newDigest, started, ended, outcome, error, null, null);
    }

    /** As {@link #insertFinished(Connection, UUID, Trigger, String, String, Instant, Instant, Outcome, String)}, with the commit built. */
    public long insertFinished(Connection c, UUID serviceId, Trigger trigger, String oldDigest, String newDigest,
                               Instant started, Instant ended, Outcome outcome, String error, CommitInfo commit) throws SQLException {
        return insert(c, serviceId, trigger, oldDigest, newDigest, started, ended, outcome, error, null, commit);
    }

    private static long insert(Connection c, UUID serviceId, Trigger trigger, String oldDigest, String newDigest,
                               Instant started, Instant ended, Outcome outcome, String error, String owner, CommitInfo commit)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO deployment (service_id, trigger_kind, old_digest, new_digest, started_at, ended_at, outcome, error, owner,"
                        + " commit_sha, commit_author, commit_message)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
            ps.setObject(1, serviceId);
            ps.setString(2, trigger.name());
            ps.setString(3, oldDigest);
            ps.setString(4, newDigest);
            ps.setTimestamp(5, Timestamp.from(started));
            ps.setTimestamp(6, ended == null ? null : Timestamp.from(ended));
            ps.setString(7, outcome.name());
            ps.setString(8, error);
            ps.setString(9, owner);
            ps.setString(10, commit == null ? null : commit.sha());
            ps.setString(11, commit == null ? null : truncate(commit.author(), AUTHOR_MAX));
            ps.setString(12, commit == null ? null : truncate(commit.message(), MESSAGE_MAX));
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    /**
     * Completes a deployment record, with the new image's digest when it was only known at the end (a build's image id).
     *
     * @param newDigest    the digest to record, or null to keep the one recorded at the start
     * @param versionTried whether the deployment put its version to the test (see {@link Deployment#versionTried()})
     */
    public void finish(Connection c, long id, Outcome outcome, String error, String newDigest, boolean versionTried, Instant now)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE deployment SET outcome = ?, error = ?, ended_at = ?, new_digest = COALESCE(?, new_digest),"
                        + " version_tried = ?, phase = 'DONE' WHERE id = ?")) {
            ps.setString(1, outcome.name());
            ps.setString(2, error);
            ps.setTimestamp(3, Timestamp.from(now));
            ps.setString(4, newDigest);
            ps.setBoolean(5, versionTried);
            ps.setLong(6, id);
            ps.executeUpdate();
        }
    }

    /** A service's deployments, newest first. */
    public List<Deployment> history(UUID serviceId, int limit) {
        return query("SELECT " + COLUMNS + " FROM deployment WHERE service_id = ? ORDER BY started_at DESC, id DESC LIMIT ?",
                serviceId, limit);
    }

    public Optional<Deployment> latest(UUID serviceId) {
        return history(serviceId, 1).stream().findFirst();
    }

    /** Every service's latest deployment, by service, in one query (a service without any has none here). */
    public java.util.Map<UUID, Deployment> latestOfEach() {
        java.util.Map<UUID, Deployment> latest = new java.util.HashMap<>();
        for (Deployment d : query("SELECT " + COLUMNS + " FROM deployment WHERE id IN (SELECT (SELECT d.id FROM deployment d"
                + " WHERE d.service_id = s.id ORDER BY d.started_at DESC, d.id DESC LIMIT 1) FROM service s)")) {
            latest.put(d.serviceId(), d);
        }
        return latest;
    }

    public Optional<Deployment> find(long id) {
        return query("SELECT " + COLUMNS + " FROM deployment WHERE id = ?", id).stream().findFirst();
    }

    // --- the journal ---------------------------------------------------------------------------------------------

    /**
     * Records the first step on the engine ({@link DeployPhase#PULLED}): the image the new container is made from, and the
     * container the service ran before, as it was, before anything touches it.
     *
     * @param oldContainer the old container's id, or null when the service had none
     * @param oldRestart   its restart policy ({@code name:max}), or null
     */
    public void journalPulled(long id, String oldContainer, boolean oldRunning, String oldRestart, String releaseImage) {
        db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE deployment SET phase = ?, old_container = ?, old_running = ?, old_restart = ?, release_image = ?"
                            + " WHERE id = ?")) {
                ps.setString(1, DeployPhase.PULLED.name());
                ps.setString(2, oldContainer);
                ps.setBoolean(3, oldRunning);
                ps.setString(4, oldRestart);
                ps.setString(5, releaseImage);
                ps.setLong(6, id);
                return ps.executeUpdate();
            }
        });
    }

    /** Records the new container's id as soon as the engine made it ({@link DeployPhase#CREATED}). */
    public void journalCreated(long id, String newContainer) {
        db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE deployment SET phase = ?, new_container = ? WHERE id = ?")) {
                ps.setString(1, DeployPhase.CREATED.name());
                ps.setString(2, newContainer);
                ps.setLong(3, id);
                return ps.executeUpdate();
            }
        });
    }

    /** Records a step that only moves the deployment on (what it works on was recorded before). */
    public void journal(long id, DeployPhase phase) {
        db.withConnection(c -> {
            journal(c, id, phase);
            return null;
        });
    }

    /** Records the version a deployment puts live once it is known (a build's image id is known only after the build). */
    public void noteVersion(long id, String newDigest) {
        db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE deployment SET new_digest = ? WHERE id = ?")) {
                ps.setString(1, newDigest);
                ps.setLong(2, id);
                return ps.executeUpdate();
            }
        });
    }

    /** Records why a deployment is rolling back, and whether its version was to blame, before the rollback begins. */
    public void noteRollback(long id, String reason, boolean versionTried) {
        db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE deployment SET error = ?, version_tried = ? WHERE id = ?")) {
                ps.setString(1, reason);
                ps.setBoolean(2, versionTried);
                ps.setLong(3, id);
                return ps.executeUpdate();
            }
        });
    }

    /** Records a step, in a transaction the caller holds (the commit, written with the service's new version). */
    public void journal(Connection c, long id, DeployPhase phase) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE deployment SET phase = ? WHERE id = ?")) {
            ps.setString(1, phase.name());
            ps.setLong(2, id);
            ps.executeUpdate();
        }
    }

    /** The journal of every deployment still under way (or left under way by a process that stopped), oldest first. */
    public List<JournalEntry> unfinished() {
        return journals("SELECT " + COLUMNS + JOURNAL_COLUMNS + " FROM deployment WHERE outcome = 'RUNNING' ORDER BY id");
    }

    /** The journal of one deployment. */
    public Optional<JournalEntry> journalOf(long id) {
        return journals("SELECT " + COLUMNS + JOURNAL_COLUMNS + " FROM deployment WHERE id = " + id).stream().findFirst();
    }

    private List<JournalEntry> journals(String sql) {
        return db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
                List<JournalEntry> result = new ArrayList<>();
                while (rs.next()) {
                    String phase = rs.getString("phase");
                    result.add(new JournalEntry(map(rs), rs.getString("owner"),
                            phase == null ? DeployPhase.PREPARING : DeployPhase.valueOf(phase),
                            rs.getString("old_container"), rs.getString("new_container"),
                            Boolean.TRUE.equals(rs.getObject("old_running", Boolean.class)), rs.getString("old_restart"),
                            rs.getString("release_image")));
                }
                return result;
            }
        });
    }

    private static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }

    /** A deployment and the process that ran it ({@code pid@host#n}; null for a launch). */
    public record Owned(Deployment deployment, String owner) {
    }

    /**
     * Deployments newer than {@code afterId}, and those among {@code ids} (ones seen under way before), with who ran them:
     * what a window needs to hear of deployments made by other processes.
     */
    public List<Owned> since(long afterId, java.util.Collection<Long> ids) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + ", owner FROM deployment WHERE id > ?");
        ids.forEach(id -> sql.append(" OR id = ").append(id.longValue()));
        sql.append(" ORDER BY id");
        return db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                ps.setLong(1, afterId);
                try (ResultSet rs = ps.executeQuery()) {
                    List<Owned> result = new ArrayList<>();
                    while (rs.next()) {
                        result.add(new Owned(map(rs), rs.getString("owner")));
                    }
                    return result;
                }
            }
        });
    }

    private static Deployment map(ResultSet rs) throws SQLException {
        Timestamp ended = rs.getTimestamp("ended_at");
        String sha = rs.getString("commit_sha");
        return new Deployment(
                rs.getLong("id"),
                rs.getObject("service_id", UUID.class),
                Trigger.valueOf(rs.getString("trigger_kind")),
                rs.getString("old_digest"),
                rs.getString("new_digest"),
                rs.getTimestamp("started_at").toInstant(),
                ended == null ? null : ended.toInstant(),
                Outcome.valueOf(rs.getString("outcome")),
                rs.getString("error"),
                sha == null ? null : new CommitInfo(sha, rs.getString("commit_author"), rs.getString("commit_message")),
                rs.getBoolean("version_tried"));
    }

    private List<Deployment> query(String sql, Object... args) {
        return db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < args.length; i++) {
                    ps.setObject(i + 1, args[i]);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    List<Deployment> result = new ArrayList<>();
                    while (rs.next()) {
                        result.add(map(rs));
                    }
                    return result;
                }
            }
        });
    }
}
