package dev.redock.registry;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The client against a real registry behind htpasswd Basic authentication, with credentials from a config.json. */
class RealRegistryBasicAuthTest {

    @RegisterExtension
    static final LocalRegistry registry = LocalRegistry.withBasicAuth("redock", "s3cret-pass");

    @TempDir
    Path home;

    @Test
    void readsTheDigestWithTheCredentialsFromConfigJson() throws Exception {
        String pushed = registry.pushImage("private/app", "stable", "secret page");
        CredentialStore store = new CredentialStore(registry.writeDockerConfig(home, "redock", "s3cret-pass"));
        RegistryClient client = new RegistryClient(store, Duration.ofSeconds(10));

        assertThat(client.digest(registry.ref("private/app:stable")).digest()).isEqualTo(pushed);
        assertThat(client.digest(registry.ref("private/app:stable")).digest()).isEqualTo(pushed);
    }

    @Test
    void asksForDockerLoginWithoutCredentials() throws Exception {
        registry.pushImage("private/anon", "stable", "anon");
        RegistryClient client = new RegistryClient(CredentialStore.anonymous(), Duration.ofSeconds(10));

        assertThatThrownBy(() -> client.digest(registry.ref("private/anon:stable")))
                .isInstanceOf(RegistryAuthException.class)
                .hasMessageStartingWith("needs credentials: docker login " + registry.host());
    }

    @Test
    void saysTheCredentialsWereRefusedWhenThePasswordIsWrong() throws Exception {
        registry.pushImage("private/wrong", "stable", "wrong");
        CredentialStore store = new CredentialStore(registry.writeDockerConfig(home, "redock", "not-the-password"));
        RegistryClient client = new RegistryClient(store, Duration.ofSeconds(10));

        assertThatThrownBy(() -> client.digest(registry.ref("private/wrong:stable")))
                .isInstanceOf(RegistryAuthException.class)
                .hasMessageStartingWith("unauthorised: " + registry.host() + " refused the credentials of user \"redock\"")
                .hasMessageNotContaining("not-the-password");
    }
}
