package dev.redock.deploy;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.redock.model.ContainerSpec;
import dev.redock.model.ImageRef;
import dev.redock.model.Service;
import dev.redock.model.ValidationException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DeployPolicyTest {

    @Test
    void eachWaitCanBeSetFromTheEnvironmentAndTheRestKeepTheirDefaults() {
        DeployPolicy policy = DeployPolicy.fromEnvironment(Map.of("REDOCK_BUILD_TIMEOUT", "45m", "REDOCK_MIN_UPTIME", "2s"));

        assertThat(policy.buildTimeout()).isEqualTo(Duration.ofMinutes(45));
        assertThat(policy.minUptime()).isEqualTo(Duration.ofSeconds(2));
        assertThat(policy.pullTimeout()).as("a build's limit is its own").isEqualTo(DeployPolicy.defaults().pullTimeout());
        assertThat(policy.readyTimeout()).isEqualTo(DeployPolicy.defaults().readyTimeout());
    }

    @Test
    void aValueThatIsNotADurationIsRefusedWithTheVariablesName() {
        assertThatThrownBy(() -> DeployPolicy.fromEnvironment(Map.of("REDOCK_BUILD_TIMEOUT", "soon")))
                .isInstanceOf(ValidationException.class)
                .hasMessageStartingWith("REDOCK_BUILD_TIMEOUT: ");
    }

    @Test
    void theDefaultMinimumUptimeMayBeZeroAndAServicesOwnComesFirst() {
        DeployPolicy policy = DeployPolicy.fromEnvironment(Map.of("REDOCK_MIN_UPTIME", "0"));
        assertThat(policy.minUptime()).isZero();

        Service own = new Service(UUID.randomUUID(), "web", ImageRef.parse("nginx:1"), ContainerSpec.empty(), false, null,
                Instant.EPOCH, Instant.EPOCH).withMinUptime(Duration.ofMillis(1500));
        DeployPolicy defaults = DeployPolicy.defaults();
        assertThat(defaults.minUptimeOf(own)).isEqualTo(Duration.ofMillis(1500));
        assertThat(defaults.minUptimeOf(own.withMinUptime(null))).isEqualTo(defaults.minUptime());
        assertThat(defaults.readyDeadlineOf(own)).as("the uptime comes on top of the time to come up")
                .isEqualTo(defaults.readyTimeout().plusMillis(1500));
    }

    @Test
    void aDefaultMinimumUptimeOutOfRangeIsRefusedAsAServicesOwnIs() {
        assertThatThrownBy(() -> DeployPolicy.fromEnvironment(Map.of("REDOCK_MIN_UPTIME", "2h")))
                .isInstanceOf(ValidationException.class)
                .hasMessage("REDOCK_MIN_UPTIME: minimum uptime must be between 0s and 1h (got 2h)");
    }
}
