package dev.redock.registry;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.redock.model.ImageRef;
import dev.redock.model.TagDigest;
import dev.redock.testenv.RegistryPush;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The client against a real Distribution registry on 127.0.0.1, spoken to over plain http as Docker would. */
class RealRegistryTest {

    @RegisterExtension
    static final LocalRegistry registry = LocalRegistry.anonymous();

    private final RegistryClient client = new RegistryClient(CredentialStore.anonymous(), Duration.ofSeconds(10));

    @Test
    void tellsTheDigestOfTheManifestPushedToATag() throws Exception {
        String pushed = registry.pushImage("team/web", "stable", "page one");

        TagDigest digest = client.digest(registry.ref("team/web:stable"));

        assertThat(digest.digest()).isEqualTo(pushed);
        assertThat(digest.mediaType()).isEqualTo(RegistryClient.DOCKER_MANIFEST);
    }

    @Test
    void seesTheDigestChangeWhenTheTagMoves() throws Exception {
        ImageRef ref = registry.ref("team/api:stable");
        String first = registry.pushImage("team/api", "stable", "release 1");
        assertThat(client.digest(ref).digest()).isEqualTo(first);

        String second = registry.pushImage("team/api", "stable", "release 2");

        assertThat(second).isNotEqualTo(first);
        assertThat(client.digest(ref).digest()).isEqualTo(second);
    }

    @Test
    void tellsTheDigestOfAnOciImageManifest() throws Exception {
        String pushed = registry.pushImage("team/oci", "v1", RegistryClient.OCI_MANIFEST, "oci content", "amd64");

        TagDigest digest = client.digest(registry.ref("team/oci:v1"));

        assertThat(digest).isEqualTo(new TagDigest(pushed, RegistryClient.OCI_MANIFEST));
    }

    @Test
    void givesTheIndexDigestOfAMultiPlatformTagEveryTime() throws Exception {
        RegistryPush.Pushed pushed = registry.pushIndex("team/multi", "stable", RegistryClient.OCI_INDEX, "multi",
                List.of("amd64", "arm64"));
        ImageRef ref = registry.ref("team/multi:stable");

        TagDigest first = client.digest(ref);
        TagDigest second = client.digest(ref);

        assertThat(first.digest()).isEqualTo(pushed.indexDigest()).isNotIn(pushed.platformDigests());
        assertThat(first.mediaType()).isEqualTo(RegistryClient.OCI_INDEX);
        assertThat(second).isEqualTo(first);
    }

    @Test
    void givesTheListDigestOfADockerManifestList() throws Exception {
        RegistryPush.Pushed pushed = registry.pushIndex("team/list", "stable", RegistryClient.DOCKER_MANIFEST_LIST, "list",
                List.of("amd64", "arm64", "ppc64le"));

        TagDigest digest = client.digest(registry.ref("team/list:stable"));

        assertThat(digest).isEqualTo(new TagDigest(pushed.indexDigest(), RegistryClient.DOCKER_MANIFEST_LIST));
    }

    @Test
    void reportsAnUnknownTagAsManifestUnknown() throws Exception {
        registry.pushImage("team/known", "stable", "known");

        assertThatThrownBy(() -> client.digest(registry.ref("team/known:nightly")))
                .isInstanceOf(ManifestUnknownException.class)
                .hasMessageContaining(registry.host() + "/team/known:nightly")
                .satisfies(e -> assertThat(((RegistryException) e).affectsRegistry()).isFalse());
    }

    @Test
    void listsTheTagsOfARepository() throws Exception {
        registry.pushImage("team/tags", "1.0", "one");
        registry.pushImage("team/tags", "1.1", "two");
        registry.pushImage("team/tags", "latest", "two");

        assertThat(client.tags(registry.ref("team/tags"))).containsExactlyInAnyOrder("1.0", "1.1", "latest");
    }

    @Test
    void reportsAnUnknownRepositoryWhenListingTags() {
        assertThatThrownBy(() -> client.tags(registry.ref("team/nothing")))
                .isInstanceOf(ManifestUnknownException.class)
                .hasMessage("repository " + registry.host() + "/team/nothing not found");
    }
}
