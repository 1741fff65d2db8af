package dev.redock.testenv;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A real Distribution registry that wants Bearer tokens, as Docker Hub does, with the token server it trusts: a request
 * without a token gets a challenge naming the server's {@code /token} realm; the server signs a JWT (RS256, its
 * certificate in the {@code x5c} header) for the scopes asked for, which the registry checks against the certificate in
 * its config before it answers. The registry is the real thing; the token server is the test's own, which counts the
 * tokens asked for, per scope, and may take its time to answer (to see requests of one scope that go out together).
 */
public final class TokenAuthRegistry implements AutoCloseable {

    public static final String SERVICE = "redock-test-registry";
    private static final String ISSUER = "redock-test-token-server";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer tokenServer;
    private final TestRegistry registry;
    private final PrivateKey key;
    private final String certificate;
    private final Duration lifetime;
    private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
    private volatile Duration answerDelay = Duration.ZERO;

    private TokenAuthRegistry(Path dir, Duration lifetime) throws IOException {
        this.lifetime = lifetime;
        Files.createDirectories(dir);
        Path keyFile = dir.resolve("token-key.pem");
        Path certFile = dir.resolve("token-cert.pem");
        makeKeyAndCertificate(dir, keyFile, certFile);
        this.key = privateKey(keyFile);
        this.certificate = certificateDer(certFile);
        this.tokenServer = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        tokenServer.createContext("/token", this::token);
        tokenServer.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "test-token-server");
            t.setDaemon(true);
            return t;
        }));
        tokenServer.start();
        String realm = "http://127.0.0.1:" + tokenServer.getAddress().getPort() + "/token";
        try {
            this.registry = TestRegistry.startWithTokenAuth(dir.resolve("registry"), realm, SERVICE, ISSUER, certFile);
        } catch (RuntimeException e) {
            tokenServer.stop(0);
            throw e;
        }
    }

    /**
     * Starts the token server and the registry, their files in {@code dir}.
     *
     * @param lifetime how long each token lasts ({@code expires_in}); Docker Hub's last 300 s
     */
    public static TokenAuthRegistry start(Path dir, Duration lifetime) {
        try {
            return new TokenAuthRegistry(dir, lifetime);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the token server", e);
        }
    }

    /** {@code 127.0.0.1:<port>}: the registry as an image reference names it. */
    public String address() {
        return registry.address();
    }

    /** The registry's log, to count what it was asked. */
    public RegistryLog log() {
        return new RegistryLog(registry.log());
    }

    /** How many tokens were asked for, for any scope. */
    public int tokenRequests() {
        return requests.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    /** How many tokens were asked for one scope, e.g. {@code repository:team/app:pull}. */
    public int tokenRequests(String scope) {
        AtomicInteger n = requests.get(scope);
        return n == null ? 0 : n.get();
    }

    /** Has the token server take this long over each answer from now on. */
    public void answerTokensAfter(Duration delay) {
        this.answerDelay = delay;
    }

    /** Pushes over HTTP with tokens the server signs for it (not counted as asked for). */
    public RegistryPush push() {
        return new RegistryPush(address(), repository -> "Bearer " + sign(List.of("repository:" + repository + ":pull,push")));
    }

    private void token(HttpExchange exchange) throws IOException {
        try (exchange) {
            List<String> scopes = new ArrayList<>();
            String query = exchange.getRequestURI().getRawQuery();
            for (String param : query == null ? new String[0] : query.split("&")) {
                if (param.startsWith("scope=")) {
                    scopes.add(URLDecoder.decode(param.substring("scope=".length()), StandardCharsets.UTF_8));
                }
            }
            scopes.forEach(scope -> requests.computeIfAbsent(scope, s -> new AtomicInteger()).incrementAndGet());
            if (!answerDelay.isZero()) {
                TimeUnit.MILLISECONDS.sleep(answerDelay.toMillis());
            }
            String token = sign(scopes);
            byte[] body = JSON.writeValueAsBytes(JSON.createObjectNode().put("token", token).put("access_token", token)
                    .put("expires_in", lifetime.toSeconds()).put("issued_at", Instant.now().toString()));
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A JWT granting the scopes' actions ({@code repository:<name>:<actions>}), signed with the server's key. */
    private String sign(List<String> scopes) {
        try {
            ObjectNode header = JSON.createObjectNode().put("typ", "JWT").put("alg", "RS256");
            header.putArray("x5c").add(certificate);
            long now = Instant.now().getEpochSecond();
            ObjectNode claims = JSON.createObjectNode().put("iss", ISSUER).put("sub", "").put("aud", SERVICE)
                    .put("exp", now + lifetime.toSeconds()).put("nbf", now - 10).put("iat", now)
                    .put("jti", UUID.randomUUID().toString());
            ArrayNode access = claims.putArray("access");
            for (String scope : scopes) {
                int first = scope.indexOf(':');
                int last = scope.lastIndexOf(':');
                if (first < 0 || last <= first) {
                    continue;
                }
                ObjectNode entry = access.addObject().put("type", scope.substring(0, first))
                        .put("name", scope.substring(first + 1, last));
                ArrayNode actions = entry.putArray("actions");
                for (String action : scope.substring(last + 1).split(",")) {
                    actions.add(action);
                }
            }
            String signed = base64Url(JSON.writeValueAsBytes(header)) + "." + base64Url(JSON.writeValueAsBytes(claims));
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initSign(key);
            rsa.update(signed.getBytes(StandardCharsets.US_ASCII));
            return signed + "." + base64Url(rsa.sign());
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException("could not sign a token", e);
        }
    }

    private static String base64Url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** An RSA key and a self-signed certificate for it, made by the real openssl. */
    private static void makeKeyAndCertificate(Path dir, Path keyFile, Path certFile) throws IOException {
        if (!Files.isExecutable(TestCertificates.OPENSSL)) {
            throw new IllegalStateException(TestCertificates.OPENSSL + " is missing; run the tests with `"
                    + TestEnv.SETUP_COMMAND + "`, which installs what is missing (apt package openssl).");
        }
        Process p = new ProcessBuilder(TestCertificates.OPENSSL.toString(), "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                "-keyout", keyFile.toString(), "-out", certFile.toString(), "-days", "2", "-subj", "/CN=" + ISSUER)
                .redirectErrorStream(true).redirectOutput(dir.resolve("openssl.log").toFile()).start();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException("openssl could not make the token server's key: "
                        + Files.readString(dir.resolve("openssl.log")));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while making the token server's key", e);
        }
    }

    private static PrivateKey privateKey(Path pem) throws IOException {
        try {
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der(pem, "PRIVATE KEY")));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("openssl made a key Java cannot read: " + pem, e);
        }
    }

    private static String certificateDer(Path pem) throws IOException {
        try (var in = Files.newInputStream(pem)) {
            X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            return Base64.getEncoder().encodeToString(cert.getEncoded());
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("openssl made a certificate Java cannot read: " + pem, e);
        }
    }

    private static byte[] der(Path pem, String kind) throws IOException {
        String text = Files.readString(pem);
        int start = text.indexOf("-----BEGIN " + kind + "-----");
        int end = text.indexOf("-----END " + kind + "-----");
        if (start < 0 || end < 0) {
            throw new IllegalStateException(pem + " holds no " + kind);
        }
        return Base64.getMimeDecoder().decode(text.substring(start + ("-----BEGIN " + kind + "-----").length(), end));
    }

    @Override
    public void close() {
        registry.close();
        tokenServer.stop(0);
    }
}
