package dev.redock.cli;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.function.IntConsumer;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import dev.redock.app.Redock;
import dev.redock.app.Startup;
import dev.redock.app.StopSignals;
import dev.redock.model.DeployEvents;
import dev.redock.model.Deployment;
import dev.redock.model.Digests;
import dev.redock.model.Durations;
import dev.redock.model.EngineStatus;
import dev.redock.model.Service;
import dev.redock.service.Core;

/** {@code redock agent}: the scheduler, headless, in the foreground until stopped. */
@Command(name = "agent", mixinStandardHelpOptions = true,
        description = "Run the scheduler in the foreground: poll tags and redeploy services whose autoredeploy is on.")
public final class AgentCommand implements java.util.concurrent.Callable<Integer> {

    private final CliContext ctx;

    @Option(names = "--interval", paramLabel = "DURATION",
            description = "Time between polls, e.g. 30s, 5m (default: the stored setting, else 60s).")
    String interval;

    @Option(names = "--api-port", paramLabel = "PORT",
            description = "Serve the HTTP API on this port (default: the stored setting, else 7321; 0 for any free port).")
    Integer apiPort;

    @Option(names = "--no-api", description = "Do not serve the HTTP API.")
    boolean noApi;

    AgentCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    /** What Redock cannot do on this engine (Podman's limitations), said once; nothing while the engine does not answer. */
    /** What each engine that answers lacks (none on Docker), and each one that does not, with why. */
    private void sayEngineLimitations(Core core) {
        for (EngineStatus e : core.engines().check()) {
            if (!e.reachable()) {
                ctx.err().println("redock: engine " + e.name() + " " + e.describeState() + "; its services wait until it answers");
            }
            for (String limitation : e.limitations()) {
                ctx.out().println("Engine limitation (" + e.name() + "): " + limitation);
            }
        }
    }

    @Override
    public Integer call() throws Exception {
        Duration every = interval == null ? null : Durations.parse(interval);
        if (!noApi && apiPort != null && (apiPort < 0 || apiPort > 65535)) {
            throw new dev.redock.model.ValidationException("api-port", "API port " + apiPort + " is out of range (0-65535)");
        }
        Redock redock = ctx.residentRedock();
        // The first SIGTERM or Ctrl-C ends the wait below; the deployments under way then reach their end before the
        // process exits (a second signal exits at once).
        CountDownLatch stopped = new CountDownLatch(1);
        IntConsumer stop = code -> stopped.countDown();
        StopSignals.onStop(stop);
        redock.core().events().subscribe(new ConsoleEvents(ctx));
        try (Startup started = Startup.start(redock,
                Startup.Options.agent(every, !noApi, apiPort).withCommands(Cli::endpoint))) {
            ctx.out().println("Redock agent on " + ctx.dataFolder() + ", polling every "
                    + Durations.format(every != null ? every : started.core().settings().interval()) + " ("
                    + started.core().engines().list().size() + " engine(s))");
            sayEngineLimitations(started.core());
            started.core().servedApiUrl().ifPresent(url -> ctx.out().println("API on " + url + "/api/v1/ (token in "
                    + ctx.dataFolder().resolve("api-token") + ")"));
            started.apiProblem().ifPresent(problem -> ctx.err().println("redock: the API could not start: " + problem
                    + "; polling goes on without it"));
            stopped.await();
            StopSignals.clear(stop);
            ctx.out().println("Redock agent stopping");
            List<String> deploying = redock.deploying();
            if (!deploying.isEmpty()) {
                ctx.out().println("Finishing the deployment of " + String.join(", ", deploying) + " first (at most "
                        + redock.stopGrace().toSeconds() + " s; a second signal stops at once)");
            }
        }
        ctx.out().println("Redock agent stopped");
        return 0;
    }

    /** One line per deployment on the agent's console. */
    private record ConsoleEvents(CliContext ctx) implements DeployEvents {
        @Override
        public void deploymentStarted(Service service, Deployment d) {
            ctx.out().println(d.started() + " " + service.name() + ": deploying " + Digests.shortDigest(d.newDigest())
                    + " (" + d.trigger().label() + ")");
        }

        @Override
        public void deploymentFinished(Service service, Deployment d) {
            ctx.out().println(d.ended() + " " + service.name() + ": " + d.outcome().label()
                    + (d.error() == null ? "" : ": " + d.error()));
        }
    }
}
