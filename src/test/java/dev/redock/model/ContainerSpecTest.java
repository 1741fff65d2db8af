package dev.redock.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ContainerSpecTest {

    @Test
    void parsesPortBindingsAsDockerRunDoes() {
        assertThat(PortBinding.parse("8080:80")).isEqualTo(new PortBinding("", 8080, 80, "tcp"));
        assertThat(PortBinding.parse("127.0.0.1:53:53/udp")).isEqualTo(new PortBinding("127.0.0.1", 53, 53, "udp"));
        assertThat(PortBinding.parse("127.0.0.1:8080:80").toString()).isEqualTo("127.0.0.1:8080:80");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "80", "a:b", "0:80", "70000:80", "8080:0", "8080:80/icmp", "300.1.1.1:80:80", "8080:80:90", "-1:80"})
    void refusesBadPortBindings(String spec) {
        assertThatThrownBy(() -> PortBinding.parse(spec))
                .isInstanceOf(ValidationException.class)
                .satisfies(e -> assertThat(((ValidationException) e).field()).isEqualTo("ports"));
    }

    @Test
    void parsesVolumesAndBindMounts() {
        assertThat(VolumeBinding.parse("/srv/data:/data:ro")).isEqualTo(new VolumeBinding("/srv/data", "/data", true));
        assertThat(VolumeBinding.parse("cache:/var/cache").isBindMount()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/a", "/a:b", "/a:/b:xx", ":/b", "bad name:/b", "/a:/b:ro:x"})
    void refusesBadVolumes(String spec) {
        assertThatThrownBy(() -> VolumeBinding.parse(spec)).isInstanceOf(ValidationException.class);
    }

    @Test
    void parsesRestartPolicies() {
        assertThat(RestartPolicy.parse("on-failure:3")).isEqualTo(new RestartPolicy("on-failure", 3));
        assertThat(RestartPolicy.parse(null)).isEqualTo(RestartPolicy.NO);
        assertThatThrownBy(() -> RestartPolicy.parse("sometimes")).hasMessageContaining("unknown restart policy");
        assertThatThrownBy(() -> RestartPolicy.parse("on-failure:x")).isInstanceOf(ValidationException.class);
    }

    @Test
    void refusesAPortBoundTwiceAndRedocksOwnLabels() {
        assertThatThrownBy(() -> new ContainerSpec(List.of(PortBinding.parse("80:80"), PortBinding.parse("80:81")),
                null, null, null, null, null, null, null)).hasMessageContaining("bound twice");
        assertThatThrownBy(() -> new ContainerSpec(null, null, null, null, null, Map.of("dev.redock.service", "x"), null, null))
                .hasMessageContaining("Redock's own");
        assertThatThrownBy(() -> new ContainerSpec(null, Map.of("1BAD", "x"), null, null, null, null, null, null))
                .hasMessageContaining("environment variable");
    }

    @Test
    void keepsTheEnvironmentInTheOrderGiven() {
        var env = new java.util.LinkedHashMap<String, String>();
        env.put("Z", "1");
        env.put("A", "2");
        assertThat(new ContainerSpec(null, env, null, null, null, null, null, null).env().keySet()).containsExactly("Z", "A");
    }

    @Test
    void checksServiceNames() {
        assertThat(Service.validName("web-1.prod_a")).isEqualTo("web-1.prod_a");
        assertThatThrownBy(() -> Service.validName("-web")).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> Service.validName("a/b")).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> Service.validName("x".repeat(64))).isInstanceOf(ValidationException.class);
    }
}
