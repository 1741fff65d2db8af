package dev.redock.ui;

import static dev.redock.ui.ConsoleFixture.onFx;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;

import dev.redock.api.ApiServer;
import dev.redock.cli.CliRunner;
import dev.redock.model.Deployment;
import dev.redock.model.Outcome;
import dev.redock.model.RedeployTrigger;
import dev.redock.model.Trigger;
import dev.redock.testenv.DockerTest;
import dev.redock.testenv.TestEnv;
import dev.redock.testenv.TestImages;

/**
 * The Triggers tab makes a trigger URL that really redeploys through the window's API, and revoking it there really
 * stops it; the Settings dialog shows the API token itself.
 */
@ExtendWith({DockerTest.class, FxExceptions.class})
class TriggersTabTest {

    @TempDir
    Path home;

    private final FxRobot robot = new FxRobot();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private ConsoleFixture console;
    private CliRunner cli;
    private String name;
    private UUID id;

    @BeforeEach
    void launchAServiceAndOpenTheConsole() throws Exception {
        String repo = TestEnv.uniqueName("ui/triggers");
        TestImages.push(TestImages.webImage("one"), repo + ":stable");
        String image = TestEnv.registry() + "/" + repo + ":stable";
        console = ConsoleFixture.open(home);
        if (console.redock().api().isEmpty()) {
            console.redock().startApi(0);
        }
        cli = new CliRunner(home);
        name = TestEnv.uniqueName("trig");
        id = console.launchWithCli(cli, name, image);
    }

    @AfterEach
    void close() {
        console.closeRemoving(cli, name);
    }

    @Test
    void aTriggerMadeInTheTabRedeploysWhenCalledAndAnswers404OnceRevokedThere() throws Exception {
        openTriggersTab();

        robot.clickOn("#triggerNameField");
        robot.write("/bad");
        await().atMost(Duration.ofSeconds(5)).until(() -> onFx(() -> this.<Label>node("#triggerNameError").getText())
                .contains("invalid trigger name"));
        assertThat(onFx(() -> this.<Button>node("#createTriggerButton").isDisabled())).isTrue();
        assertThat(onFx(() -> this.<Label>node("#triggerNameError").isVisible())).isTrue();

        robot.press(KeyCode.CONTROL).type(KeyCode.A).release(KeyCode.CONTROL);
        robot.write("ci");
        await().atMost(Duration.ofSeconds(5)).until(() -> onFx(() -> !this.<Button>node("#createTriggerButton").isDisabled()));
        assertThat(onFx(() -> this.<Label>node("#triggerNameError").getText())).isEmpty();
        robot.clickOn("#createTriggerButton");

        await().atMost(Duration.ofSeconds(10)).until(() -> !onFx(() -> this.<TextField>node("#newTriggerUrl").getText()).isEmpty());
        String url = onFx(() -> this.<TextField>node("#newTriggerUrl").getText());
        String base = console.redock().api().map(ApiServer::baseUrl).orElseThrow();
        assertThat(url).startsWith(base + "/api/v1/service/" + id + "/trigger/").endsWith("/call/");
        await().atMost(Duration.ofSeconds(5)).until(() -> rows().stream().map(RedeployTrigger::name).toList().equals(List.of("ci")));
        assertThat(onFx(() -> this.<TextField>node("#triggerNameField").getText())).isEmpty();

        assertThat(post(url)).isEqualTo(202);
        await().atMost(Duration.ofSeconds(60)).until(() -> console.redock().services().history(id, 20).stream()
                .anyMatch(d -> d.trigger() == Trigger.TRIGGER_URL && d.outcome() != Outcome.RUNNING));
        Deployment d = console.redock().services().history(id, 20).stream()
                .filter(x -> x.trigger() == Trigger.TRIGGER_URL).findFirst().orElseThrow();
        assertThat(d.outcome()).isEqualTo(Outcome.SUCCEEDED);
        await().atMost(Duration.ofSeconds(10)).until(() -> rows().stream().anyMatch(t -> t.lastCalled() != null));
        console.awaitIdle();
        robot.clickOn("#revokeTrigger-ci");
        await().atMost(Duration.ofSeconds(5)).until(() -> ConsoleFixture.present(robot, "#confirm-ok"));
        robot.clickOn("#confirm-ok");
        await().atMost(Duration.ofSeconds(10)).until(() -> rows().isEmpty());
        assertThat(console.redock().triggers().list(id)).isEmpty();
        assertThat(post(url)).isEqualTo(404);
    }

