package dev.redock.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcConnectionPool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.redock.model.ContainerSpec;
import dev.redock.model.Deployment;
import dev.redock.model.EngineEntry;
import dev.redock.model.ImageRef;
import dev.redock.model.DeployPhase;
import dev.redock.model.JournalEntry;
import dev.redock.model.Outcome;
import dev.redock.model.PortBinding;
import dev.redock.model.RestartPolicy;
import dev.redock.model.Service;
import dev.redock.model.Trigger;
import dev.redock.model.VolumeBinding;

class StoreTest {

    @TempDir
    Path home;

    private final Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    /** A service written to the store. */
    private Service inserted(Database db, ServiceStore services, String name) {
        Service s = service(name);
        db.inTransaction(c -> {
            services.insert(c, s);
            return null;
        });
        return s;
    }

    private Service service(String name) {
        ContainerSpec spec = new ContainerSpec(List.of(PortBinding.parse("8080:80")), Map.of("MODE", "prod"),
                List.of(VolumeBinding.parse("/srv:/data:ro")), List.of("httpd", "-f"), RestartPolicy.parse("always"),
                Map.of("team", "web"), List.of(), 20);
        return new Service(UUID.randomUUID(), name, ImageRef.parse("localhost:5000/web:stable"), spec, false,
                "sha256:" + "1".repeat(64), now, now);
    }

    @Test
    void keepsAServicesOwnMinimumUptimeZeroIncludedAndNoneForTheDefault() {
        try (Database db = Database.open(home)) {
            ServiceStore services = new ServiceStore(db);
            Service zero = service("zero").withMinUptime(java.time.Duration.ZERO);
            Service own = service("own").withMinUptime(java.time.Duration.ofMillis(1500));
            Service none = service("none");
            db.inTransaction(c -> {
                services.insert(c, zero);
                services.insert(c, own);
                services.insert(c, none);
                return null;
            });
            assertThat(services.find(zero.id()).orElseThrow().minUptime()).isZero();
            assertThat(services.find(own.id()).orElseThrow().minUptime()).isEqualTo(java.time.Duration.ofMillis(1500));
            assertThat(services.find(none.id()).orElseThrow().minUptime()).isNull();

            assertThat(services.update(own.withMinUptime(null))).isTrue();
            assertThat(services.update(none.withMinUptime(java.time.Duration.ofSeconds(3)))).isTrue();
            assertThat(services.find(own.id()).orElseThrow().minUptime()).isNull();
            assertThat(services.find(none.id()).orElseThrow().minUptime()).isEqualTo(java.time.Duration.ofSeconds(3));
        }
    }

    @Test
    void keepsServicesAndHistoryAcrossReopening() {
        Service web = service("web");
        try (Database db = Database.open(home)) {
            db.inTransaction(c -> {
                new ServiceStore(db).insert(c, web);
                new DeploymentStore(db).insertFinished(c, web.id(), Trigger.LAUNCH, null, web.digest(), now, now, Outcome.SUCCEEDED, null);
                return null;
            });
        }
        try (Database db = Database.open(home)) {
            ServiceStore services = new ServiceStore(db);
            assertThat(services.all()).containsExactly(web);
            assertThat(services.resolve("web")).contains(web);
            assertThat(services.resolve(web.id().toString())).contains(web);
            assertThat(services.resolve(web.id().toString().substring(0, 8))).contains(web);
            assertThat(services.resolve("nope")).isEmpty();
            assertThat(new DeploymentStore(db).history(web.id(), 10))
                    .singleElement()
                    .satisfies(d -> {
                        assertThat(d.trigger()).isEqualTo(Trigger.LAUNCH);
                        assertThat(d.outcome()).isEqualTo(Outcome.SUCCEEDED);
                        assertThat(d.newDigest()).isEqualTo(web.digest());
                    });
        }
    }

    @Test
    void refusesATakenNameAndWritesNothingOfTheRejectedService() {
        try (Database db = Database.open(home)) {
            ServiceStore services = new ServiceStore(db);
            DeploymentStore deployments = new DeploymentStore(db);
            Service first = service("web");
            db.inTransaction(c -> {
                services.insert(c, first);
                return null;
            });
            Service second = service("web");
            assertThatThrownBy(() -> db.inTransaction(c -> {
                deployments.insertFinished(c, first.id(), Trigger.LAUNCH, null, null, now, now, Outcome.SUCCEEDED, null);
                services.insert(c, second);
                return null;
            })).isInstanceOf(NameTakenException.class).hasMessageContaining("already exists");
            assertThat(services.all()).containsExactly(first);
            assertThat(deployments.history(first.id(), 10)).isEmpty();
        }
    }

