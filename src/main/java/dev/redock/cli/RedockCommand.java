package dev.redock.cli;

import picocli.CommandLine.Command;

import dev.redock.app.AppInfo;

/**
 * {@code redock}: with no subcommand the window opens (see {@code dev.redock.Main}); the CLI's commands under it are in
 * {@link CommandTree}.
 */
@Command(name = "redock",
        mixinStandardHelpOptions = true,
        versionProvider = RedockCommand.Version.class,
        description = "Keeps Docker services up to date by themselves.")
public final class RedockCommand {

    /** Prints {@code redock <version>}. */
    static final class Version implements picocli.CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"redock " + AppInfo.version()};
        }
    }
}
