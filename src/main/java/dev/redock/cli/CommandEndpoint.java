package dev.redock.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.sun.net.httpserver.HttpExchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.redock.api.ApiServer;
import dev.redock.app.AppInfo;
import dev.redock.app.Redock;

/**
 * The serving side of {@link CommandClient}: runs a command another process's CLI handed over on this process's open
 * core, exactly as that CLI would have run it (the same commands, their output streamed back as it is printed, the same
 * exit code), and answers {@code 409} instead, without running anything, whenever the answer could differ from the one
 * the caller would get by itself: another version of Redock, another data folder, an environment that chooses another
 * engine, other credentials or another deploy policy, or a command that belongs in a process of its own (the agent: run
 * here, it would take this process's stop signals).
 */
final class CommandEndpoint implements ApiServer.CommandHandler {

    private static final Logger LOG = LoggerFactory.getLogger(CommandEndpoint.class);

    private final Redock redock;

    CommandEndpoint(Redock redock) {
        this.redock = redock;
    }

    @Override
    public void handle(byte[] request, HttpExchange exchange) throws IOException {
        try (exchange) {
            CommandCall call;
            try {
                call = CommandCall.read(request);
            } catch (IOException e) {
                refuse(exchange, 400, "not a command: " + e.getMessage());
                return;
            }
            String refusal = refusal(call);
            if (refusal != null) {
                LOG.info("Left a CLI command to its own process: {}", refusal);
                refuse(exchange, 409, refusal);
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", CommandCall.MEDIA_TYPE);
            exchange.sendResponseHeaders(200, 0);
            CommandOutput.Writer answer = new CommandOutput.Writer(exchange.getResponseBody());
            Charset charset = Charset.forName(call.charset());
            PrintStream out = new PrintStream(answer.channel(CommandOutput.OUT), true, charset);
            PrintStream err = new PrintStream(answer.channel(CommandOutput.ERR), true, charset);
            Cli.Ran ran;
            try {
                ran = Cli.executeOn(redock, call.args().toArray(String[]::new), Path.of(call.workingFolder()), charset,
                        out, err);
            } finally {
                out.flush();
                err.flush();
            }
            answer.exit(ran.exitCode());
            LOG.info("Ran `{}` for the CLI of another process (exit {})", ran.command(), ran.exitCode());
        }
    }

    /** Why this process does not run the call (the caller then runs it itself), or null when it does. */
    private String refusal(CommandCall call) {
        if (!call.version().equals(AppInfo.version())) {
            return "the CLI is Redock " + call.version() + ", this process " + AppInfo.version();
        }
        if (!Path.of(call.dataFolder()).toAbsolutePath().normalize()
                .equals(redock.dataFolder().toAbsolutePath().normalize())) {
            return "the CLI's data folder is " + call.dataFolder() + ", this process's " + redock.dataFolder();
        }
        if (CommandCall.runsHereOnly(call.args().toArray(String[]::new), false)) {
            return "agent and service unlock run in a process of their own";
        }
        if (!Charset.isSupported(call.charset())) {
            return "the CLI's terminal speaks " + call.charset() + ", which this process does not";
        }
        Map<String, String> env = redock.environment().orElse(null);
        if (env == null) {
            return "this process was given its engine rather than its environment";
        }
        List<String> differ = call.differences(env);
        if (!differ.isEmpty()) {
            return "the CLI's environment sets " + String.join(", ", differ) + " otherwise";
        }
        return null;
    }

    private static void refuse(HttpExchange exchange, int status, String why) throws IOException {
        byte[] text = (why + "\n").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, text.length);
        try (OutputStream body = exchange.getResponseBody()) {
            body.write(text);
        }
    }
}
