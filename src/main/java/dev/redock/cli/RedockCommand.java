package dev.redock.cli;

import picocli.CommandLine.Command;

import dev.redock.app.AppInfo;

/** {@code redock}: with no subcommand the window opens (see {@code dev.redock.Main}); these are the CLI's commands. */
@Command(name = "redock",
        mixinStandardHelpOptions = true,
        versionProvider = RedockCommand.Version.class,
        description = "Keeps Docker services up to date by themselves.",
        subcommands = {ServiceCommand.class, EngineCommand.class, AgentCommand.class, SettingsCommand.class})
public final class RedockCommand {

    /** Prints {@code redock <version>}. */
    static final class Version implements picocli.CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"redock " + AppInfo.version()};
        }
    }
}
