package dev.redock.deploy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import dev.redock.app.Redock;
import dev.redock.model.ContainerSpec;
import dev.redock.model.DeployEvents;
import dev.redock.model.DeployResult;
import dev.redock.model.Deployment;
import dev.redock.model.ImageRef;
import dev.redock.model.Outcome;
import dev.redock.model.Service;
import dev.redock.service.LaunchRequest;
import dev.redock.testenv.DockerTest;
import dev.redock.testenv.Redocks;
import dev.redock.testenv.TestEnv;
import dev.redock.testenv.TestImages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A window hears of the deployments another process on the same data folder makes (an agent, the CLI), once each, and
 * of its own only from its own core.
 */
@ExtendWith(DockerTest.class)
class ChangeWatcherTest {

    @TempDir
    Path home;

    private Redock window;
    private Redock agent;
    private final List<String> heard = new CopyOnWriteArrayList<>();

    @BeforeEach
    void open() {
        window = Redocks.open(home);
        agent = Redocks.open(home);
        window.events().subscribe(new DeployEvents() {
            @Override
            public void deploymentStarted(Service service, Deployment d) {
                heard.add("started " + service.name() + " #" + d.id());
            }

            @Override
            public void deploymentFinished(Service service, Deployment d) {
                heard.add(d.outcome().label() + " " + service.name() + " #" + d.id());
            }
        });
        window.watchOtherProcesses();
    }

    @AfterEach
    void close() {
        agent.close();
        window.close();
    }

    @Test
    void announcesAnotherProcesssDeploymentsOnceAndItsOwnOnlyOnce() throws Exception {
        String repo = TestEnv.uniqueName("watch/web");
        TestImages.push(TestImages.webImage("one"), repo + ":stable");
        String name = TestEnv.uniqueName("web");
        Service web = agent.services().launch(new LaunchRequest(name, ImageRef.parse(TestEnv.registry() + "/" + repo + ":stable"),
                new ContainerSpec(null, null, null, null, null, null, null, 1), true), null);

        DeployResult byAgent = agent.services().redeploy(name);
        long agentsId = byAgent.deployment().id();
        await().atMost(Duration.ofSeconds(5)).until(() -> heard.contains("succeeded " + name + " #" + agentsId));
        assertThat(heard).as("the launch is not announced; the redeploy's end is, once")
                .filteredOn(h -> h.endsWith("#" + agentsId) && h.startsWith("succeeded")).hasSize(1);

        DeployResult byWindow = window.services().redeploy(web.id().toString());
        long windowsId = byWindow.deployment().id();
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4))
                .until(() -> heard.stream().filter(h -> h.endsWith("#" + windowsId)).count() == 2);
        assertThat(heard).contains("started " + name + " #" + windowsId, "succeeded " + name + " #" + windowsId);
        assertThat(byWindow.deployment().outcome()).isEqualTo(Outcome.SUCCEEDED);
    }
}
