package dev.redock.cli;

import java.util.Map;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import dev.redock.model.EngineStatus;
import dev.redock.service.EngineService;

/** {@code redock engine ls|add|rm|use}: the engines services run on. */
@Command(name = "engine", mixinStandardHelpOptions = true,
        description = "List, add and remove the Docker engines services run on, and choose where new ones go.")
public final class EngineCommand {

    @Command(name = "ls", mixinStandardHelpOptions = true,
            description = "List the engines, each asked now whether it answers (* marks where new services go).")
    static final class Ls implements java.util.concurrent.Callable<Integer> {
        private final CliContext ctx;

        @Option(names = {"-q", "--quiet"}, description = "Only print names.")
        boolean quiet;

        Ls(CliContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public Integer call() {
            EngineService engines = ctx.core().engines();
            if (quiet) {
                engines.names().forEach(ctx.out()::println);
                return 0;
            }
            String forNew = engines.forNew();
            Map<String, Integer> counts = engines.serviceCounts();
            Table table = new Table("NAME", "WHERE", "STATE", "SERVICES");
            for (EngineStatus e : engines.check()) {
                String where = e.address() == null ? e.entry().describe() : e.address() + " (" + e.source() + ")";
                table.row(e.name() + (e.name().equals(forNew) ? " *" : ""), where, e.describeState(),
                        String.valueOf(counts.getOrDefault(e.name(), 0)));
            }
            table.print(ctx.out());
            for (String offer : engines.offered()) {
                ctx.err().println("redock: not in the list yet: " + offer);
            }
            return 0;
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Add an engine: a docker context by name, or an address (unix://PATH, tcp://HOST:PORT, ssh://USER@HOST[:PORT]).")
    static final class Add implements java.util.concurrent.Callable<Integer> {
        private final CliContext ctx;

        @Parameters(index = "0", paramLabel = "NAME", description = "What to call it (letters, digits, '_', '.', '-').")
        String name;
        @Parameters(index = "1", paramLabel = "CONTEXT|ADDRESS", description = "A docker context's name, or the engine's address.")
        String where;
        @Option(names = "--tls", paramLabel = "DIR",
                description = "With a tcp:// address: verify the engine with DIR/ca.pem and present DIR/cert.pem and DIR/key.pem.")
        String tls;

        Add(CliContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public Integer call() {
            EngineStatus added = ctx.core().engines().add(name, where, tls);
            ctx.out().println(added.name());
            ctx.err().println("Added engine " + added.name() + " (" + added.entry().describe() + "): " + added.describeState());
            added.limitations().forEach(l -> ctx.err().println("  " + l));
            return 0;
        }
    }

    @Command(name = "rm", mixinStandardHelpOptions = true, description = "Remove an engine that no service runs on.")
    static final class Rm implements java.util.concurrent.Callable<Integer> {
        private final CliContext ctx;

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        Rm(CliContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public Integer call() {
            ctx.core().engines().remove(name);
            ctx.out().println(name);
            return 0;
        }
    }

    @Command(name = "use", mixinStandardHelpOptions = true,
            description = "Make new services go to this engine when `service run` names none.")
    static final class Use implements java.util.concurrent.Callable<Integer> {
        private final CliContext ctx;

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        Use(CliContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public Integer call() {
            ctx.core().engines().use(name);
            ctx.out().println(name);
            return 0;
        }
    }

    private EngineCommand() {
    }

}
