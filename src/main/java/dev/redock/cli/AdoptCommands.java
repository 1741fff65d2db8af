package dev.redock.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import dev.redock.model.Service;
import dev.redock.model.UnfollowedContainer;
import dev.redock.service.AdoptRequest;

/** Following what already runs: {@code service adopt}, {@code service forget} and {@code service ls --not-followed}. */
final class AdoptCommands {

    private AdoptCommands() {
    }

    @Command(name = "adopt", mixinStandardHelpOptions = true,
            description = {"Follow a container Redock did not start (docker run, compose) as a service, or every container "
                    + "of a compose project. Nothing is restarted: the container keeps running as it is.",
                    "Autoredeploy stays off unless --autoredeploy is given."})
    static final class Adopt implements Callable<Integer> {
        private final CliContext ctx;

        @ArgGroup(multiplicity = "1")
        What what;
        @Option(names = "--autoredeploy", description = "Redeploy by itself when a new image is pushed to its tag.")
        boolean autoredeploy;
        @Option(names = "--engine", paramLabel = "NAME", description = "The engine it runs on (default: where new services go).")
        String engine;

        static final class What {
            @Parameters(paramLabel = "CONTAINER", description = "The container's name or id.")
            String container;
            @Option(names = "--project", paramLabel = "NAME", description = "Every container of this compose project.")
            String project;
        }

        Adopt(CliContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public Integer call() throws Exception {
            List<Service> adopted = ctx.services().adoptions().adopt(
                    new AdoptRequest(engine, what.container, what.project, autoredeploy));
            for (Service s : adopted) {
                ctx.out().println(s.id() + " " + s.name());
            }
            return 0;
        }
    }

    @Command(name = "forget", mixinStandardHelpOptions = true,
            description = "Stop following a service: it and its history go, its container stays exactly as it is.")
    static final class Forget extends OnService {
        Forget(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            Service s = ctx.services().forget(service);
            ctx.out().println(s.id());
            return 0;
        }
    }

    /** Prints the containers no service follows (on one engine, or on all that answer). */
    static int printNotFollowed(CliContext ctx, String engine, boolean quiet) throws Exception {
        List<UnfollowedContainer> containers = engine == null
                ? ctx.services().adoptions().unfollowed()
                : ctx.services().adoptions().unfollowed(engine);
        if (quiet) {
            containers.forEach(c -> ctx.out().println(c.id()));
            return 0;
        }
        Table table = new Table("CONTAINER", "ID", "IMAGE", "ENGINE", "PROJECT", "STATUS", "CREATED");
        Instant now = Instant.now();
        for (UnfollowedContainer c : containers) {
            table.row(c.name(), c.shortId(), c.image(), c.engine(), c.project() == null ? "-" : c.project(), c.status(),
                    c.created() == null ? "-" : Ago.format(Duration.between(c.created(), now)));
        }
        table.print(ctx.out());
        return 0;
    }
}
