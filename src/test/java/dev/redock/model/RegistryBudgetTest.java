package dev.redock.model;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** How the status bar words a registry's budget of checks. */
class RegistryBudgetTest {

    @Test
    void namesDockerHubAndGroupsThousands() {
        assertThat(new RegistryBudget("docker.io", 120, 1_800, -1, -1, null).describe())
                .isEqualTo("Docker Hub: 120 of 1,800 checks this hour");
    }

    @Test
    void addsThePullsLeftWhenTheRegistrySaidSo() {
        assertThat(new RegistryBudget("docker.io", 1_234, 1_800, 87, 100, Duration.ofHours(6)).describe())
                .isEqualTo("Docker Hub: 1,234 of 1,800 checks this hour, 87 of 100 pulls left (per 6 h)");
    }

    @Test
    void namesAnotherRegistryAsImageReferencesDo() {
        assertThat(new RegistryBudget("ghcr.io", 3, 60, -1, -1, null).describe()).isEqualTo("ghcr.io: 3 of 60 checks this hour");
    }
}
