package dev.redock;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalInt;

import dev.redock.app.AppPaths;
import dev.redock.app.Logging;
import dev.redock.app.StopSignals;
import dev.redock.cli.Cli;
import dev.redock.cli.CommandClient;
import dev.redock.ui.RedockApplication;

/**
 * Redock's entry point: with no arguments it opens the window (or brings forward the one already open on the data folder),
 * with a subcommand it runs the CLI: in the window or agent serving the data folder when one does, else here.
 *
 * <p>Logging is pointed at the data folder before anything logs, so this class keeps no logger of its own. It sits above
 * every package: only it knows both the window and the CLI, and neither knows it.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        Map<String, String> env = System.getenv();
        if (args.length > 0) {
            // A window or an agent serving the data folder runs the command on its open core: then nothing else loads here.
            OptionalInt answered = CommandClient.run(args, env, System.out, System.err);
            if (answered.isPresent()) {
                System.exit(answered.getAsInt());
            }
        }
        Path dataFolder = AppPaths.dataFolder(env);
        Logging.init(dataFolder);
        StopSignals.install();
        if (args.length == 0) {
            // One window per data folder: a second launch brings the first forward and ends at once. The exit also ends
            // the AWT threads a tray icon leaves behind.
            System.exit(RedockApplication.launchWindow(dataFolder, env, Cli::endpoint));
        }
        int code = run(args, env, System.out, System.err);
        System.exit(code);
    }

    /** Runs one CLI command; returns its exit code. */
    public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        return Cli.execute(args, env, out, err);
    }
}
