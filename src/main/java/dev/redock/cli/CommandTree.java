package dev.redock.cli;

import java.util.List;
import java.util.Map;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The CLI's commands: which sits under which, in the order help lists them. picocli reads a command's annotations into its
 * model (options, parameters, usage text) when the command is added, which for the whole tree cost a new process about
 * 0.2 s; a command line gets the model of the commands its words name, and of every command only where they may be
 * listed or suggested.
 *
 * <p>From the top, each word that is the name of a command under the one before adds that command alone; the command
 * where that stops (at an option, a word that names none of them, an argument file or the end) gets every command under
 * it, to any depth, as the whole tree has them. picocli looks at a command's subcommands only while it reads the words
 * that follow that command, to match one, list them in help or suggest one for a word it does not know; at the command
 * where the walk stopped it finds the same as in the whole tree, and above it each word matched the one command added.
 * So {@code redock service ls} builds {@code redock}, {@code service} and {@code ls}; {@code redock --help},
 * {@code redock service --help}, {@code redock service lss} and {@code redock service} build all that they list.
 */
final class CommandTree {

    /** The commands under each command that has some (the others have none). */
    private static final Map<Class<?>, List<Class<?>>> UNDER = Map.of(
            RedockCommand.class, List.of(ServiceCommand.class, EngineCommand.class, AgentCommand.class, SettingsCommand.class),
            ServiceCommand.class, List.of(ServiceCommand.Run.class, ServiceCommand.Set.class, ServiceCommand.Ls.class,
                    ServiceCommand.Inspect.class, ServiceCommand.Redeploy.class, ServiceCommand.Start.class,
                    ServiceCommand.Stop.class, ServiceCommand.Rm.class, ServiceCommand.Unlock.class, AdoptCommands.Adopt.class,
                    AdoptCommands.Forget.class, TriggerCommand.class),
            TriggerCommand.class, List.of(TriggerCommand.Create.class, TriggerCommand.Ls.class, TriggerCommand.Rm.class),
            EngineCommand.class, List.of(EngineCommand.Ls.class, EngineCommand.Add.class, EngineCommand.Rm.class,
                    EngineCommand.Use.class),
            SettingsCommand.class, List.of(SettingsCommand.Interval.class, SettingsCommand.Api.class,
                    SettingsCommand.Pause.class, SettingsCommand.Resume.class));

    private CommandTree() {
    }

    /** {@code redock} with the commands {@code args} needs (see above); they are made by {@code factory} when they run. */
    static CommandLine of(String[] args, CommandLine.IFactory factory) {
        CommandLine top = new CommandLine(new RedockCommand(), factory);
        CommandLine at = top;
        Class<?> command = RedockCommand.class;
        for (String arg : args) {
            Class<?> named = named(command, arg);
            if (named == null) {
                break;
            }
            at = add(at, named);
            command = named;
        }
        addAll(at, command);
        return top;
    }

    /** {@code redock} with every command. */
    static CommandLine whole(CommandLine.IFactory factory) {
        return of(new String[0], factory);
    }

    /** The command under {@code command} that {@code word} names, or null. */
    private static Class<?> named(Class<?> command, String word) {
        for (Class<?> under : UNDER.getOrDefault(command, List.of())) {
            if (name(under).equals(word)) {
                return under;
            }
        }
        return null;
    }

    /** Adds every command under {@code command} to {@code line}, and theirs, to any depth. */
    private static void addAll(CommandLine line, Class<?> command) {
        for (Class<?> under : UNDER.getOrDefault(command, List.of())) {
            addAll(add(line, under), under);
        }
    }

    /** Adds {@code command} to {@code line}, as its annotation names it, with the model its annotations describe. */
    private static CommandLine add(CommandLine line, Class<?> command) {
        String name = name(command);
        line.addSubcommand(name, command);
        return line.getSubcommands().get(name);
    }

    private static String name(Class<?> command) {
        return command.getAnnotation(Command.class).name();
    }
}
