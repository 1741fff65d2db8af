package dev.redock.testenv;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * For test classes that use the Docker engine: {@code @ExtendWith(DockerTest.class)}. Before the class it checks that the
 * engine answers (and fails, never skips, with the setup command when it does not); after the last test of the JVM it
 * removes everything that carries this run's label.
 */
public final class DockerTest implements BeforeAllCallback {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(DockerTest.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        TestEnv.docker();
        // The root context's store is closed when the whole test run of this JVM ends.
        context.getRoot().getStore(NAMESPACE).computeIfAbsent(CleanUp.class, key -> new CleanUp(), CleanUp.class);
    }

    /** Closed by JUnit once, after all tests of the JVM. */
    static final class CleanUp implements AutoCloseable {
        @Override
        public void close() {
            TestEnv.cleanUp();
        }
    }
}
