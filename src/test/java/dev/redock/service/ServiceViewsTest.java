package dev.redock.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import dev.redock.app.Redock;
import dev.redock.model.ContainerSpec;
import dev.redock.model.DeployEvents;
import dev.redock.model.ImageRef;
import dev.redock.model.Labels;
import dev.redock.model.Service;
import dev.redock.model.ServiceStatus;
import dev.redock.model.ServiceView;
import dev.redock.model.Trigger;
import dev.redock.testenv.DockerTest;
import dev.redock.testenv.RawHttpServer;
import dev.redock.testenv.Redocks;
import dev.redock.testenv.TestEnv;
import dev.redock.testenv.TestImages;

/**
 * What the list shows of each service: from the database alone before any engine is asked ({@code storedViews}), and
 * with its container's state from one list of the engine's containers ({@code views}), on the real engine; beside it, an
 * engine that accepts connections and does not answer (a programmable server: the real engine does not hang on demand).
 */
@ExtendWith(DockerTest.class)
class ServiceViewsTest {

    @TempDir
    Path home;

    private final Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    private final List<String> containers = new ArrayList<>();
    private Redock redock;

    /** Closes the core, and removes the containers the test made. */
    @AfterEach
    void closeAndRemove() {
        if (redock != null) {
            redock.close();
        }
        containers.forEach(TestEnv::removeWithAnonymousVolumes);
    }

    @Test
    void eachServiceShowsItsOwnContainersStateAsTheEngineListsItAndAnExitCodeWhereItExited() {
        redock = Redocks.open(home);
        Service running = stored("running");
        Service failed = stored("failed");
        Service stopped = stored("stopped");
        Service missing = stored("missing");
        Service deploying = stored("deploying");
        container(running, running.name(), "trap 'exit 0' TERM; while true; do sleep 1; done", true);
        container(failed, failed.name(), "exit 3", true);
        container(stopped, stopped.name(), "exit 0", true);
        container(deploying, deploying.name(), "trap 'exit 0' TERM; while true; do sleep 1; done", true);
        // What a deployment makes beside a service's container (another name) is not the service's container.
        container(missing, missing.name() + "-new", "trap 'exit 0' TERM; while true; do sleep 1; done", false);
        redock.deploymentStore().start(deploying.id(), Trigger.MANUAL, deploying.digest(), null, now, "1:1@here#1");
        await().atMost(Duration.ofSeconds(30)).until(() -> exited(failed.name()) && exited(stopped.name()));

        Map<String, ServiceView> views = byName(redock.services().views());

        assertThat(views.get(running.name()).status()).isEqualTo(ServiceStatus.RUNNING);
        assertThat(views.get(running.name()).containerId()).isEqualTo(idOf(running.name()));
        assertThat(views.get(failed.name()).status()).isEqualTo(ServiceStatus.FAILED);
        assertThat(views.get(failed.name()).detail()).isEqualTo("exited with code 3");
        assertThat(views.get(stopped.name()).status()).isEqualTo(ServiceStatus.STOPPED);
        assertThat(views.get(missing.name()).status()).isEqualTo(ServiceStatus.MISSING);
        assertThat(views.get(deploying.name()).status()).isEqualTo(ServiceStatus.DEPLOYING);
        assertThat(views.get(deploying.name()).last().trigger()).isEqualTo(Trigger.MANUAL);
    }

    @Test
    void theServicesAsStoredAreCheckingUntilTheirEngineAnswersExceptOneWhoseDeploymentIsUnderWay() {
        redock = Redocks.open(home);
        Service web = stored("web");
        Service api = stored("api");
        redock.deploymentStore().start(api.id(), Trigger.MANUAL, api.digest(), null, now, "1:1@here#1");

        Map<String, ServiceView> views = byName(redock.services().storedViews());

        assertThat(views.get(web.name()).status()).isEqualTo(ServiceStatus.CHECKING);
        assertThat(views.get(web.name()).last()).isNull();
        assertThat(views.get(api.name()).status()).isEqualTo(ServiceStatus.DEPLOYING);
        assertThat(views.get(api.name()).last().trigger()).isEqualTo(Trigger.MANUAL);
    }

