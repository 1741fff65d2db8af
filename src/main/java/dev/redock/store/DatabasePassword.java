package dev.redock.store;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import org.h2.api.ErrorCode;
import org.h2.jdbcx.JdbcConnectionPool;
import org.h2.jdbcx.JdbcDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The database's password: random, made on first use and kept in {@code db-password} in the data folder ({@code 0600}),
 * so that the server through which Redock's processes share the database admits the user's own processes only.
 *
 * <p>Databases made before it have an empty password; the first process to open one sets it. The order makes a stop at
 * any point harmless: the file is written whole and to disk before the database changes, and opening tries the stored
 * password, then the empty one (and sets the stored one), then the stored one again (another process may have set it
 * meanwhile). So the database always takes one of the two, and every process that starts at the same time reads the same
 * file. Processes make that first connection one at a time ({@link OpeningLock}), and retry while another holds H2's lock
 * file without serving the database.
 */
final class DatabasePassword {

    static final String FILE = "db-password";
    private static final Logger LOG = LoggerFactory.getLogger(DatabasePassword.class);
    /** How many times "stored, then empty" is tried while other processes may be setting the password too. */
    private static final int ROUNDS = 3;
    /** How long opening waits for another process that holds the file but does not serve it yet. */
    private static final Duration OPENING = Duration.ofSeconds(30);
    private static final Duration RETRY = Duration.ofMillis(100);

    private DatabasePassword() {
    }

    /** The password kept in the data folder, made now if there is none yet. */
    static String stored(Path folder) {
        Path file = folder.resolve(FILE);
        try {
            return PrivateFiles.secret(file);
        } catch (PrivateFiles.UnusableSecretException e) {
            throw new StoreException(e.getMessage() + ": the database takes only the password that was in it; put the file"
                    + " back from a copy of the data folder", e);
        } catch (IOException e) {
            throw new StoreException("cannot read or make the database's password " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Makes sure the database takes the stored password (the pool's), setting it on a database that still has the empty
     * one; returns once the pool opened a connection with it.
     *
     * @param base where the database's files start, {@code <folder>/redock}
     */
    static void acceptedBy(JdbcConnectionPool pool, String url, String password, Path folder, Path base) {
        long deadline = System.nanoTime() + OPENING.toNanos();
        OpeningLock.opening(folder, base, deadline, () -> settle(pool, url, password, folder, deadline));
    }

    private static void settle(JdbcConnectionPool pool, String url, String password, Path folder, long deadline) {
        for (int round = 1; ; round++) {
            try {
                whileOpenedElsewhere(deadline, () -> {
                    pool.getConnection().close();
                    return null;
                });
                return;
            } catch (SQLException e) {
                if (!wrongPassword(e)) {
                    throw new StoreException(e.getMessage(), e);
                }
                if (round > ROUNDS) {
                    throw new StoreException("the database in " + folder + " takes neither the password in " + FILE
                            + " nor the empty one: put " + FILE + " back from a copy of the data folder", e);
                }
            }
            setFromEmpty(url, password, folder, deadline);
        }
    }

    /** Sets the stored password on a database that has none; does nothing when the empty one is refused (already set). */
    private static void setFromEmpty(String url, String password, Path folder, long deadline) {
        JdbcDataSource empty = new JdbcDataSource();
        empty.setURL(url);
        empty.setUser(Database.USER);
        empty.setPassword("");
        try {
            whileOpenedElsewhere(deadline, () -> {
                try (Connection c = empty.getConnection(); Statement st = c.createStatement()) {
                    // The password is URL-safe base64 (PrivateFiles checks it): nothing in it can leave the quotes.
                    st.execute("ALTER USER " + Database.USER + " SET PASSWORD '" + password + "'");
                }
                return null;
            });
            LOG.info("Set a password on the database in {} (it had none); it is kept in {}", folder, FILE);
        } catch (SQLException e) {
            if (!wrongPassword(e)) {
                throw new StoreException(e.getMessage(), e);
            }
        }
    }

    /**
     * Runs the call, and again a moment later while another process holds H2's lock file but does not serve the database
     * (yet, or any more: a CLI command that just ended, say). Gives up at the deadline.
     */
    private static <T> T whileOpenedElsewhere(long deadline, SqlCall<T> call) throws SQLException {
        while (true) {
            try {
                return call.run();
            } catch (SQLException e) {
                if (!openedOrClosedElsewhere(e) || System.nanoTime() > deadline) {
                    throw e;
                }
            }
            try {
                Thread.sleep(RETRY.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StoreException("interrupted while opening the database", e);
            }
        }
    }

    /** A call to the database that may throw {@link SQLException}. */
    @FunctionalInterface
    private interface SqlCall<T> {
        T run() throws SQLException;
    }

    /** H2's words for a lock file another process holds without serving, or for its server going away meanwhile. */
    private static boolean openedOrClosedElsewhere(SQLException e) {
        return e.getErrorCode() == ErrorCode.DATABASE_ALREADY_OPEN_1 || e.getErrorCode() == ErrorCode.CONNECTION_BROKEN_1;
    }

    private static boolean wrongPassword(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getErrorCode() == ErrorCode.WRONG_USER_OR_PASSWORD) {
                return true;
            }
        }
        return false;
    }
}
