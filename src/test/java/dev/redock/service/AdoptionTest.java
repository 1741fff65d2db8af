package dev.redock.service;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.HostConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import dev.redock.api.ApiServer;
import dev.redock.app.Redock;
import dev.redock.cli.CliRunner;
import dev.redock.model.DeployResult;
import dev.redock.model.Json;
import dev.redock.model.Outcome;
import dev.redock.model.Service;
import dev.redock.model.UnfollowedContainer;
import dev.redock.model.ValidationException;
import dev.redock.testenv.DockerTest;
import dev.redock.testenv.Redocks;
import dev.redock.testenv.TestEnv;
import dev.redock.testenv.TestImages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Adopting what already runs, through the core, the CLI and the API alike: nothing on the engine changes, what cannot be
 * adopted is refused with one sentence wherever it was asked, and Forget leaves the container as it is.
 */
@ExtendWith(DockerTest.class)
class AdoptionTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path home;

    private Redock redock;

    @BeforeEach
    void open() {
        redock = Redocks.open(home);
    }

    @AfterEach
    void close() {
        redock.close();
    }

    /** A container started as {@code docker run} would, with the run's label; its name. */
    private static String run(String image, boolean autoRemove) {
        String name = TestEnv.uniqueName("mine");
        TestEnv.docker().createContainerCmd(image).withName(name).withLabels(TestEnv.runLabels())
                .withEnv("GREETING=hello")
                .withHostConfig(HostConfig.newHostConfig().withAutoRemove(autoRemove))
                .withCmd("sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done").exec();
        TestEnv.docker().startContainerCmd(name).exec();
        return name;
    }

    private static InspectContainerResponse inspect(String name) {
        return TestEnv.docker().inspectContainerCmd(name).exec();
    }

    @Test
    void adoptingChangesNothingOnTheEngineAndForgettingLeavesTheContainerAsItIs() throws Exception {
        String name = run(TestImages.baseImage(), false);
        InspectContainerResponse before = inspect(name);
        assertThat(redock.services().adoptions().unfollowed()).extracting(UnfollowedContainer::name).contains(name);

        Service s = redock.services().adoptions().adopt(AdoptRequest.container(null, name, false)).get(0);
        assertThat(s.name()).isEqualTo(name);
        assertThat(s.adopted()).isEqualTo(before.getId());
        assertThat(s.autoredeploy()).as("off unless asked").isFalse();
        assertThat(s.spec().env()).containsEntry("GREETING", "hello").doesNotContainKey("PATH");
        assertThat(s.spec().command()).containsExactly("sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done");
        assertThat(redock.services().views()).filteredOn(v -> v.service().id().equals(s.id()))
                .singleElement().satisfies(v -> assertThat(v.containerId()).isEqualTo(before.getId()));
        assertThat(redock.services().adoptions().unfollowed()).extracting(UnfollowedContainer::name).doesNotContain(name);
        assertThat(inspect(name).getState().getStartedAt()).as("not restarted").isEqualTo(before.getState().getStartedAt());

        assertThatThrownBy(() -> redock.services().adoptions().adopt(AdoptRequest.container(null, name, false)))
                .isInstanceOf(ValidationException.class).hasMessageContaining("is already followed");

        redock.services().forget(name);
        assertThat(redock.serviceStore().find(s.id())).isEmpty();
        InspectContainerResponse after = inspect(name);
        assertThat(after.getId()).isEqualTo(before.getId());
        assertThat(after.getState().getRunning()).isTrue();
        assertThat(after.getState().getStartedAt()).isEqualTo(before.getState().getStartedAt());
        assertThat(redock.services().adoptions().unfollowed()).extracting(UnfollowedContainer::name).contains(name);
    }

    @Test
    void aContainerRunByImageIdIsAdoptedWithoutAutoredeployAndSaysWhy() throws Exception {
        String imageId = TestEnv.docker().inspectImageCmd(TestImages.baseImage()).exec().getId();
        String name = run(imageId, false);

        assertThatThrownBy(() -> redock.services().adoptions().adopt(AdoptRequest.container(null, name, true)))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining(name + " runs its image by id: there is no tag to follow");
        assertThat(redock.services().list()).as("refused: nothing written").isEmpty();

        Service s = redock.services().adoptions().adopt(AdoptRequest.container(null, name, false)).get(0);
        assertThat(s.image().digest()).isEqualTo(imageId);
        assertThatThrownBy(() -> redock.services().setAutoredeploy(name, true))
                .isInstanceOf(ValidationException.class).hasMessageContaining("there is no tag to follow");

        // A redeploy (after an edit, say) makes it anew from that same image: no registry knows an image by its id.
        String before = inspect(name).getId();
        DeployResult r = redock.services().redeploy(name);
        assertThat(r.deployment().outcome()).as(r.message()).isEqualTo(Outcome.SUCCEEDED);
        InspectContainerResponse after = inspect(name);
        assertThat(after.getId()).isNotEqualTo(before);
        assertThat(after.getImageId()).isEqualTo(imageId);
        assertThat(after.getConfig().getEnv()).contains("GREETING=hello");
        redock.services().remove(name, true);
    }

    @Test
    void whatCannotBeAdoptedIsRefusedWithTheSameSentenceInTheCliAndTheApi() throws Exception {
        String removedWhenStopped = run(TestImages.baseImage(), true);
        String expected = removedWhenStopped + " was started with --rm";
        assertThatThrownBy(() -> redock.services().adoptions().adopt(AdoptRequest.container(null, removedWhenStopped, false)))
                .hasMessageContaining(expected);

        CliRunner.Result cli = new CliRunner(home).run("service", "adopt", removedWhenStopped);
        assertThat(cli.exitCode()).as(cli.toString()).isNotZero();
        assertThat(cli.err()).contains(expected);

        ApiServer api = redock.startApi(0);
        String token = ApiToken.loadOrCreate(home).value();
        HttpResponse<String> r = call(api, token, "POST", "/api/v1/service/", "{\"container\": \"" + removedWhenStopped + "\"}");
        assertThat(r.statusCode()).isEqualTo(422);
        assertThat(r.body()).contains(expected);
        r = call(api, token, "POST", "/api/v1/service/", "{\"container\": \"x\", \"image\": \"nginx\"}");
        assertThat(r.statusCode()).isEqualTo(422);
        assertThat(r.body()).contains("does not go with");
        r = call(api, token, "POST", "/api/v1/service/", "{\"container\": \"no-such-container-here\"}");
        assertThat(r.statusCode()).isEqualTo(422);
        assertThat(r.body()).contains("no container named or with the id \\\"no-such-container-here\\\"");
        assertThat(redock.services().list()).isEmpty();
    }

    @Test
    void theCliAndTheApiAdoptListAndForget() throws Exception {
        String byCli = run(TestImages.baseImage(), false);
        String byApi = run(TestImages.baseImage(), false);
        CliRunner cli = new CliRunner(home);

        CliRunner.Result listed = cli.run("service", "ls", "--not-followed");
        assertThat(listed.out()).contains(byCli).contains(byApi);
        CliRunner.Result adopted = cli.run("service", "adopt", byCli);
        assertThat(adopted.exitCode()).as(adopted.toString()).isZero();
        assertThat(adopted.out()).contains(byCli);

        ApiServer api = redock.startApi(0);
        String token = ApiToken.loadOrCreate(home).value();
        HttpResponse<String> r = call(api, token, "GET", "/api/v1/container/", null);
        assertThat(r.statusCode()).isEqualTo(200);
        List<String> names = Json.mapper().readTree(r.body()).path("objects").findValuesAsText("name");
        assertThat(names).contains(byApi).doesNotContain(byCli);
        r = call(api, token, "POST", "/api/v1/service/", "{\"container\": \"" + byApi + "\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        JsonNode doc = Json.mapper().readTree(r.body());
        assertThat(doc.path("name").asText()).isEqualTo(byApi);
        assertThat(doc.path("adopted_container").asText()).isEqualTo(inspect(byApi).getId());
        assertThat(doc.path("autoredeploy").asBoolean()).isFalse();

        r = call(api, token, "POST", "/api/v1/service/" + doc.path("uuid").asText() + "/forget/", null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        CliRunner.Result forgot = cli.run("service", "forget", byCli);
        assertThat(forgot.exitCode()).as(forgot.toString()).isZero();
        assertThat(redock.services().list()).isEmpty();
        assertThat(inspect(byCli).getState().getRunning()).isTrue();
        assertThat(inspect(byApi).getState().getRunning()).isTrue();
    }

    private static HttpResponse<String> call(ApiServer api, String token, String method, String path, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(api.baseUrl() + path)).timeout(Duration.ofMinutes(1))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + token).build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
