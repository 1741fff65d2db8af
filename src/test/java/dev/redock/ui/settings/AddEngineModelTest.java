package dev.redock.ui.settings;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The Add engine dialog suggests what the service layer's sentences about this machine's engines name. */
class AddEngineModelTest {

    @Test
    void suggestsTheAddressesAndDockerContextsTheSentencesName() {
        assertThat(AddEngineModel.suggestionsIn(List.of(
                "docker context \"remote\" (ssh://me@nas) is not in the list",
                "Podman answers at unix:///run/user/1000/podman/podman.sock.",
                "rootless Docker: unix:///run/user/1000/docker.sock; docker context \"remote\" again")))
                .containsExactly("ssh://me@nas", "remote", "unix:///run/user/1000/podman/podman.sock",
                        "unix:///run/user/1000/docker.sock");
    }

    @Test
    void suggestsNothingWhenTheMachineOffersNothing() {
        assertThat(AddEngineModel.suggestionsIn(List.of())).isEmpty();
        assertThat(AddEngineModel.suggestionsIn(List.of("nothing to add"))).isEmpty();
    }
}