    @Test
    void anEngineThatNeverAnswersHoldsUpOnlyItsOwnServicesUntilTheDeadlineAndTheListAsksItOnceAtATime() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (RawHttpServer silent = RawHttpServer.start(c -> {
            release.await();
            c.send("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n[]");
        })) {
            redock = SilentEngine.beside(home, silent, now);
            Service running = stored("running");
            Service far = stored("far", "silent");
            container(running, running.name(), "trap 'exit 0' TERM; while true; do sleep 1; done", true);
            // As the window does: told that an answer came late, it lists the services again.
            List<Map<String, ServiceView>> listedWhenTold = new CopyOnWriteArrayList<>();
            redock.core().events().subscribe(new DeployEvents() {
                @Override
                public void servicesChanged() {
                    listedWhenTold.add(byName(redock.services().views()));
                }
            });

            Map<String, ServiceView> views = byName(redock.services().views());

            assertThat(views.get(running.name()).status()).as("the engine that answers").isEqualTo(ServiceStatus.RUNNING);
            assertThat(views.get(far.name()).status()).isEqualTo(ServiceStatus.UNREACHABLE);
            assertThat(views.get(far.name()).detail()).isEqualTo("engine \"silent\" unreachable: the engine at tcp://"
                    + silent.address() + " did not answer within 1 s");
            await().atMost(Duration.ofSeconds(10)).until(() -> silent.requests().size() == 1);

            // One service (its page, service inspect, the API's service): asked anew, and waited for no longer either.
            ServiceView one = redock.services().view(far);
            assertThat(one.status()).isEqualTo(ServiceStatus.UNREACHABLE);
            assertThat(one.detail()).isEqualTo(views.get(far.name()).detail());
            assertThat(redock.services().view(running).status()).isEqualTo(ServiceStatus.RUNNING);
            await().atMost(Duration.ofSeconds(10)).until(() -> silent.requests().size() == 2);

            // Asked again while the first question is unanswered: it waits on that one rather than asking again.
            views = byName(redock.services().views());
            assertThat(views.get(running.name()).status()).isEqualTo(ServiceStatus.RUNNING);
            assertThat(views.get(far.name()).status()).isEqualTo(ServiceStatus.UNREACHABLE);
            assertThat(silent.requests()).as("one question at a time").hasSize(2);

            // The late answer (no container there) is said, and the list asked then shows it without asking again.
            release.countDown();
            await().atMost(Duration.ofSeconds(10)).until(() -> !listedWhenTold.isEmpty());
            assertThat(listedWhenTold.get(0).get(far.name()).status()).isEqualTo(ServiceStatus.MISSING);
            assertThat(listedWhenTold.get(0).get(running.name()).status()).isEqualTo(ServiceStatus.RUNNING);
            assertThat(silent.requests()).hasSize(2);
        }
    }

    private Service stored(String prefix) {
        return stored(prefix, Service.DEFAULT_ENGINE);
    }

    private Service stored(String prefix, String engine) {
        Service s = new Service(UUID.randomUUID(), TestEnv.uniqueName(prefix), ImageRef.parse(TestImages.baseImage()),
                ContainerSpec.empty(), false, null, now, now, null, null, engine);
        redock.serviceStore().insertAll(List.of(s));
        return s;
    }

    /** A container with the service's label (and this run's), named {@code name}, running {@code script} with sh. */
    private void container(Service s, String name, String script, boolean start) {
        Map<String, String> labels = new HashMap<>(TestEnv.runLabels());
        labels.put(Labels.SERVICE, s.id().toString());
        String id = TestEnv.docker().createContainerCmd(TestImages.baseImage()).withName(name).withLabels(labels)
                .withCmd("sh", "-c", script).exec().getId();
        containers.add(id);
        if (start) {
            TestEnv.docker().startContainerCmd(id).exec();
        }
    }

    private static boolean exited(String name) {
        return "exited".equals(TestEnv.docker().inspectContainerCmd(name).exec().getState().getStatus());
    }

    private static String idOf(String name) {
        return TestEnv.docker().inspectContainerCmd(name).exec().getId();
    }

    private static Map<String, ServiceView> byName(List<ServiceView> views) {
        return views.stream().collect(Collectors.toMap(v -> v.service().name(), Function.identity()));
    }
}
