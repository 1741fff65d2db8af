package dev.redock.engine;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What Redock reads of compose: its labels on a container, and the dependencies in what {@code config} prints. */
class ComposeCliTest {

    @Test
    void readsDependsOnInBothFormsAndLinksInTheFilesOrder() throws Exception {
        String printed = """
                services:
                  web:
                    image: web
                    depends_on:
                      api:
                        condition: service_healthy
                    links: ["cache:redis"]
                  api:
                    image: api
                    depends_on: [db]
                  db:
                    image: db
                  cache:
                    image: redis
                """;
        var config = new ObjectMapper(new YAMLFactory()).readTree(printed);
        assertThat(ComposeCli.dependenciesIn(config)).containsExactly(
                Map.entry("web", List.of("api", "cache")), Map.entry("api", List.of("db")),
                Map.entry("db", List.of()), Map.entry("cache", List.of()));
    }

    @Test
    void aProjectIsReadFromComposesLabelsWithItsFilesRelativeToItsFolder() {
        ComposeProject p = ComposeProject.of(Map.of(
                "com.docker.compose.project", "shop",
                "com.docker.compose.service", "api",
                "com.docker.compose.project.working_dir", "/srv/shop",
                "com.docker.compose.project.config_files", "docker-compose.yml,/etc/shop/override.yml")).orElseThrow();
        assertThat(p.name()).isEqualTo("shop");
        assertThat(p.service()).isEqualTo("api");
        assertThat(p.configFiles()).containsExactly(Path.of("/srv/shop/docker-compose.yml"), Path.of("/etc/shop/override.yml"));
        assertThat(p.filesReadable()).isFalse();
        assertThat(ComposeProject.of(Map.of("com.docker.compose.project", "shop"))).isEmpty();
    }
}
