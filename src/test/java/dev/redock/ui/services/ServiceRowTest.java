package dev.redock.ui.services;

import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.redock.model.ContainerSpec;
import dev.redock.model.ImageRef;
import dev.redock.model.Service;
import dev.redock.model.ServiceStatus;
import dev.redock.model.ServiceView;

import static org.assertj.core.api.Assertions.assertThat;

/** A row of the service list keeps the newest of what it was told, whatever order the answers come back in. */
class ServiceRowTest {

    private static final Instant T0 = Instant.parse("2026-11-22T08:00:00Z");
    private static final Service WEB = new Service(UUID.randomUUID(), "web", ImageRef.parse("127.0.0.1:5000/team/web:stable"),
            ContainerSpec.empty(), false, null, T0, T0);

    private static ServiceView view(Service s, ServiceStatus status) {
        return new ServiceView(s, status, null, null, null);
    }

    @Test
    void aListReadBeforeASaveThatFinishedFirstDoesNotFlipTheSwitchBack() {
        ServiceRow row = new ServiceRow(view(WEB, ServiceStatus.RUNNING));
        row.savingProperty().set(true);
        row.autoredeployProperty().set(true);
        row.savingProperty().set(false);
        row.saved(WEB.withAutoredeploy(true, T0.plusSeconds(1)));

        row.update(view(WEB, ServiceStatus.STOPPED)); // read before the save

        assertThat(row.autoredeployProperty().get()).isTrue();
        assertThat(row.view().service().autoredeploy()).isTrue();
        assertThat(row.view().status()).as("the rest of the read is still taken").isEqualTo(ServiceStatus.STOPPED);
    }

    @Test
    void aListReadAfterTheSaveIsTakenWhole() {
        ServiceRow row = new ServiceRow(view(WEB, ServiceStatus.RUNNING));
        row.saved(WEB.withAutoredeploy(true, T0.plusSeconds(1)));

        row.update(view(WEB.withAutoredeploy(false, T0.plusSeconds(2)), ServiceStatus.RUNNING)); // another process switched it off

        assertThat(row.autoredeployProperty().get()).isFalse();
    }
}
