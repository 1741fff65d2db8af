package dev.redock.store;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.h2.engine.SysProperties;
import org.h2.jdbcx.JdbcConnectionPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The H2 file database in the data folder, its schema made and upgraded by Flyway migrations.
 *
 * <p>H2's mixed mode ({@code AUTO_SERVER}) lets the window, the agent and the CLI open the same file at once: the first
 * process serves it, the others connect to that process, and whichever stays takes over when the first exits. That
 * server listens on 127.0.0.1 only (H2 would listen on every interface), and admits only who knows the password kept in
 * the data folder ({@link DatabasePassword}); the folder and the files in it are the user's alone ({@link PrivateFiles}).
 * Every commit is written to the file before it returns, so what a process committed survives its being killed.
 *
 * <p>The process that serves the database does not take the server away from the others' work: when it closes the
 * database, it first waits for the sessions other processes have on its server to end (a bounded wait, said after a
 * moment), then closes it while no process can make a first connection ({@link OpeningLock}); a process that comes after
 * opens the file itself. It does not wait for a window or an agent ({@link CommandTurn#markResident}), which keeps
 * running: H2 connects their sessions again, to the file itself. A process killed meanwhile takes its server with it all
 * the same: the others then fail their current statement and connect again.
 */
public final class Database implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Database.class);
    /** The system property H2 takes the address its servers listen on from. */
    static final String BIND_ADDRESS_PROPERTY = "h2.bindAddress";
    static final String USER = "redock";
    private static final AtomicBoolean WARNED_BIND_ADDRESS = new AtomicBoolean();
    /** How long closing waits at most for other processes' sessions on this process's server. */
    static final Duration OTHERS_WAIT = Duration.ofSeconds(120);
    /** How long closing waits at most for another process's first connection to be made. */
    private static final Duration OPENING_WAIT = Duration.ofSeconds(10);
    /**
     * The databases open in this process, by file, and how many times each: only the last to close can take the database
     * (and its server) away (the tests open one data folder several times in one JVM).
     */
    private static final Map<Path, Integer> OPEN = new HashMap<>();

    static {
        // H2 reads its system properties once, when its SysProperties class initialises: this runs before Redock touches
        // any H2 class. An address the user set on the command line stays.
        if (System.getProperty(BIND_ADDRESS_PROPERTY) == null) {
            System.setProperty(BIND_ADDRESS_PROPERTY, "127.0.0.1");
        }
    }

    /**
     * The newest of the migrations in {@code db/migration}, kept here so that a start need not list them ({@code
     * SchemaCheckTest} checks it against the folder): a database whose history has it applied is not migrated.
     */
    static final String NEWEST_MIGRATION = "8";

    private final JdbcConnectionPool pool;
    private final Path file;
    private final Path folder;
    /** Where closing says that it waits for other processes, or gives up on them. */
    private final Consumer<String> say;

    private Database(JdbcConnectionPool pool, Path folder, Consumer<String> say) {
        this.pool = pool;
        this.folder = folder;
        this.file = folder.resolve("redock.mv.db").toAbsolutePath().normalize();
        this.say = say;
        synchronized (OPEN) {
            OPEN.merge(file, 1, Integer::sum);
        }
    }

    /**
     * Opens (creating if needed) {@code redock.mv.db} in the given folder and brings its schema up to date; the folder
     * and the files in it are made the user's alone.
     */
    public static Database open(Path dataFolder) {
        return open(dataFolder, "", line -> LOG.info("{}", line));
    }

    /**
     * Opens the database as {@link #open} does, for a process that runs one CLI command and exits. When such a process is
     * the one that opened the file, closing it does not spend H2's {@code MAX_COMPACT_TIME} (200 ms) moving data to shrink
     * the file: the space it leaves is reused by the next writes, and the window and the agent compact when they close.
     * {@code say} gets a line when closing waits for other commands working on the database through this one's server.
     */
    public static Database openForOneCommand(Path dataFolder, Consumer<String> say) {
        return open(dataFolder, ";MAX_COMPACT_TIME=0", say);
    }

    /** @param settings more of H2's settings for the URL, each after a {@code ;} */
    private static Database open(Path dataFolder, String settings, Consumer<String> say) {
        Path folder;
        try {
            folder = PrivateFiles.folder(dataFolder);
        } catch (IOException e) {
            throw new StoreException("cannot create the data folder " + dataFolder + ": " + e.getMessage(), e);
        }
        warnIfServedEverywhere();
        String password = DatabasePassword.stored(folder);
        Path base = folder.resolve("redock");
        // WRITE_DELAY=0: a commit reaches the file before it returns. H2 otherwise writes commits in the background up to
        // half a second later, and a killed process would lose the last steps of a deployment's journal.
        // Settings such as MAX_COMPACT_TIME hold for as long as the process that opened the file serves it; those of the
        // processes that connect to it meanwhile are ignored.
        String url = "jdbc:h2:file:" + base + ";AUTO_SERVER=TRUE;LOCK_TIMEOUT=10000;WRITE_DELAY=0" + settings;
        JdbcConnectionPool pool = JdbcConnectionPool.create(url, USER, password);
        pool.setMaxConnections(16);
        try {
            DatabasePassword.acceptedBy(pool, url, password, folder, base);
            if (!schemaCurrent(pool)) {
                Flyway.configure()
                        .dataSource(pool)
                        .locations("classpath:db/migration")
                        .load()
                        .migrate();
            }
        } catch (StoreException e) {
            pool.dispose();
            throw new StoreException("cannot open the database " + base + ".mv.db: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            pool.dispose();
            throw new StoreException("cannot open the database " + base + ".mv.db: " + rootMessage(e), e);
        }
        tighten(folder);
        LOG.debug("Opened {}", url);
        return new Database(pool, folder, say);
    }

    /**
     * Whether the schema already has every migration this Redock knows, read from Flyway's history without Flyway: its
     * {@code migrate()} lists and checks every migration on the class path at each start, which cost a CLI command more
     * than half a second. Not current when there is no history yet, when a migration failed (Flyway then says what to do),
     * or when the newest one is missing; a database a later Redock migrated further is current (Flyway, too, leaves
     * migrations it does not know alone).
     */
    static boolean schemaCurrent(DataSource source) {
        try (Connection c = source.getConnection()) {
            // Asked first rather than caught: H2 writes every failed statement to a trace file in the data folder.
            try (ResultSet table = c.getMetaData().getTables(null, null, "flyway_schema_history", null)) {
                if (!table.next()) {
                    return false;
                }
            }
            return historyHasNewest(c);
        } catch (SQLException | NumberFormatException unreadable) {
            return false;
        }
    }

    private static boolean historyHasNewest(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet history = s.executeQuery("SELECT \"version\", \"success\" FROM \"flyway_schema_history\"")) {
            boolean newest = false;
            while (history.next()) {
                if (!history.getBoolean(2)) {
                    return false;
                }
                String version = history.getString(1);
                newest |= version != null && compareVersions(version, NEWEST_MIGRATION) >= 0;
            }
            return newest;
        }
    }

    /** Compares migration versions as Flyway does: dotted numbers, part by part ({@code 7 < 7.1 < 10}). */
    static int compareVersions(String a, String b) {
        String[] x = a.split("[._]");
        String[] y = b.split("[._]");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            BigInteger p = i < x.length ? new BigInteger(x[i]) : BigInteger.ZERO;
            BigInteger q = i < y.length ? new BigInteger(y[i]) : BigInteger.ZERO;
            int c = p.compareTo(q);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    /** H2 was loaded before this class could name 127.0.0.1 (by something else in this JVM): say so, once. */
    private static void warnIfServedEverywhere() {
        if (SysProperties.BIND_ADDRESS == null && WARNED_BIND_ADDRESS.compareAndSet(false, true)) {
            LOG.warn("H2 was loaded before Redock could set {}: the database's server listens on every interface (still"
                    + " behind its password)", BIND_ADDRESS_PROPERTY);
        }
    }

    /** The database files H2 has just made (and the rest of the folder) lose the umask's access for group and others. */
    private static void tighten(Path folder) {
        try {
            PrivateFiles.tighten(folder);
        } catch (IOException e) {
            LOG.warn("Cannot make the files in {} readable by their user alone: {}", folder, e.getMessage());
        }
    }

    public Connection connection() throws SQLException {
        return pool.getConnection();
    }

    public Path file() {
        return file;
    }

    /** Runs work in one transaction: all of it is written, or none. */
    public <T> T inTransaction(SqlFunction<Connection, T> work) {
        try (Connection c = connection()) {
            c.setAutoCommit(false);
            try {
                T result = work.apply(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException(e.getMessage(), e);
        }
    }

    /** Runs one statement or query outside an explicit transaction. */
    public <T> T withConnection(SqlFunction<Connection, T> work) {
        try (Connection c = connection()) {
            return work.apply(c);
        } catch (SQLException e) {
            throw new StoreException(e.getMessage(), e);
        }
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }

    /**
     * Closes the database. When this process serves it to others, it first waits for their sessions on its server to end,
     * for at most {@link #OTHERS_WAIT}, saying so after a moment; past that it closes all the same, and says so.
     */
    @Override
    public void close() {
        synchronized (OPEN) {
            if (OPEN.merge(file, -1, Integer::sum) > 0) {
                pool.dispose(); // another of this process's databases on the file keeps it, and its server
                return;
            }
            OPEN.remove(file);
        }
        try {
            Boolean closed = Waiting.until(System.nanoTime() + OTHERS_WAIT.toNanos(),
                    () -> say.accept("waiting for another redock command to finish with the database, which this process"
                            + " serves (at most " + OTHERS_WAIT.toSeconds() + " s)"),
                    this::closeIfAlone);
            if (closed == null) {
                say.accept("stopped waiting after " + OTHERS_WAIT.toSeconds() + " s for another redock command to finish"
                        + " with the database: if it fails now, run it again");
            }
        } catch (IOException cannotHappen) {
            throw new IllegalStateException(cannotHappen);
        } finally {
            pool.dispose();
        }
    }

    /** Closes the database if it is {@link #alone}; null otherwise. */
    private Boolean closeIfAlone() {
        boolean[] closed = {false};
        // While no other process can make its first connection: none starts to rely on this server as it goes away.
        OpeningLock.holding(folder, System.nanoTime() + OPENING_WAIT.toNanos(), () -> {
            if (alone()) {
                pool.dispose();
                closed[0] = true;
            }
        });
        return closed[0] ? Boolean.TRUE : null;
    }

    /**
     * Whether closing can take the database server away from nobody: no other process has a session on it, or one that
     * does is a window or an agent, which keeps running (it would keep this process waiting) and takes the database over:
     * H2 connects its sessions again, to the file itself.
     */
    private boolean alone() {
        return othersOnThisServer() == 0 || CommandTurn.residentElsewhere(folder);
    }

    /**
     * How many sessions other processes have on the database server of this process: none when another process serves it
     * (this process's own session then came through that server, as theirs did) or when the database cannot say.
     */
    private int othersOnThisServer() {
        // H2 names the server a session came through; this process's own sessions came through none when it serves.
        String sql = "SELECT COUNT(*) FROM INFORMATION_SCHEMA.SESSIONS WHERE SERVER IS NOT NULL AND EXISTS (SELECT 1 FROM"
                + " INFORMATION_SCHEMA.SESSIONS WHERE SESSION_ID = SESSION_ID() AND SERVER IS NULL)";
        try (Connection c = pool.getConnection(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            return r.next() ? r.getInt(1) : 0;
        } catch (SQLException e) {
            LOG.debug("Cannot tell whether other processes use this one's database server: {}", e.toString());
            return 0;
        }
    }

    /** A function over a JDBC resource that may throw {@link SQLException}. */
    @FunctionalInterface
    public interface SqlFunction<A, R> {
        R apply(A a) throws SQLException;
    }
}
