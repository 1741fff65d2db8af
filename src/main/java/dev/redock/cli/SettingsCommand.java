package dev.redock.cli;

import java.time.Duration;

import dev.redock.app.Durations;
import dev.redock.app.Redock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code redock settings interval [DURATION]}: shows or sets the poll interval every scheduler on the data folder uses. */
@Command(name = "settings", mixinStandardHelpOptions = true, description = "Show or change settings.",
        subcommands = SettingsCommand.Interval.class)
public final class SettingsCommand {

    @Command(name = "interval", mixinStandardHelpOptions = true,
            description = "Show or set the time between polls (e.g. 30s, 5m); a running scheduler follows it at its next cycle.")
    static final class Interval implements java.util.concurrent.Callable<Integer> {
        private final CliContext ctx;

        @Parameters(index = "0", arity = "0..1", paramLabel = "DURATION")
        String value;

        Interval(CliContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public Integer call() {
            if (value != null) {
                Duration d = Durations.parse(value);
                ctx.redock().settings().put(Redock.INTERVAL_SETTING, Durations.format(d));
            }
            ctx.out().println(Durations.format(ctx.redock().interval()));
            return 0;
        }
    }
}
