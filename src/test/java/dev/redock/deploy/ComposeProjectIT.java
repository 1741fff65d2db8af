package dev.redock.deploy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.github.dockerjava.api.command.InspectContainerResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import dev.redock.app.Redock;
import dev.redock.model.Deployment;
import dev.redock.model.ExistingContainer;
import dev.redock.model.Service;
import dev.redock.model.UnfollowedContainer;
import dev.redock.schedule.Scheduler;
import dev.redock.service.AdoptRequest;
import dev.redock.testenv.DockerTest;
import dev.redock.testenv.Redocks;
import dev.redock.testenv.TestCompose;
import dev.redock.testenv.TestEnv;
import dev.redock.testenv.TestImages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A compose project brought up by the real {@code docker-compose}: {@code web} calls {@code api} by name. Redock adopts
 * {@code api} with autoredeploy; a push to its tag redeploys it; {@code web} still reaches it by name, and a later
 * {@code docker-compose up -d} in the project's folder recreates nothing. A container nobody adopted is never touched.
 */
@ExtendWith(DockerTest.class)
class ComposeProjectIT {

    private static final Duration DEPLOYMENT = Duration.ofSeconds(90);

    @TempDir
    Path home;
    @TempDir
    Path projectFolder;

    private Redock redock;
    private TestCompose compose;

    @BeforeEach
    void open() {
        redock = Redocks.open(home.resolve("data"));
    }

    @AfterEach
    void close() {
        redock.close();
        if (compose != null) {
            compose.down();
        }
    }

    @Test
    void anAdoptedComposeServiceIsRedeployedSoThatItsProjectStillReachesItAndComposeRecreatesNothing() throws Exception {
        String repo = TestEnv.uniqueName("it/compose-api");
        TestImages.push(TestImages.webImage("api one"), repo + ":stable");
        String run = TestEnv.runLabels().entrySet().iterator().next().getKey();
        String runId = TestEnv.runId();
        compose = TestCompose.write(projectFolder, TestEnv.uniqueName("rdc"), """
                version: "3.7"
                services:
                  api:
                    image: %1$s/%2$s:stable
                    labels:
                      %3$s: "%4$s"
                  web:
                    image: %5$s
                    command: ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"]
                    depends_on: [api]
                    labels:
                      %3$s: "%4$s"
                networks:
                  default:
                    labels:
                      %3$s: "%4$s"
                """.formatted(TestEnv.registry(), repo, run, runId, TestImages.baseImage()));
        compose.run("up", "-d");
        String apiName = compose.container("api");
        String webName = compose.container("web");
        String webId = inspect(webName).getId();
        assertThat(TestImages.exec(webName, "wget", "-q", "-O", "-", "http://api/")).contains("api one");

        // A bystander: started by docker run, never adopted.
        String bystander = TestEnv.uniqueName("bystander");
        TestEnv.docker().createContainerCmd(TestImages.baseImage()).withName(bystander).withLabels(TestEnv.runLabels())
                .withCmd("sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done").exec();
        TestEnv.docker().startContainerCmd(bystander).exec();
        InspectContainerResponse bystanderBefore = inspect(bystander);

        List<UnfollowedContainer> unfollowed = redock.services().adoptions().unfollowed();
        assertThat(unfollowed).filteredOn(c -> compose.project().equals(c.project()))
                .extracting(UnfollowedContainer::composeService).containsExactlyInAnyOrder("api", "web");

        Service api = redock.services().adoptions().adopt(AdoptRequest.container(null, apiName, true)).get(0);
        assertThat(api.adopted()).isEqualTo(inspect(apiName).getId());
        assertThat(api.autoredeploy()).isTrue();
        assertThat(api.spec().labels()).containsEntry(ExistingContainer.COMPOSE_PROJECT, compose.project())
                .containsEntry(ExistingContainer.COMPOSE_SERVICE, "api");
        assertThat(inspect(apiName).getId()).as("adopting restarts nothing").isEqualTo(api.adopted());

        Scheduler scheduler = redock.scheduler(Duration.ofHours(1));
        String two = TestImages.push(TestImages.webImage("api two"), repo + ":stable");
        assertThat(scheduler.pollOnce().redeploying()).contains(api.name());
        await().atMost(DEPLOYMENT).until(() -> two.equals(redock.serviceStore().find(api.id()).orElseThrow().digest()));

        InspectContainerResponse apiAfter = inspect(apiName);
        assertThat(apiAfter.getId()).as("a new container").isNotEqualTo(api.adopted());
        assertThat(redock.serviceStore().find(api.id()).orElseThrow().adopted()).as("now labelled as Redock's").isNull();
        Map<String, String> labels = apiAfter.getConfig().getLabels();
        assertThat(labels).containsEntry(ExistingContainer.COMPOSE_PROJECT, compose.project())
                .containsEntry(ExistingContainer.COMPOSE_SERVICE, "api")
                .containsEntry("com.docker.compose.container-number", "1")
                .containsEntry("com.docker.compose.oneoff", "False")
                .containsEntry(ExistingContainer.COMPOSE_WORKING_DIR, projectFolder.toAbsolutePath().toString())
                .containsKey(ExistingContainer.COMPOSE_CONFIG_FILES)
                .containsKey("com.docker.compose.version");
        assertThat(compose.run("config", "--hash=api")).as("the hash compose expects now")
                .contains(labels.get(ExistingContainer.COMPOSE_CONFIG_HASH));
        assertThat(apiAfter.getNetworkSettings().getNetworks().get(compose.project() + "_default").getAliases())
                .contains("api");
        assertThat(TestImages.exec(webName, "wget", "-q", "-O", "-", "http://api/")).as("web reaches api by name")
                .contains("api two");
        assertThat(inspect(webName).getId()).isEqualTo(webId);

        String up = compose.run("up", "-d");
        assertThat(inspect(apiName).getId()).as("compose recreates nothing: " + up).isEqualTo(apiAfter.getId());
        assertThat(inspect(webName).getId()).as("compose recreates nothing: " + up).isEqualTo(webId);

        InspectContainerResponse bystanderAfter = inspect(bystander);
        assertThat(bystanderAfter.getId()).isEqualTo(bystanderBefore.getId());
        assertThat(bystanderAfter.getState().getStartedAt()).isEqualTo(bystanderBefore.getState().getStartedAt());
        assertThat(bystanderAfter.getState().getRunning()).isTrue();
    }

