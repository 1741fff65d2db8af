package dev.redock.ui;

import static dev.redock.ui.ConsoleFixture.onFx;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import javafx.scene.control.TextInputControl;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.testfx.api.FxRobot;

import com.fasterxml.jackson.databind.JsonNode;

import dev.redock.api.ApiServer;
import dev.redock.cli.CliRunner;
import dev.redock.model.Json;
import dev.redock.service.ServiceInput;
import dev.redock.testenv.DockerTest;
import dev.redock.testenv.TestEnv;
import dev.redock.testenv.TestImages;

/**
 * The same bad input is refused with the same message whichever way it comes in: {@code redock service set}, a
 * {@code PATCH} of the API, and the window's Edit form (which starts the sentence with a capital). The message is the
 * one the service layer's single check gives; nothing is changed by any of them.
 */
@ExtendWith({DockerTest.class, FxExceptions.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OneMessageEverywhereTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /**
     * One bad input, as each surface takes it.
     *
     * @param cli       the options of {@code service set NAME}
     * @param apiBody   the body of {@code PATCH /api/v1/service/UUID/}
     * @param form      the Edit form's fields (by CSS id) and what is typed in them
     * @param formError the Edit form's label that shows the refusal
     * @param check     the service layer's own check of the same input, which gives the message
     */
    record Case(String what, List<String> cli, String apiBody, Map<String, String> form, String formError, Runnable check) {
        @Override
        public String toString() {
            return what;
        }
    }

    static Stream<Case> badInput() {
        return Stream.of(
                new Case("an environment key given twice", List.of("-e", "A=1", "-e", "A=2"),
                        "{\"env\": {\"A\": \"1\", \"A\": \"2\"}}", Map.of("#envField", "A=1\nA=2"), "#envError",
                        () -> ServiceInput.env(List.of("A=1", "A=2"))),
                new Case("a host port out of range", List.of("-p", "70000:80"),
                        "{\"ports\": [\"70000:80\"]}", Map.of("#portsField", "70000:80"), "#portsError",
                        () -> ServiceInput.ports(List.of("70000:80"))),
                new Case("an image reference with capitals", List.of("--image", "Not/A/Valid:Ref"),
                        "{\"image\": \"Not/A/Valid:Ref\"}", Map.of("#editImageField", "Not/A/Valid", "#editTagField", "Ref"),
                        "#editImageError", () -> ServiceInput.image("Not/A/Valid:Ref")),
                new Case("a minimum uptime that is not a duration", List.of("--min-uptime", "soon"),
                        "{\"min_uptime\": \"soon\"}", Map.of("#minUptimeField", "soon"), "#minUptimeError",
                        () -> ServiceInput.minUptime("soon")),
                new Case("a minimum uptime over an hour", List.of("--min-uptime", "2h"),
                        "{\"min_uptime\": \"2h\"}", Map.of("#minUptimeField", "2h"), "#minUptimeError",
                        () -> ServiceInput.minUptime("2h")));
    }

    private final FxRobot robot = new FxRobot();
    private Path home;
    private ConsoleFixture console;
    private CliRunner cli;
    private ApiServer api;
    private String token;
    private String name;
    private UUID id;
    private String stored;

    @BeforeAll
    void launchAServiceAndOpenTheConsoleAndTheApi() throws Exception {
        home = Files.createTempDirectory("redock-messages");
        String repo = TestEnv.uniqueName("ui/messages");
        TestImages.push(TestImages.webImage("one"), repo + ":stable");
        console = ConsoleFixture.open(home);
        cli = new CliRunner(home);
        name = TestEnv.uniqueName("msg");
        id = console.launchWithCli(cli, name, TestEnv.registry() + "/" + repo + ":stable", "-e", "MODE=prod");
        api = console.redock().startApi(0);
        token = console.redock().core().apiToken().value();
        stored = cli.run("service", "inspect", name).out();
    }

    @AfterAll
    void close() {
        console.closeRemoving(cli, name);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInput")
    void isRefusedWithTheSameMessageByTheCliTheApiAndTheEditForm(Case c) throws Exception {
        String message = messageOf(c.check());

        List<String> args = new ArrayList<>(List.of("service", "set", name));
        args.addAll(c.cli());
        CliRunner.Result set = cli.run(args.toArray(String[]::new));
        assertThat(set.exitCode()).as("CLI exit code").isEqualTo(2);
        assertThat(set.err()).as("CLI").isEqualTo("redock: " + message + System.lineSeparator());

        HttpResponse<String> patch = HTTP.send(HttpRequest.newBuilder(URI.create(api.baseUrl() + "/api/v1/service/" + id + "/"))
                .header("Authorization", "Bearer " + token)
                .method("PATCH", HttpRequest.BodyPublishers.ofString(c.apiBody()))
                .build(), HttpResponse.BodyHandlers.ofString());
        JsonNode error = Json.mapper().readTree(patch.body());
        assertThat(patch.statusCode()).as("API status").isEqualTo(422);
        assertThat(error.path("error").asText()).as("API").isEqualTo(message);

        assertThat(editFormSays(c)).as("Edit form").isEqualTo(Character.toUpperCase(message.charAt(0)) + message.substring(1));

        assertThat(cli.run("service", "inspect", name).out()).as("nothing changed").isEqualTo(stored);
    }

    private static String messageOf(Runnable check) {
        List<String> said = new ArrayList<>();
        assertThatThrownBy(check::run).satisfies(e -> said.add(e.getMessage()));
        return said.get(0);
    }

    /** Types the input into the Edit form of the service, reads the refusal, and cancels the edit. */
    private String editFormSays(Case c) {
        console.showDetailTab(robot, id, name, "configurationTab");
        await().atMost(Duration.ofSeconds(10)).until(() -> ConsoleFixture.present(robot, "#editButton"));
        robot.clickOn("#editButton");
        await().atMost(Duration.ofSeconds(10)).until(() -> ConsoleFixture.textOr(robot, "#editTitle", "").equals("Edit " + name));
        await().atMost(Duration.ofSeconds(10)).until(() -> ConsoleFixture.textOr(robot, "#envField", "").contains("MODE="));
        onFx(() -> c.form().forEach((field, text) -> robot.lookup(field).queryAs(TextInputControl.class).setText(text)));
        await().atMost(Duration.ofSeconds(5)).until(() -> ConsoleFixture.isShown(robot, c.formError()));
        String said = ConsoleFixture.text(robot, c.formError());
        robot.clickOn("#editCancel");
        await().atMost(Duration.ofSeconds(5)).until(() -> !ConsoleFixture.present(robot, "#editTitle"));
        return said;
    }
}
