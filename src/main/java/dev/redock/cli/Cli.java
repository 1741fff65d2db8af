package dev.redock.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.redock.engine.EngineException;
import dev.redock.git.GitException;
import dev.redock.model.ValidationException;
import dev.redock.registry.RegistryException;
import dev.redock.schedule.SchedulerLock;
import dev.redock.store.StoreException;
import picocli.CommandLine;

/**
 * Runs one CLI command. Expected failures (bad input, an unknown service, an unreachable engine or registry) print
 * one clear line and exit non-zero; only bugs print a stack trace, and to the log.
 */
public final class Cli {

    private static final Logger LOG = LoggerFactory.getLogger(Cli.class);

    /** Exit code for input that was refused. */
    public static final int EXIT_INVALID = 2;
    /** Exit code for an operation that failed (engine, registry, deployment). */
    public static final int EXIT_FAILED = 1;

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
                c.getErr().println("redock: " + describe(ex));
                if (!isExpected(ex)) {
                    LOG.error("Command failed", ex);
                }
                return ex instanceof ValidationException ? EXIT_INVALID : EXIT_FAILED;
            });
            return cmd.execute(args);
        }
    }

    static String describe(Throwable ex) {
        if (ex instanceof ValidationException || ex instanceof EngineException || ex instanceof RegistryException
                || ex instanceof StoreException || ex instanceof SchedulerLock.AlreadyRunningException || ex instanceof GitException) {
            return ex.getMessage();
        }
        return ex.toString();
    }

    private static boolean isExpected(Throwable ex) {
        return ex instanceof ValidationException || ex instanceof EngineException || ex instanceof RegistryException
                || ex instanceof SchedulerLock.AlreadyRunningException || ex instanceof GitException;
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
