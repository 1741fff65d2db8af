package dev.redock.registry;

import java.net.URI;

import org.junit.jupiter.api.Test;

import dev.redock.model.ImageRef;

import static org.assertj.core.api.Assertions.assertThat;

class RegistryEndpointsTest {

    @Test
    void speaksToDockerHubAtRegistry1DockerIo() {
        assertThat(RegistryEndpoints.of(ImageRef.parse("nginx").registry())).isEqualTo(URI.create("https://registry-1.docker.io"));
        assertThat(RegistryEndpoints.of(ImageRef.parse("index.docker.io/library/nginx").registry()))
                .isEqualTo(URI.create("https://registry-1.docker.io"));
    }

    @Test
    void speaksPlainHttpToLoopbackRegistries() {
        assertThat(RegistryEndpoints.of("localhost:5000")).isEqualTo(URI.create("http://localhost:5000"));
        assertThat(RegistryEndpoints.of("localhost")).isEqualTo(URI.create("http://localhost"));
        assertThat(RegistryEndpoints.of("127.0.0.1:5000")).isEqualTo(URI.create("http://127.0.0.1:5000"));
        assertThat(RegistryEndpoints.of("127.10.0.3:5000")).isEqualTo(URI.create("http://127.10.0.3:5000"));
        assertThat(RegistryEndpoints.of("[::1]:5000")).isEqualTo(URI.create("http://[::1]:5000"));
    }

    @Test
    void speaksHttpsToEverythingElse() {
        assertThat(RegistryEndpoints.of("ghcr.io")).isEqualTo(URI.create("https://ghcr.io"));
        assertThat(RegistryEndpoints.of("registry.example.com:5000")).isEqualTo(URI.create("https://registry.example.com:5000"));
        assertThat(RegistryEndpoints.of("localhost.example.com:5000")).isEqualTo(URI.create("https://localhost.example.com:5000"));
        assertThat(RegistryEndpoints.of("128.0.0.1:5000")).isEqualTo(URI.create("https://128.0.0.1:5000"));
    }
}
