package dev.redock.api;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import dev.redock.app.Redock;
import dev.redock.service.ApiToken;
import dev.redock.testenv.DockerTest;
import dev.redock.testenv.Redocks;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Clients that send part of a request and then nothing (slowloris), over real sockets to the real API: the server cuts
 * them off once the time to send a request has passed, and its threads go back to answering others.
 */
@ExtendWith(DockerTest.class)
class SlowClientTest {

    @TempDir
    Path home;

    private Redock redock;
    private ApiServer api;
    private final List<Socket> stalled = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        redock = Redocks.open(home);
        api = redock.startApi(0);
    }

    @AfterEach
    void stop() throws IOException {
        for (Socket socket : stalled) {
            socket.close();
        }
        redock.close();
    }

    @Test
    void requestsThatStallInTheirHeadersOrTheirBodyAreCutOffAndTheServerKeepsAnswering() throws Exception {
        Duration bound = ApiServer.maxRequestTime();
        assertThat(bound).as("the time to send a request is bounded").isPositive();
        // As many as the server has threads, so that none is left unless the stalled ones are cut off.
        for (int i = 0; i < ApiServer.THREADS; i++) {
            String head = "POST /api/v1/service/" + UUID.randomUUID() + "/webhook/github HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Type: application/json\r\n";
            stalled.add(sendAndStall(i % 2 == 0 ? head : head + "Content-Length: 1000\r\n\r\n{\"ref\":"));
        }

        for (Socket socket : stalled) {
            socket.setSoTimeout((int) bound.multipliedBy(3).toMillis());
            assertThat(cutOff(socket.getInputStream())).as("cut off within 3 times " + bound.toSeconds() + " s").isTrue();
        }
        HttpRequest list = HttpRequest.newBuilder(URI.create(api.baseUrl() + "/api/v1/service"))
                .header("Authorization", "Bearer " + ApiToken.loadOrCreate(home).value())
                .timeout(bound).build();
        HttpResponse<String> answer = HttpClient.newHttpClient().send(list, HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(200);
    }

    private Socket sendAndStall(String partOfARequest) throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), api.port());
        socket.getOutputStream().write(partOfARequest.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        return socket;
    }

    /** Whether the server closed the connection without an answer before the socket's read timeout. */
    private static boolean cutOff(InputStream in) throws IOException {
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (SocketException reset) {
            return true;
        }
    }
}
