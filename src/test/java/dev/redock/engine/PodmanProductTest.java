package dev.redock.engine;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.model.Version;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Which engine a version answer names, read as docker-java reads the engine's JSON. */
class PodmanProductTest {

    private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private static Podman.Product product(String json) throws Exception {
        return Podman.Product.of(JSON.readValue(json, Version.class));
    }

    @Test
    void knowsPodmanByItsComponent() throws Exception {
        // What Podman 4.3.1 answers on its Docker-compatible socket (shortened).
        Podman.Product p = product("""
                {"Platform": {"Name": "linux/amd64/debian-12"},
                 "Components": [{"Name": "Podman Engine", "Version": "4.3.1",
                                 "Details": {"APIVersion": "4.3.1", "MinAPIVersion": "4.0.0"}},
                                {"Name": "Conmon", "Version": "conmon version 2.1.6"}],
                 "Version": "4.3.1", "ApiVersion": "1.41", "MinAPIVersion": "1.24"}
                """);

        assertThat(p).isEqualTo(new Podman.Product(true, "4.3.1", "4.3.1"));
        assertThat(p.podmanBefore(5, 1)).as("no container update before 5.1").isTrue();
    }

    @Test
    void knowsANewerPodman() throws Exception {
        Podman.Product p = product("""
                {"Components": [{"Name": "Podman Engine", "Version": "5.2.3", "Details": {"APIVersion": "5.2.3"}}],
                 "Version": "5.2.3", "ApiVersion": "1.41"}
                """);

        assertThat(p.podman()).isTrue();
        assertThat(p.podmanBefore(5, 1)).isFalse();
    }

    @Test
    void takesAnyOtherEngineForDocker() throws Exception {
        Podman.Product p = product("""
                {"Platform": {"Name": "Docker Engine - Community"},
                 "Components": [{"Name": "Engine", "Version": "20.10.24", "Details": {"ApiVersion": "1.41"}},
                                {"Name": "containerd", "Version": "1.6.20"}],
                 "Version": "20.10.24", "ApiVersion": "1.41"}
                """);

        assertThat(p).isEqualTo(Podman.Product.DOCKER);
        assertThat(p.podmanBefore(5, 1)).isFalse();
    }
}