    @Test
    void theWebhookSettingsShowOnlyWhenAskedForWithTheSecretMasked() {
        openTriggersTab();
        assertThat(console.redock().triggers().existingWebhookSecret(id)).isEmpty();
        robot.clickOn("#showWebhookButton");
        await().atMost(Duration.ofSeconds(10)).until(() -> !onFx(() -> this.<SecretField>node("#webhookSecretField").getText()).isEmpty());
        String base = console.redock().api().map(ApiServer::baseUrl).orElseThrow();
        assertThat(onFx(() -> this.<TextField>node("#githubUrlField").getText()))
                .isEqualTo(base + "/api/v1/service/" + id + "/webhook/github/");
        assertThat(onFx(() -> this.<TextField>node("#gitlabUrlField").getText()))
                .isEqualTo(base + "/api/v1/service/" + id + "/webhook/gitlab/");
        SecretField secret = node("#webhookSecretField");
        assertThat(onFx(() -> secret.getText())).isEqualTo(console.redock().triggers().existingWebhookSecret(id).orElseThrow());
        assertThat(onFx(() -> this.<TextField>node("#webhookSecretField-plain").isVisible())).isFalse();
        scrollToTheEnd();
        robot.clickOn("#webhookSecretField-show");
        assertThat(onFx(() -> this.<TextField>node("#webhookSecretField-plain").isVisible())).isTrue();
    }

    @Test
    void theSettingsDialogShowsTheApiTokenAfterShow() throws Exception {
        robot.clickOn("#settingsButton");
        await().atMost(Duration.ofSeconds(10)).until(() -> onFx(() -> robot.lookup("#apiTokenField").tryQuery()
                .map(n -> !((SecretField) n).getText().isEmpty()).orElse(false)));
        String token = Files.readString(home.resolve("api-token"), StandardCharsets.UTF_8).strip();
        TextField plain = node("#apiTokenField-plain");
        assertThat(onFx(plain::isVisible)).isFalse();
        robot.clickOn("#apiTokenField-show");
        assertThat(onFx(plain::isVisible)).isTrue();
        assertThat(onFx(() -> plain.getText())).isEqualTo(token);
        robot.clickOn("#settingsCancel");
    }

    private void openTriggersTab() {
        console.showDetailTab(robot, id, name, "triggersTab");
    }

    /** Scrolls the Triggers tab down to the webhook section, as a user in a small window would. */
    private void scrollToTheEnd() {
        onFx((Runnable) () -> {
            javafx.scene.Parent p = this.<javafx.scene.Node>node("#webhookGrid").getParent();
            while (!(p instanceof javafx.scene.control.ScrollPane)) {
                p = p.getParent();
            }
            ((javafx.scene.control.ScrollPane) p).setVvalue(1.0);
            p.layout();
        });
        org.testfx.util.WaitForAsyncUtils.waitForFxEvents();
    }

    private List<RedeployTrigger> rows() {
        return onFx(() -> List.copyOf(ConsoleFixture.<TableView<RedeployTrigger>>node(robot, "#triggersTable").getItems()));
    }

    private int post(String url) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        return r.statusCode();
    }

    private <T extends javafx.scene.Node> T node(String query) {
        return ConsoleFixture.node(robot, query);
    }
}
