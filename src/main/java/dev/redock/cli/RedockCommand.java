package dev.redock.cli;

import dev.redock.app.Main;
import picocli.CommandLine.Command;

/** {@code redock}: with no subcommand the window opens (see {@link Main}); these are the CLI's commands. */
@Command(name = "redock",
        mixinStandardHelpOptions = true,
        versionProvider = RedockCommand.Version.class,
        description = "Keeps Docker services up to date by themselves.",
        subcommands = {ServiceCommand.class, AgentCommand.class, SettingsCommand.class})
public final class RedockCommand {

    /** Prints {@code redock <version>}. */
    static final class Version implements picocli.CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"redock " + Main.version()};
        }
    }
}