    @Test
    void servicesOfOneProjectThatMoveAtOnceRedeployDependenciesFirst() throws Exception {
        String repo = TestEnv.uniqueName("it/compose-shared");
        TestImages.push(TestImages.webImage("shared one"), repo + ":stable");
        String run = TestEnv.runLabels().entrySet().iterator().next().getKey();
        // "alpha" comes first by name but depends on "zulu": the files' order, not the names', decides.
        compose = TestCompose.write(projectFolder, TestEnv.uniqueName("rdo"), """
                version: "3.7"
                services:
                  alpha:
                    image: %1$s/%2$s:stable
                    depends_on: [zulu]
                    labels:
                      %3$s: "%4$s"
                  zulu:
                    image: %1$s/%2$s:stable
                    labels:
                      %3$s: "%4$s"
                networks:
                  default:
                    labels:
                      %3$s: "%4$s"
                """.formatted(TestEnv.registry(), repo, run, TestEnv.runId()));
        compose.run("up", "-d");
        List<Service> adopted = redock.services().adoptions().adopt(AdoptRequest.project(null, compose.project(), true));
        assertThat(adopted).extracting(Service::name)
                .containsExactlyInAnyOrder(compose.container("alpha"), compose.container("zulu"));

        Scheduler scheduler = redock.scheduler(Duration.ofHours(1));
        String two = TestImages.push(TestImages.webImage("shared two"), repo + ":stable");
        scheduler.pollOnce();
        for (Service s : adopted) {
            await().atMost(DEPLOYMENT).until(() -> two.equals(redock.serviceStore().find(s.id()).orElseThrow().digest()));
        }
        Service alpha = adopted.stream().filter(s -> s.name().endsWith("_alpha_1")).findFirst().orElseThrow();
        Service zulu = adopted.stream().filter(s -> s.name().endsWith("_zulu_1")).findFirst().orElseThrow();
        Deployment alphaDeployment = redock.services().history(alpha.id(), 1).get(0);
        Deployment zuluDeployment = redock.services().history(zulu.id(), 1).get(0);
        assertThat(alphaDeployment.started()).as("alpha waits until zulu, which it depends on, is redeployed")
                .isAfterOrEqualTo(zuluDeployment.ended());

        String up = compose.run("up", "-d");
        assertThat(up).as("compose recreates nothing").doesNotContain("Recreating");
    }

    private static InspectContainerResponse inspect(String name) {
        return TestEnv.docker().inspectContainerCmd(name).exec();
    }
}
