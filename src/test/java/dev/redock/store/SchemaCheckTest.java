package dev.redock.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Comparator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcConnectionPool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opening the database skips Flyway when the schema already has every migration: the check that decides it, on real H2
 * files migrated by Flyway as far as each case needs.
 */
class SchemaCheckTest {

    private static final Path MIGRATIONS = Path.of("src", "main", "resources", "db", "migration");

    @TempDir
    Path home;

    private JdbcConnectionPool pool;

    @BeforeEach
    void openAnEmptyDatabase() {
        pool = JdbcConnectionPool.create("jdbc:h2:file:" + home.toAbsolutePath().resolve("schema"), "redock", "");
    }

    @AfterEach
    void close() {
        pool.dispose();
    }

    private void migrate(String target) {
        Flyway.configure().dataSource(pool).locations("classpath:db/migration").target(target).load().migrate();
    }

    private void execute(String sql) throws Exception {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    @Test
    void aDatabaseWithoutHistoryIsNotCurrent() {
        assertThat(Database.schemaCurrent(pool)).isFalse();
    }

    @Test
    void aDatabaseWithEveryMigrationIsCurrent() {
        migrate("latest");
        assertThat(Database.schemaCurrent(pool)).isTrue();
    }

    @Test
    void aDatabaseOneMigrationBehindIsNotCurrent() {
        migrate(String.valueOf(Integer.parseInt(Database.NEWEST_MIGRATION) - 1));
        assertThat(Database.schemaCurrent(pool)).isFalse();
    }

    @Test
    void aDatabaseWithAFailedMigrationIsNotCurrentSoThatFlywaySaysWhatToDo() throws Exception {
        migrate("latest");
        execute("UPDATE \"flyway_schema_history\" SET \"success\" = FALSE WHERE \"version\" = '2'");
        assertThat(Database.schemaCurrent(pool)).isFalse();
    }

    @Test
    void aDatabaseALaterRedockMigratedFurtherIsCurrent() throws Exception {
        migrate("latest");
        execute("INSERT INTO \"flyway_schema_history\" (\"installed_rank\", \"version\", \"description\", \"type\","
                + " \"script\", \"checksum\", \"installed_by\", \"execution_time\", \"success\") VALUES (100, '"
                + Database.NEWEST_MIGRATION + ".1', 'later', 'SQL', 'V" + Database.NEWEST_MIGRATION
                + ".1__later.sql', 0, 'redock', 1, TRUE)");
        assertThat(Database.schemaCurrent(pool)).isTrue();
    }

    @Test
    void theNewestMigrationItKnowsIsTheNewestInTheMigrationsFolder() throws IOException {
        Pattern name = Pattern.compile("V([0-9._]+)__.*\\.sql");
        String newest;
        try (Stream<Path> files = Files.list(MIGRATIONS)) {
            newest = files.map(f -> name.matcher(f.getFileName().toString()))
                    .filter(Matcher::matches)
                    .map(m -> m.group(1))
                    .max(Comparator.comparing(v -> v, Database::compareVersions))
                    .orElseThrow();
        }
        assertThat(newest).as("Database.NEWEST_MIGRATION must name the newest file in %s", MIGRATIONS)
                .isEqualTo(Database.NEWEST_MIGRATION);
    }

    @Test
    void comparesVersionsAsFlywayDoes() {
        assertThat(Database.compareVersions("7", "7")).isZero();
        assertThat(Database.compareVersions("7", "7.0")).isZero();
        assertThat(Database.compareVersions("7", "7.1")).isNegative();
        assertThat(Database.compareVersions("7.1", "10")).isNegative();
        assertThat(Database.compareVersions("10", "9")).isPositive();
    }
}
