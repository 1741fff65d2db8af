package dev.redock.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ImageRefTest {

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
            "nginx,                              docker.io/library/nginx:latest",
            "nginx:1.27,                         docker.io/library/nginx:1.27",
            "library/nginx,                      docker.io/library/nginx:latest",
            "docker.io/nginx,                    docker.io/library/nginx:latest",
            "index.docker.io/library/nginx:1,    docker.io/library/nginx:1",
            "bitnami/redis:7.2,                  docker.io/bitnami/redis:7.2",
            "localhost:5000/a/b:stable,          localhost:5000/a/b:stable",
            "localhost/app,                      localhost/app:latest",
            "127.0.0.1:5000/app:v1.2.3-rc_1,     127.0.0.1:5000/app:v1.2.3-rc_1",
            "ghcr.io/o/r:1.2,                    ghcr.io/o/r:1.2",
            "registry.example.com:8443/team/app, registry.example.com:8443/team/app:latest",
            "my-registry.local/a__b/c.d-e:x,     my-registry.local/a__b/c.d-e:x",
    })
    void normalisesAsDockerDoes(String input, String canonical) {
        assertThat(ImageRef.parse(input).canonical()).isEqualTo(canonical);
    }

    @Test
    void keepsADigestAndDefaultsTheTag() {
        String digest = "sha256:" + "a".repeat(64);
        ImageRef ref = ImageRef.parse("repo@" + digest);
        assertThat(ref.registry()).isEqualTo("docker.io");
        assertThat(ref.repository()).isEqualTo("library/repo");
        assertThat(ref.digest()).isEqualTo(digest);
        assertThat(ref.canonical()).isEqualTo("docker.io/library/repo:latest@" + digest);
        assertThat(ImageRef.parse("localhost:5000/a:t@" + digest).withDigest(digest)).isEqualTo("localhost:5000/a@" + digest);
    }

    @Test
    void speaksTheFamiliarFormBack() {
        assertThat(ImageRef.parse("nginx").familiar()).isEqualTo("nginx:latest");
        assertThat(ImageRef.parse("bitnami/redis:7").familiar()).isEqualTo("bitnami/redis:7");
        assertThat(ImageRef.parse("localhost:5000/a/b:stable").familiar()).isEqualTo("localhost:5000/a/b:stable");
        assertThat(ImageRef.parse("localhost:5000/a/b:stable").suggestedName()).isEqualTo("b");
    }

    @Test
    void groupsByRegistryRepositoryAndTag() {
        assertThat(ImageRef.parse("nginx").tagKey()).isEqualTo(ImageRef.parse("docker.io/library/nginx:latest").tagKey());
        assertThat(ImageRef.parse("nginx:1").tagKey()).isNotEqualTo(ImageRef.parse("nginx:2").tagKey());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "Nginx", "nginx:", "nginx:-bad", "nginx::1", "/nginx", "nginx/", "a//b", "nginx@sha256:123",
            "nginx@md5:zz", "ngi nx", "UPPER/case", "localhost:5000/", "-lead/x", "a:b:c"})
    void refusesMalformedReferencesWithAClearMessage(String input) {
        assertThatThrownBy(() -> ImageRef.parse(input))
                .isInstanceOf(InvalidReferenceException.class)
                .hasMessageNotContaining("Exception")
                .satisfies(e -> assertThat(((ValidationException) e).field()).isEqualTo("image"));
    }

    @Test
    void refusesATagLongerThan128Characters() {
        assertThat(ImageRef.parse("repo:" + "x".repeat(128)).tag()).hasSize(128);
        assertThatThrownBy(() -> ImageRef.parse("repo:" + "x".repeat(129))).hasMessageContaining("invalid tag");
    }

    @Test
    void saysWhatIsWrongWithAnUppercaseRepository() {
        assertThatThrownBy(() -> ImageRef.parse("MyApp:1")).hasMessageContaining("lowercase");
    }
}
