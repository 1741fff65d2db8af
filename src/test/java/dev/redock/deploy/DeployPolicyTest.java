package dev.redock.deploy;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

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
}
