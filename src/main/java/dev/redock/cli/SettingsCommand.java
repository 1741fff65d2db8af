package dev.redock.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import dev.redock.model.Durations;
import dev.redock.service.Settings;

/** {@code redock settings interval [DURATION]}: shows or sets the poll interval every scheduler on the data folder uses. */
@Command(name = "settings", mixinStandardHelpOptions = true, description = "Show or change settings.")
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
                ctx.core().settings().setInterval(value);
            }
            ctx.out().println(Durations.format(ctx.core().settings().interval()));
            return 0;
        }
    }

    @Command(name = "api", mixinStandardHelpOptions = true,
            description = "Show or set where the HTTP API listens (used by the window and the agent at their next start).")
    static final class Api implements java.util.concurrent.Callable<Integer> {
        private final CliContext ctx;

        @picocli.CommandLine.Option(names = "--port", paramLabel = "PORT", description = "The API's port (default 7321).")
        Integer port;
        @picocli.CommandLine.Option(names = "--address", paramLabel = "ADDRESS",
                description = "The address to listen on (default 127.0.0.1). Any other address exposes the API beyond this machine.")
        String address;

        Api(CliContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public Integer call() throws java.io.IOException {
            if (port != null) {
                ctx.core().settings().setApiPort(port);
            }
            if (address != null) {
                if (!address.matches("[0-9.]+|[0-9a-fA-F:]+|localhost")) {
                    throw new dev.redock.model.ValidationException("address", "invalid address \"" + address + "\" (an IP address)");
                }
                ctx.redock().settings().put(Settings.API_ADDRESS, address);
            }
            ctx.out().println(TriggerCommand.baseUrl(ctx.redock()) + "/api/v1/");
            ctx.out().println("token: " + dev.redock.service.ApiToken.loadOrCreate(ctx.dataFolder()).file());
            return 0;
        }
    }

    @Command(name = "pause", mixinStandardHelpOptions = true,
            description = "Pause every autoredeploy (polls, image announcements, push webhooks) for every process on the data folder.")
    static final class Pause implements java.util.concurrent.Callable<Integer> {
        private final CliContext ctx;

        Pause(CliContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public Integer call() {
            ctx.core().settings().pauseAutoredeploy(true);
            ctx.out().println("Autoredeploys paused");
            return 0;
        }
    }

    @Command(name = "resume", mixinStandardHelpOptions = true, description = "Resume autoredeploys.")
    static final class Resume implements java.util.concurrent.Callable<Integer> {
        private final CliContext ctx;

        Resume(CliContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public Integer call() {
            ctx.core().settings().pauseAutoredeploy(false);
            ctx.out().println("Autoredeploys resumed");
            return 0;
        }
    }
}
