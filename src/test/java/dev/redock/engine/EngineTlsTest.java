package dev.redock.engine;

import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.redock.testenv.TestCertificates;
import dev.redock.testenv.TestDockerd;
import dev.redock.testenv.TestEnv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code tcp://} with TLS, against a real engine of the tests' own ({@link TestDockerd}, never the user's) that listens on
 * 127.0.0.1 with {@code --tlsverify} and certificates {@code openssl} made for this class: Redock verifies the engine's
 * certificate against the TLS folder's CA and shows its client certificate, and says so plainly when either side does
 * not trust the other. One engine for the whole class.
 */
class EngineTlsTest {

    @TempDir
    static Path dir;
    private static TestCertificates certs;
    private static TestDockerd dockerd;

    @BeforeAll
    static void startAnEngineThatWantsTls() {
        certs = TestCertificates.make(dir.resolve("tls"));
        dockerd = TestDockerd.startWithTls(certs.caCert(), certs.serverCert(), certs.serverKey());
    }

    @AfterAll
    static void stopIt() {
        if (dockerd != null) {
            dockerd.close();
        }
    }

    private static DockerEngine connect(Path tlsDir) throws EngineException {
        EngineAddress address = EngineAddress.parse(dockerd.tlsHost().toString(), tlsDir);
        return DockerEngine.connect(EngineSettings.of(address).withCommonLabels(TestEnv.runLabels()));
    }

    @Test
    void talksToTheEngineOverVerifiedTlsWithItsClientCertificate() throws EngineException {
        try (DockerEngine engine = connect(certs.clientDir())) {
            engine.ping();

            assertThat(engine.version().product()).isEqualTo("Docker");
            assertThat(engine.listByLabel(TestEnv.RUN_LABEL, null)).isEmpty();
            assertThat(engine.describeHost()).isEqualTo(dockerd.tlsHost() + " (TLS)");
        }
    }

    @Test
    void refusesAnEngineWhoseCertificateAnotherCaSigned() throws EngineException {
        try (DockerEngine engine = connect(certs.wrongCaDir())) {
            assertThatThrownBy(engine::ping)
                    .isInstanceOf(EngineUnavailableException.class)
                    .hasMessageStartingWith("Docker engine at " + dockerd.tlsHost() + " (TLS) is unreachable: its TLS certificate"
                            + " is not signed by the CA in " + certs.wrongCaDir().resolve("ca.pem"));
        }
    }

    @Test
    void saysWhenTheEngineRefusesItsClientCertificate() throws EngineException {
        try (DockerEngine engine = connect(certs.strangerDir())) {
            assertThatThrownBy(engine::ping)
                    .isInstanceOf(EngineUnavailableException.class)
                    .hasMessageStartingWith("Docker engine at " + dockerd.tlsHost() + " (TLS) is unreachable: ")
                    .hasMessageContaining("does not accept Redock's client certificate " + certs.strangerDir().resolve("cert.pem"));
        }
    }

    @Test
    void withoutTlsTheEngineSaysItWantsIt() {
        try (DockerEngine engine = DockerEngine.connect(EngineSettings.of(EngineAddress.of(dockerd.tlsHost())))) {
            assertThatThrownBy(engine::ping)
                    .isInstanceOf(EngineUnavailableException.class)
                    .hasMessageContaining("HTTP request to an HTTPS server");
        }
    }
}
