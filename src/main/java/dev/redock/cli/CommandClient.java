package dev.redock.cli;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URI;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import dev.redock.api.ApiServer;
import dev.redock.app.AppInfo;
import dev.redock.app.AppPaths;
import dev.redock.app.ServingFile;
import dev.redock.service.ApiToken;

/**
 * The CLI's first step: when a window or an agent serves the API on the data folder ({@link ServingFile}), it hands the
 * command to that process, which runs it on its open core, and prints the answer as it comes; the database, the engine
 * and the registry are then not opened here at all. Whenever that cannot be done exactly as here (no such process, one
 * that stopped, another version, another environment, a command that must run in its own process), it says so by
 * returning nothing, quietly, and the command runs here.
 *
 * <p>Nothing but the JDK's core classes is loaded on this path (no logging, no picocli, no JSON, no database): it is all a
 * command costs while a Redock process runs.
 */
public final class CommandClient {

    /** How long to wait for the serving process to accept the connection before running the command here. */
    private static final int CONNECT_TIMEOUT_MILLIS = 2_000;

    private CommandClient() {
    }

    /**
     * Runs the command in the Redock process serving the data folder, printing its output on {@code out} and {@code err}
     * as it comes.
     *
     * @return its exit code; empty when it is to run here instead (nothing has been printed then)
     */
    public static OptionalInt run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        if (CommandCall.runsHereOnly(args, System.console() != null)) {
            return OptionalInt.empty();
        }
        Path dataFolder = AppPaths.dataFolder(env);
        Optional<ServingFile.Serving> serving = ServingFile.read(dataFolder);
        if (serving.isEmpty() || !serving.get().alive()) {
            return OptionalInt.empty();
        }
        String token;
        try {
            token = Files.readString(dataFolder.resolve(ApiToken.FILE), StandardCharsets.UTF_8).strip();
        } catch (IOException unreadable) {
            return OptionalInt.empty();
        }
        CommandCall call = new CommandCall(AppInfo.version(), dataFolder.toString(),
                Path.of("").toAbsolutePath().toString(), Charset.defaultCharset().name(), Arrays.asList(args),
                CommandCall.deciding(env));
        HttpURLConnection connection;
        InputStream answer;
        try {
            connection = (HttpURLConnection) URI.create(serving.get().url().concat(ApiServer.COMMANDS_PATH)).toURL()
                    .openConnection(Proxy.NO_PROXY);
            byte[] body = call.bytes();
            connection.setConnectTimeout(CONNECT_TIMEOUT_MILLIS);
            connection.setRequestMethod("POST");
            connection.setRequestProperty("Authorization", "Bearer ".concat(token));
            connection.setRequestProperty("Content-Type", CommandCall.MEDIA_TYPE);
            connection.setDoOutput(true);
            connection.setFixedLengthStreamingMode(body.length);
            try (OutputStream request = connection.getOutputStream()) {
                request.write(body);
            }
            if (connection.getResponseCode() != 200) {
                // Refused (another version or environment, an older Redock without this endpoint): run it here.
                connection.disconnect();
                return OptionalInt.empty();
            }
            answer = connection.getInputStream();
        } catch (IOException | IllegalArgumentException unreachable) {
            return OptionalInt.empty();
        }
        try (answer) {
            return OptionalInt.of(CommandOutput.relay(answer, out, err));
        } catch (IOException cutShort) {
            out.flush();
            err.println("redock: the Redock process serving " + dataFolder + " (pid " + serving.get().pid()
                    + ") stopped before the command ended" + (cutShort instanceof EOFException ? ""
                    : ": " + cutShort.getMessage()));
            return OptionalInt.of(Cli.EXIT_FAILED);
        }
    }
}
