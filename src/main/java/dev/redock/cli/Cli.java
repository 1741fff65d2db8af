package dev.redock.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

import dev.redock.service.Failure;

/**
 * Runs one CLI command. Expected failures (bad input, an unknown service, an unreachable engine or registry) print
 * one clear line and exit non-zero; only bugs print a stack trace, and to the log.
 */
public final class Cli {

    private static final Logger LOG = LoggerFactory.getLogger(Cli.class);

    /** Exit code for input that was refused. */
    public static final int EXIT_INVALID = Failure.EXIT_INVALID;
    /** Exit code for an operation that failed (engine, registry, deployment). */
    public static final int EXIT_FAILED = Failure.EXIT_FAILED;

    private Cli() {
    }

    public static int execute(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        CliContext context = new CliContext(env, out, err);
        try (context) {
            CommandLine cmd = new CommandLine(new RedockCommand(), new ContextFactory(context));
            cmd.setOut(new PrintWriter(out, true));
            cmd.setErr(new PrintWriter(err, true));
            cmd.setCaseInsensitiveEnumValuesAllowed(true);
            cmd.setParameterExceptionHandler((ex, a) -> {
                CommandLine c = ex.getCommandLine();
                // picocli starts some of its messages with its own "Error: "; after "redock: " it would be said twice.
                c.getErr().println("redock: " + String.valueOf(ex.getMessage()).replaceFirst("^Error: ", ""));
                if (!CommandLine.UnmatchedArgumentException.printSuggestions(ex, c.getErr())) {
                    c.getErr().println("Try '" + c.getCommandSpec().qualifiedName() + " --help' for more information.");
                }
                return EXIT_INVALID;
            });
            cmd.setExecutionExceptionHandler((ex, c, parsed) -> {
                Failure failure = Failure.of(ex);
                c.getErr().println("redock: " + Failure.message(ex));
                if (failure.worthStackTrace()) {
                    LOG.error("Command failed", ex);
                }
                return failure.exitCode();
            });
            return cmd.execute(args);
        }
    }

    /** Hands the context to every command that takes one in its constructor. */
    private record ContextFactory(CliContext context) implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> cls) throws Exception {
            try {
                return cls.getDeclaredConstructor(CliContext.class).newInstance(context);
            } catch (NoSuchMethodException e) {
                return CommandLine.defaultFactory().create(cls);
            }
        }
    }
}
