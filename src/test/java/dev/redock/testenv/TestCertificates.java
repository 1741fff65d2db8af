package dev.redock.testenv;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * TLS material for an engine on {@code tcp://127.0.0.1}, made by the real {@code openssl} as a user would make it: a CA,
 * a server certificate it signed for {@code IP:127.0.0.1}, a client certificate it signed, and a second CA that has
 * nothing to do with them (with a client certificate of its own), for the cases that must be refused.
 *
 * <p>The client folders are laid out as the docker CLI and Redock read them: {@code ca.pem}, {@code cert.pem},
 * {@code key.pem}. EC keys (P-256), valid for two days: quick to make.
 */
public final class TestCertificates {

    public static final Path OPENSSL = Path.of("/usr/bin/openssl");

    private final Path dir;

    private TestCertificates(Path dir) {
        this.dir = dir;
    }

    /** Makes everything in {@code dir}; fails naming the setup command when openssl is missing. */
    public static TestCertificates make(Path dir) {
        if (!Files.isExecutable(OPENSSL)) {
            throw new IllegalStateException(OPENSSL + " is not installed. The TLS tests make their certificates with it: run"
                    + " them with `" + TestEnv.SETUP_COMMAND + "`, which installs what is missing (apt package openssl).");
        }
        TestCertificates certs = new TestCertificates(dir.toAbsolutePath());
        try {
            Files.createDirectories(dir);
            certs.ca("ca", "Redock test CA");
            certs.ca("other-ca", "Unrelated test CA");
            certs.signed("server", "127.0.0.1", "ca", "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n");
            certs.signed("client", "redock-client", "ca", "extendedKeyUsage=clientAuth\n");
            certs.signed("stranger", "stranger-client", "other-ca", "extendedKeyUsage=clientAuth\n");
            certs.clientFolder("client-dir", "ca", "client");
            certs.clientFolder("wrong-ca-dir", "other-ca", "client");
            certs.clientFolder("stranger-dir", "ca", "stranger");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return certs;
    }

    /** The CA that signed the engine's and the client's certificates. */
    public Path caCert() {
        return dir.resolve("ca.pem");
    }

    /** The engine's certificate, made out to {@code IP:127.0.0.1}. */
    public Path serverCert() {
        return dir.resolve("server-cert.pem");
    }

    public Path serverKey() {
        return dir.resolve("server-key.pem");
    }

    /** What a client needs: the right CA, and a client certificate it signed. */
    public Path clientDir() {
        return dir.resolve("client-dir");
    }

    /** A client folder whose {@code ca.pem} is the unrelated CA: the engine's certificate must not be trusted. */
    public Path wrongCaDir() {
        return dir.resolve("wrong-ca-dir");
    }

    /** A client folder with the right CA but a client certificate the unrelated CA signed: the engine must refuse it. */
    public Path strangerDir() {
        return dir.resolve("stranger-dir");
    }

    private void ca(String name, String subject) throws IOException {
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", name + "-key.pem", "-out", name + ".pem", "-days", "2", "-subj", "/CN=" + subject);
    }

    private void signed(String name, String commonName, String ca, String extensions) throws IOException {
        Path ext = dir.resolve(name + ".ext");
        Files.writeString(ext, extensions, StandardCharsets.US_ASCII);
        openssl("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", name + "-key.pem", "-out", name + ".csr", "-subj", "/CN=" + commonName);
        openssl("x509", "-req", "-in", name + ".csr", "-CA", ca + ".pem", "-CAkey", ca + "-key.pem", "-CAcreateserial",
                "-out", name + "-cert.pem", "-days", "2", "-extfile", ext.toString());
    }

    private void clientFolder(String folder, String ca, String client) throws IOException {
        Path target = Files.createDirectories(dir.resolve(folder));
        Files.copy(dir.resolve(ca + ".pem"), target.resolve("ca.pem"), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(dir.resolve(client + "-cert.pem"), target.resolve("cert.pem"), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(dir.resolve(client + "-key.pem"), target.resolve("key.pem"), StandardCopyOption.REPLACE_EXISTING);
    }

    private void openssl(String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(OPENSSL.toString());
        command.addAll(List.of(args));
        Path output = dir.resolve("openssl.log");
        Process p = new ProcessBuilder(command).directory(dir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " failed: " + Files.readString(output));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + String.join(" ", command), e);
        }
    }
}
