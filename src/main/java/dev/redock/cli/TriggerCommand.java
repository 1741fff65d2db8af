package dev.redock.cli;

import java.util.List;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import dev.redock.app.Redock;
import dev.redock.model.RedeployTrigger;
import dev.redock.model.Service;
import dev.redock.service.Settings;
import dev.redock.service.TriggerService;

/** {@code redock service trigger create|ls|rm}: secret URLs that redeploy a service when called. */
@Command(name = "trigger", mixinStandardHelpOptions = true,
        description = "Manage a service's redeploy trigger URLs (for registries that cannot be watched, CI jobs, scripts).")
public final class TriggerCommand {

    /** The API's address as the stored settings give it, for printing URLs. */
    static String baseUrl(Redock redock) {
        String address = redock.settings().get(Settings.API_ADDRESS).orElse(Settings.DEFAULT_API_ADDRESS);
        String port = redock.settings().get(Settings.API_PORT).orElse(String.valueOf(Settings.DEFAULT_API_PORT));
        return "http://" + (address.equals("0.0.0.0") ? "127.0.0.1" : address) + ":" + port;
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Make a trigger URL; it is shown this once (only a hash of its token is kept).")
    static final class Create implements java.util.concurrent.Callable<Integer> {
        private final CliContext ctx;

        @Parameters(index = "0", paramLabel = "SERVICE")
        String service;
        @Option(names = "--name", paramLabel = "NAME", required = true, description = "What to call it, e.g. \"docker hub\".")
        String name;

        Create(CliContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public Integer call() {
            Service s = ctx.services().get(service);
            TriggerService.Created c = ctx.core().triggers().create(s.id(), name);
            ctx.out().println(ctx.core().apiUrl() + c.path());
            ctx.err().println("Made the trigger \"" + name + "\" for " + s.name()
                    + ". POST to the URL above redeploys it; keep it secret: it is not shown again.");
            return 0;
        }
    }

    @Command(name = "ls", mixinStandardHelpOptions = true, description = "List a service's triggers.")
    static final class Ls implements java.util.concurrent.Callable<Integer> {
        private final CliContext ctx;

        @Parameters(index = "0", paramLabel = "SERVICE")
        String service;

        Ls(CliContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public Integer call() {
            Service s = ctx.services().get(service);
            List<RedeployTrigger> list = ctx.core().triggers().list(s.id());
            Table table = new Table("NAME", "UUID", "CREATED", "LAST CALLED");
            for (RedeployTrigger t : list) {
                table.row(t.name(), t.id().toString(), t.created().toString(), t.lastCalled() == null ? "never" : t.lastCalled().toString());
            }
            table.print(ctx.out());
            return 0;
        }
    }

    @Command(name = "rm", mixinStandardHelpOptions = true, description = "Revoke a trigger: its URL stops working at once.")
    static final class Rm implements java.util.concurrent.Callable<Integer> {
        private final CliContext ctx;

        @Parameters(index = "0", paramLabel = "SERVICE")
        String service;
        @Parameters(index = "1", paramLabel = "TRIGGER", description = "The trigger's name or uuid.")
        String trigger;

        Rm(CliContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public Integer call() {
            Service s = ctx.services().get(service);
            if (!ctx.core().triggers().revoke(s.id(), trigger)) {
                throw new dev.redock.model.ValidationException("trigger", s.name() + " has no trigger \"" + trigger + "\"");
            }
            ctx.out().println("Revoked \"" + trigger + "\"");
            return 0;
        }
    }
}
