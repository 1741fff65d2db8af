package dev.redock.service;

import org.junit.jupiter.api.Test;

import dev.redock.model.ValidationException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AdoptRequestTest {

    @Test
    void namesOneContainerOrOneProject() {
        assertThat(AdoptRequest.container(" ", " web ", false).container()).isEqualTo("web");
        assertThat(AdoptRequest.container(" ", "web", false).engine()).isNull();
        assertThat(AdoptRequest.project("nas", "shop", true).project()).isEqualTo("shop");
        assertThatThrownBy(() -> new AdoptRequest(null, " ", null, false)).isInstanceOf(ValidationException.class)
                .hasMessage("name the container to adopt, or a compose project");
        assertThatThrownBy(() -> new AdoptRequest(null, "web", "shop", false)).isInstanceOf(ValidationException.class)
                .hasMessage("name either a container or a compose project to adopt, not both");
    }
}
