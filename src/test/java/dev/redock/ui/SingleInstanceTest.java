package dev.redock.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SingleInstanceTest {

    @TempDir
    Path dataFolder;

    @Test
    void theFirstClaimHoldsTheFolderAndASecondLaunchBringsItsWindowForward() throws Exception {
        try (SingleInstance first = SingleInstance.claim(dataFolder).orElseThrow()) {
            AtomicInteger shown = new AtomicInteger();
            assertThat(SingleInstance.bringForward(dataFolder)).as("answered before the window is ready").isTrue();
            first.onShow(shown::incrementAndGet);
            assertThat(shown).as("the early request is kept for when the window is ready").hasValue(1);

            assertThat(SingleInstance.claim(dataFolder)).as("a second claim on the same folder").isEmpty();
            assertThat(SingleInstance.bringForward(dataFolder)).isTrue();
            await().atMost(Duration.ofSeconds(5)).until(() -> shown.get() == 2);
            assertThat(SingleInstance.holder(dataFolder)).contains(ProcessHandle.current().pid());
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataFolder.resolve(SingleInstance.FILE))))
                    .as("only the user may read the nonce").isEqualTo("rw-------");
        }
        Optional<SingleInstance> again = SingleInstance.claim(dataFolder);
        assertThat(again).as("released when closed").isPresent();
        again.get().close();
    }

    @Test
    void aRequestWithoutTheNonceIsRefusedAndDoesNothing() throws Exception {
        try (SingleInstance first = SingleInstance.claim(dataFolder).orElseThrow()) {
            AtomicInteger shown = new AtomicInteger();
            first.onShow(shown::incrementAndGet);
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), first.port())) {
                s.getOutputStream().write((SingleInstance.SHOW + " 00000000000000000000000000000000\n").getBytes(StandardCharsets.UTF_8));
                String answer = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8)).readLine();
                assertThat(answer).isEqualTo("refused");
            }
            assertThat(shown).hasValue(0);
        }
    }

    @Test
    void aFileLeftByAProcessThatDiedIsNotALiveWindow() throws Exception {
        Files.writeString(dataFolder.resolve(SingleInstance.FILE), "1 deadbeef 999999\n");
        assertThat(SingleInstance.bringForward(dataFolder)).as("nobody listens on port 1").isFalse();
        try (SingleInstance claimed = SingleInstance.claim(dataFolder).orElseThrow()) {
            assertThat(SingleInstance.holder(dataFolder)).contains(ProcessHandle.current().pid());
        }
    }
}
