package dev.redock.testenv;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

import dev.redock.app.Redock;
import dev.redock.deploy.DeployPolicy;
import dev.redock.engine.EngineSettings;
import dev.redock.registry.CredentialStore;

/** Opens Redock's real core for tests: on the test engine, labelling all it makes with this run's label. */
public final class Redocks {

    /** Short deadlines: test images start in well under a second. */
    public static final DeployPolicy TEST_POLICY = new DeployPolicy(Duration.ofMinutes(2), Duration.ofMinutes(2), Duration.ofSeconds(30), Duration.ofSeconds(2));

    private Redocks() {
    }

    public static Redock open(Path dataFolder) {
        return open(dataFolder, TEST_POLICY);
    }

    public static Redock open(Path dataFolder, DeployPolicy policy) {
        return open(dataFolder, TestEnv.dockerHost(), policy);
    }

    /** Redock on another engine than the test engine (a {@link TestPodman}, say). */
    public static Redock open(Path dataFolder, URI engineHost, DeployPolicy policy) {
        EngineSettings engine = EngineSettings.defaults().withHost(engineHost).withCommonLabels(TestEnv.runLabels());
        return new Redock(dataFolder, engine, CredentialStore.anonymous(), policy);
    }
}
