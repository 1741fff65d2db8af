package dev.redock.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.redock.model.Durations;

class AppPathsTest {

    @Test
    void prefersRedockHomeThenXdgDataHomeThenTheHomeFolder() {
        assertThat(AppPaths.dataFolder(Map.of("REDOCK_HOME", "/srv/redock", "XDG_DATA_HOME", "/x", "HOME", "/home/u")))
                .isEqualTo(Path.of("/srv/redock"));
        assertThat(AppPaths.dataFolder(Map.of("XDG_DATA_HOME", "/x", "HOME", "/home/u"))).isEqualTo(Path.of("/x/redock"));
        assertThat(AppPaths.dataFolder(Map.of("HOME", "/home/u"))).isEqualTo(Path.of("/home/u/.local/share/redock"));
        assertThat(AppPaths.dataFolder(Map.of("REDOCK_HOME", " ", "XDG_DATA_HOME", "relative", "HOME", "/home/u")))
                .as("blank and relative values are ignored, as XDG says")
                .isEqualTo(Path.of("/home/u/.local/share/redock"));
    }

    @Test
    void readsDurationsAsPeopleTypeThem() {
        assertThat(Durations.parse("90")).hasSeconds(90);
        assertThat(Durations.parse("1m30s")).hasSeconds(90);
        assertThat(Durations.parse("2h")).hasHours(2);
        assertThat(Durations.format(Durations.parse("300s"))).isEqualTo("5m");
        for (String bad : new String[] {"", "soon", "5x", "0s", "2d", "s5", "5m 3s"}) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> Durations.parse(bad))
                    .isInstanceOf(dev.redock.model.ValidationException.class);
        }
    }
}
