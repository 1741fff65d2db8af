package dev.redock.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import dev.redock.engine.DockerEngine;
import dev.redock.engine.EngineException;
import dev.redock.engine.EngineUnavailableException;
import dev.redock.testenv.DockerCli;
import dev.redock.testenv.DockerTest;
import dev.redock.testenv.TestEnv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The engine Redock's wiring connects to, from an environment as the user's shell would hand it over: the docker CLI's
 * choice, made with the real CLI in a {@code DOCKER_CONFIG} of the test's own.
 */
@ExtendWith(DockerTest.class)
class EngineChoiceTest {

    @TempDir
    Path dir;

    @Test
    void usesTheContextChosenWithDockerContextUseWhenDockerHostIsNotSet() throws IOException, EngineException {
        // Another way to the tests' engine: a context of its own that leads there, and that nothing else would pick.
        Path socket = Files.createSymbolicLink(dir.resolve("engine.sock"), Path.of(TestEnv.dockerHost().getPath()));
        DockerCli docker = DockerCli.on(dir.resolve("docker-config"));
        docker.run("context", "create", "tests", "--docker", "host=unix://" + socket);
        docker.run("context", "use", "tests");

        try (DockerEngine engine = Redock.engineFor(Map.of("HOME", dir.toString(), "DOCKER_CONFIG",
                docker.configDir().toString()))) {
            assertThat(engine.describeHost()).isEqualTo("unix://" + socket);
            engine.ping();
        } finally {
            Files.delete(socket); // the link, not the engine's socket
        }
    }

    @Test
    void aContextThatDoesNotExistLeavesNoEngineAndEveryCallSaysWhy() {
        Map<String, String> env = Map.of("HOME", dir.toString(), "DOCKER_CONFIG", dir.resolve("docker-config").toString(),
                "DOCKER_CONTEXT", "nowhere");

        try (DockerEngine engine = Redock.engineFor(env)) {
            assertThatThrownBy(engine::ping)
                    .isInstanceOf(EngineUnavailableException.class)
                    .hasMessage("No Docker engine to use: docker context \"nowhere\" does not exist (DOCKER_CONTEXT);"
                            + " \"docker context ls\" lists them");
            assertThatThrownBy(engine::version).hasMessageStartingWith("No Docker engine to use: docker context \"nowhere\"");
            assertThat(engine.describeHost()).startsWith("no engine (docker context \"nowhere\" does not exist");
        }
    }
}
