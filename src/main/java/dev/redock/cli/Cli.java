package dev.redock.cli;

import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

import dev.redock.api.ApiServer;
import dev.redock.app.Redock;
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

    /** Runs one command in this process, opening the core if the command needs it; returns its exit code. */
    public static int execute(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        try (CliContext context = new CliContext(env, out, err)) {
            return run(args, context, Charset.defaultCharset()).exitCode();
        }
    }

    /** What runs the commands the CLI of other processes hands to this one (see {@link CommandClient}), on its core. */
    public static ApiServer.CommandHandler endpoint(Redock redock) {
        return new CommandEndpoint(redock);
    }

    /** A command that ran: its exit code, and which it was ({@code redock service ls}; no arguments: they may be secret). */
    record Ran(int exitCode, String command) {
    }

    /**
     * Runs one command handed over by another process's CLI, on this process's open core, as that CLI would have run it.
     *
     * @param workingFolder where the command was typed
     * @param charset       how the caller's terminal encodes text ({@code out} and {@code err} encode so)
     */
    static Ran executeOn(Redock redock, String[] args, Path workingFolder, Charset charset, PrintStream out,
                         PrintStream err) {
        try (CliContext context = CliContext.on(redock, workingFolder, out, err)) {
            return run(args, context, charset);
        }
    }

    private static Ran run(String[] args, CliContext context, Charset charset) {
        CommandLine cmd = configure(CommandTree.of(args, factory(context)), context, charset);
        int code = cmd.execute(args);
        return new Ran(code, commandName(cmd.getParseResult()));
    }

    /** What makes the commands: with the context, for those that take it. */
    static CommandLine.IFactory factory(CliContext context) {
        return new ContextFactory(context);
    }

    /**
     * Sets up {@code cmd} and the commands under it (those added by then) to print on the context's streams, in
     * {@code charset}, and to answer bad input and failures with one line and their exit codes.
     */
    static CommandLine configure(CommandLine cmd, CliContext context, Charset charset) {
        cmd.setOut(new PrintWriter(new OutputStreamWriter(context.out(), charset), true));
        cmd.setErr(new PrintWriter(new OutputStreamWriter(context.err(), charset), true));
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
        return cmd;
    }

    /** The command a parse found, e.g. {@code redock service ls}: as far as it got. */
    private static String commandName(CommandLine.ParseResult parsed) {
        if (parsed == null) {
            return "redock";
        }
        CommandLine.ParseResult last = parsed;
        while (last.subcommand() != null) {
            last = last.subcommand();
        }
        return last.commandSpec().qualifiedName();
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