    @Test
    void lendsTheDeploymentLockToOneOwnerAndFoldsRequestsIntoOneFollowUp() {
        try (Database db = Database.open(home)) {
            ServiceStore services = new ServiceStore(db);
            Service web = inserted(db, services, "web");
            assertThat(services.tryLock(web.id(), "a", now)).isTrue();
            assertThat(services.tryLock(web.id(), "b", now)).isFalse();
            for (int i = 0; i < 10; i++) {
                services.requestFollowUp(web.id(), Trigger.REGISTRY_POLL);
            }
            assertThat(services.releaseOrTakeFollowUp(web.id(), "a")).contains(Trigger.REGISTRY_POLL);
            assertThat(services.lockOwner(web.id())).contains("a");
            assertThat(services.releaseOrTakeFollowUp(web.id(), "a")).isEmpty();
            assertThat(services.lockOwner(web.id())).isEmpty();
            assertThat(services.tryLock(web.id(), "b", now)).isTrue();
        }
    }

    @Test
    void keepsTheJournalOfADeploymentUntilItEnds() {
        try (Database db = Database.open(home)) {
            ServiceStore services = new ServiceStore(db);
            DeploymentStore deployments = new DeploymentStore(db);
            Service web = inserted(db, services, "web");
            long id = deployments.start(web.id(), Trigger.MANUAL, null, null, now, "1:2@host#1");
            deployments.journalPulled(id, "old-id", true, "always", "127.0.0.1:5000/web:1");
            deployments.journalCreated(id, "new-id");
            deployments.journal(id, DeployPhase.OLD_ASIDE);

            JournalEntry j = deployments.unfinished().get(0);
            assertThat(j.phase()).isEqualTo(DeployPhase.OLD_ASIDE);
            assertThat(j.oldContainer()).isEqualTo("old-id");
            assertThat(j.newContainer()).isEqualTo("new-id");
            assertThat(j.oldRunning()).isTrue();
            assertThat(j.oldRestart()).isEqualTo("always");
            assertThat(j.releaseImage()).isEqualTo("127.0.0.1:5000/web:1");
            assertThat(j.owner()).isEqualTo("1:2@host#1");

            db.inTransaction(c -> {
                deployments.finish(c, id, Outcome.INTERRUPTED, "interrupted", null, false, now);
                return null;
            });
            assertThat(deployments.unfinished()).isEmpty();
            assertThat(deployments.journalOf(id).orElseThrow().phase()).isEqualTo(DeployPhase.DONE);
        }
    }

    @Test
    void aFollowUpKeepsTheStrongestIntentAskedFor() {
        try (Database db = Database.open(home)) {
            ServiceStore services = new ServiceStore(db);
            Service web = inserted(db, services, "web");
            assertThat(services.tryLock(web.id(), "a", now)).isTrue();
            services.requestFollowUp(web.id(), Trigger.MANUAL);
            services.requestFollowUp(web.id(), Trigger.REGISTRY_POLL);
            services.requestFollowUp(web.id(), Trigger.API);
            assertThat(services.releaseOrTakeFollowUp(web.id(), "a")).as("a user's request is not turned into a poll")
                    .contains(Trigger.MANUAL);
        }
    }

    @Test
    void aLockWhoseLeaseRanOutIsTakenOver() {
        try (Database db = Database.open(home)) {
            ServiceStore services = new ServiceStore(db);
            Service web = inserted(db, services, "web");
            assertThat(services.tryLock(web.id(), "a", now, now.plusSeconds(30))).isTrue();
            assertThat(services.tryLock(web.id(), "b", now.plusSeconds(20), now.plusSeconds(50))).as("the lease holds").isFalse();
            assertThat(services.renewLocks("a", now.plusSeconds(60))).isEqualTo(1);
            assertThat(services.tryLock(web.id(), "b", now.plusSeconds(45), now.plusSeconds(75))).as("renewed").isFalse();
            assertThat(services.tryLock(web.id(), "b", now.plusSeconds(61), now.plusSeconds(91))).as("ran out").isTrue();
            assertThat(services.lockOwner(web.id())).contains("b");
        }
    }

