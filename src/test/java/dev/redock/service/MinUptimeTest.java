package dev.redock.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.redock.model.ValidationException;

/** A service's minimum uptime as every way in gives it: one check, one message. */
class MinUptimeTest {

    @Test
    void takesDurationsFromZeroUpAndBlankOrDefaultForRedocksDefault() {
        assertThat(ServiceInput.minUptime("0")).isZero();
        assertThat(ServiceInput.minUptime("0s")).isZero();
        assertThat(ServiceInput.minUptime("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(ServiceInput.minUptime(" 1m30s ")).isEqualTo(Duration.ofSeconds(90));
        assertThat(ServiceInput.minUptime("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(ServiceInput.minUptime("")).isNull();
        assertThat(ServiceInput.minUptime("  ")).isNull();
        assertThat(ServiceInput.minUptime("default")).isNull();
    }

    @Test
    void refusesWhatIsNotADurationAndWhatIsTooLongSayingWhy() {
        assertThatThrownBy(() -> ServiceInput.minUptime("soon"))
                .isInstanceOf(ValidationException.class)
                .hasMessage("minimum uptime is a duration such as 0s, 500ms, 5s or 1m, or empty for Redock's default (got \"soon\")")
                .extracting(e -> ((ValidationException) e).field()).isEqualTo("minUptime");
        assertThatThrownBy(() -> ServiceInput.minUptime("-1s")).hasMessageContaining("(got \"-1s\")");
        assertThatThrownBy(() -> ServiceInput.minUptime("99999999999999999999s")).hasMessageContaining("is a duration");
        assertThatThrownBy(() -> ServiceInput.minUptime("61m"))
                .hasMessage("minimum uptime must be between 0s and 1h (got 61m)");
    }
}