    @Test
    void anOlderDatabaseLearnsWhichFailedDeploymentsNeverHadTheirVersion() throws Exception {
        Service web = service("web");
        // A data folder as Redock left it before deployments said whether they tried their version.
        JdbcConnectionPool old = JdbcConnectionPool.create("jdbc:h2:file:" + home.toAbsolutePath().resolve("redock"), "redock", "");
        try (Connection c = old.getConnection(); Statement st = c.createStatement()) {
            Flyway.configure().dataSource(old).locations("classpath:db/migration").target("3").load().migrate();
            st.executeUpdate("INSERT INTO service (id, name, image, spec, created_at, updated_at) VALUES ('" + web.id()
                    + "', 'web', 'localhost:5000/web:stable', '{}', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)");
            for (String error : List.of("pull failed: 503 Service Unavailable", "fetch failed: connection refused",
                    "interrupted: the process deploying it stopped", "new container exited with code 1 (rolled back to sha256:1111)")) {
                st.executeUpdate("INSERT INTO deployment (service_id, trigger_kind, started_at, outcome, error) VALUES ('"
                        + web.id() + "', 'REGISTRY_POLL', CURRENT_TIMESTAMP, 'FAILED', '" + error + "')");
            }
        } finally {
            old.dispose();
        }

        try (Database db = Database.open(home)) {
            assertThat(new DeploymentStore(db).history(web.id(), 10))
                    .extracting(d -> d.error().substring(0, d.error().indexOf(' ')), Deployment::versionTried)
                    .containsExactlyInAnyOrder(tuple("pull", false), tuple("fetch", false), tuple("interrupted:", false),
                            tuple("new", true));
        }
    }

    @Test
    void servicesOfAnOlderDatabaseRunOnTheDefaultEngine() throws Exception {
        Service web = service("web");
        // A data folder as Redock left it before it had several engines.
        JdbcConnectionPool old = JdbcConnectionPool.create("jdbc:h2:file:" + home.toAbsolutePath().resolve("redock"), "redock", "");
        try (Connection c = old.getConnection(); Statement st = c.createStatement()) {
            Flyway.configure().dataSource(old).locations("classpath:db/migration").target("5").load().migrate();
            st.executeUpdate("INSERT INTO service (id, name, image, spec, created_at, updated_at) VALUES ('" + web.id()
                    + "', 'web', 'localhost:5000/web:stable', '{}', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)");
        } finally {
            old.dispose();
        }

        try (Database db = Database.open(home)) {
            assertThat(new ServiceStore(db).find(web.id()).orElseThrow().engine()).isEqualTo(Service.DEFAULT_ENGINE);
            EngineStore engines = new EngineStore(db);
            assertThat(engines.all()).containsExactly(EngineEntry.current());
            assertThat(engines.serviceCounts()).containsEntry(Service.DEFAULT_ENGINE, 1);
        }
    }

    @Test
    void anEngineThatServicesRunOnStays() {
        try (Database db = Database.open(home)) {
            EngineStore engines = new EngineStore(db);
            EngineEntry nas = new EngineEntry("nas", EngineEntry.Kind.ADDRESS, "tcp://nas.lan:2376", "/certs");
            engines.add(nas, Instant.now());
            assertThatThrownBy(() -> engines.add(nas, Instant.now())).hasMessage("an engine named \"nas\" already exists");
            ServiceStore services = new ServiceStore(db);
            Service web = new Service(UUID.randomUUID(), "web", ImageRef.parse("localhost:5000/web:stable"), ContainerSpec.empty(),
                    false, null, Instant.now(), Instant.now(), null, null, "nas");
            db.inTransaction(c -> {
                services.insert(c, web);
                return null;
            });
            assertThat(services.find(web.id()).orElseThrow().engine()).isEqualTo("nas");
            assertThatThrownBy(() -> engines.remove("nas")).hasMessage("services still run on engine \"nas\": remove them first");
            assertThat(engines.remove(Service.DEFAULT_ENGINE)).as("the default engine is never removed").isFalse();
            services.delete(web.id());
            assertThat(engines.remove("nas")).isTrue();
            assertThat(engines.all()).extracting(EngineEntry::name).containsExactly(Service.DEFAULT_ENGINE);
        }
    }

    @Test
    void keepsSettings() {
        try (Database db = Database.open(home)) {
            SettingsStore settings = new SettingsStore(db);
            assertThat(settings.get("poll.interval")).isEmpty();
            settings.put("poll.interval", "30s");
            settings.put("poll.interval", "45s");
            assertThat(settings.get("poll.interval")).contains("45s");
        }
    }
}
