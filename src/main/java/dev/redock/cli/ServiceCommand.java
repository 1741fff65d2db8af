package dev.redock.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import dev.redock.api.ServiceJson;
import dev.redock.model.BuildProgress;
import dev.redock.model.CommandWords;
import dev.redock.model.CommitInfo;
import dev.redock.model.ContainerSpec;
import dev.redock.model.DeployResult;
import dev.redock.model.Deployment;
import dev.redock.model.Digests;
import dev.redock.model.Durations;
import dev.redock.model.GitSource;
import dev.redock.model.ImageRef;
import dev.redock.model.Json;
import dev.redock.model.Outcome;
import dev.redock.model.Service;
import dev.redock.model.ServiceView;
import dev.redock.model.ValidationException;
import dev.redock.service.LaunchRequest;
import dev.redock.service.ServiceChange;
import dev.redock.service.ServiceInput;
import dev.redock.service.ServiceManager;

/** {@code redock service ...}: launch, list, change, redeploy and remove services. */
@Command(name = "service", mixinStandardHelpOptions = true, description = "Launch, list, change and remove services.")
public final class ServiceCommand {

    static final String MIN_UPTIME = "How long a new container must keep running before it counts as up, e.g. 0s, 500ms,"
            + " 5s (0s: as soon as the engine says it runs; `default` or empty: Redock's default, REDOCK_MIN_UPTIME or 5s)."
            + " An image's HEALTHCHECK must pass as well.";

    @Command(name = "run", mixinStandardHelpOptions = true,
            description = {"Pull an image (or build a git repository's branch), create and start its container, and keep it as a service.",
                    "From source: --git URL --branch BRANCH [--dockerfile PATH] [--context DIR] [--path PATTERN]..., no IMAGE."})
    static final class Run implements java.util.concurrent.Callable<Integer> {
        private final CliContext ctx;

        @Option(names = "--autoredeploy", description = "Redeploy when a new image is pushed to the tag, or a new commit to the branch (off by default).")
        boolean autoredeploy;
        @Option(names = "--name", paramLabel = "NAME", description = "Service and container name (default: from the image or the repository).")
        String name;
        @Option(names = "--git", paramLabel = "URL", description = "Build from this git repository: a path, file://, https:// or ssh:// URL, or user@host:path.")
        String git;
        @Option(names = "--git-remote", paramLabel = "NAME", description = "With --git pointing at a local clone: use that clone's remote NAME (e.g. origin).")
        String gitRemote;
        @Option(names = "--branch", paramLabel = "BRANCH", description = "The branch to build and follow (with --git).")
        String branch;
        @Option(names = "--dockerfile", paramLabel = "PATH", description = "The Dockerfile's path in the repository (default: Dockerfile in the context).")
        String dockerfile;
        @Option(names = "--context", paramLabel = "DIR", description = "The build context's folder in the repository (default: its root).")
        String context;
        @Option(names = "--path", paramLabel = "PATTERN", description = "Autoredeploy only on commits that change a matching path (repeatable; !PATTERN excludes).")
        List<String> paths = new ArrayList<>();
        @Option(names = {"-p", "--publish"}, paramLabel = "HOST:CONTAINER", description = "Publish a port: [IP:]HOST:CONTAINER[/PROTO].")
        List<String> ports = new ArrayList<>();
        @Option(names = {"-e", "--env"}, paramLabel = "KEY=VALUE", description = "Set an environment variable.")
        List<String> env = new ArrayList<>();
        @Option(names = {"-v", "--volume"}, paramLabel = "SRC:DST", description = "Mount a host path or named volume: SRC:DST[:ro].")
        List<String> volumes = new ArrayList<>();
        @Option(names = {"-l", "--label"}, paramLabel = "KEY=VALUE", description = "Set a container label.")
        List<String> labels = new ArrayList<>();
        @Option(names = "--network", paramLabel = "NETWORK", description = "Join a network (repeatable).")
        List<String> networks = new ArrayList<>();
        @Option(names = "--restart", paramLabel = "POLICY", description = "Restart policy: no, always, unless-stopped, on-failure[:N].")
        String restart;
        @Option(names = "--stop-timeout", paramLabel = "SECONDS", description = "Seconds to wait for the container to stop before killing it.")
        Integer stopTimeout;
        @Option(names = "--engine", paramLabel = "NAME", description = "The engine to run it on (default: the one chosen with `redock engine use`; `redock engine ls` lists them).")
        String engine;
        @Option(names = "--min-uptime", paramLabel = "DURATION", description = MIN_UPTIME)
        String minUptime;
        @Parameters(index = "0", arity = "0..1", paramLabel = "IMAGE", description = "Image reference, e.g. nginx:1.27 or localhost:5000/app:stable (not with --git).")
        String image;
        @Parameters(index = "1..*", paramLabel = "COMMAND", description = "Command and arguments (default: the image's).")
        List<String> command = new ArrayList<>();

        Run(CliContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public Integer call() throws Exception {
            refuseGitOptionsWithoutGit();
            ServiceInput input = ServiceInput.empty()
                    .withImage(image)
                    .withGit(git == null ? null : new ServiceInput.GitInput(git, gitRemote, branch, dockerfile, context, paths))
                    .withName(name)
                    .withPorts(ports)
                    .withEnv(env)
                    .withVolumes(volumes)
                    .withCommand(command)
                    .withRestart(restart)
                    .withLabels(labels)
                    .withNetworks(networks)
                    .withStopTimeout(stopTimeout == null ? null : stopTimeout.toString())
                    .withAutoredeploy(autoredeploy)
                    .withEngine(engine)
                    .withMinUptime(minUptime);
            // Everything is parsed and checked before anything is pulled, built, created or written.
            LaunchRequest request = input.toLaunch(CliNames.run(ctx.workingFolder()));
            if (request.git() != null) {
                BuildProgress progress = new BuildProgress() {
                    @Override
                    public void line(String text) {
                        ctx.err().println("  " + text);
                    }
                };
                Service s = ctx.services().launch(request, null, progress);
                ctx.out().println(s.id());
                ctx.err().println("Launched " + s.name() + " (" + s.source() + " at " + CommitInfo.shortSha(s.commit())
                        + ", " + s.image().familiar() + "), autoredeploy " + (s.autoredeploy() ? "on" : "off"));
                return 0;
            }
            Service s = ctx.services().launch(request, null);
            ctx.out().println(s.id());
            ctx.err().println("Launched " + s.name() + " (" + s.image().familiar() + ", " + Digests.shortDigest(s.digest())
                    + "), autoredeploy " + (s.autoredeploy() ? "on" : "off"));
            return 0;
        }

        /** The build options make sense only with {@code --git}; a COMMAND only with an IMAGE. */
        private void refuseGitOptionsWithoutGit() {
            if (git == null) {
                for (var given : new Object[][] {{"--git-remote", gitRemote}, {"--branch", branch}, {"--dockerfile", dockerfile},
                        {"--context", context}}) {
                    if (given[1] != null) {
                        throw new ValidationException("git", given[0] + " needs --git");
                    }
                }
                if (!paths.isEmpty()) {
                    throw new ValidationException("git", "--path needs --git");
                }
            } else if (image == null && !command.isEmpty()) {
                throw new ValidationException("image", "no IMAGE or COMMAND with --git: the image is built from the repository");
            }
        }
    }

    @Command(name = "set", mixinStandardHelpOptions = true,
            description = {"Change a service's settings; those not given stay as they are.",
                    "A repeatable option replaces the whole list, and its --no-... twin empties it. A changed container"
                            + " configuration takes effect at the next redeploy, or right away with --redeploy.",
                    "A service built from git changes source with --git, --branch, --dockerfile, --context and --path;"
                            + " one that follows an image changes it with --image."})
    static final class Set extends OnService {
        @Spec
        CommandSpec spec;

        @Option(names = "--image", paramLabel = "REF", description = "Follow another image reference, e.g. nginx:1.28 (not for services built from git).")
        String image;
        @Option(names = "--git", paramLabel = "URL", description = "Build from another git repository: a path, file://, https:// or ssh:// URL, or user@host:path.")
        String git;
        @Option(names = "--branch", paramLabel = "BRANCH", description = "Build and follow another branch.")
        String branch;
        @Option(names = "--dockerfile", paramLabel = "PATH", description = "The Dockerfile's path in the repository (empty: Dockerfile in the context).")
        String dockerfile;
        @Option(names = "--context", paramLabel = "DIR", description = "The build context's folder in the repository (empty: its root).")
        String context;
        @ArgGroup(exclusive = true)
        PathsChange paths;
        @ArgGroup(exclusive = true)
        PortsChange ports;
        @ArgGroup(exclusive = true)
        EnvChange env;
        @ArgGroup(exclusive = true)
        VolumesChange volumes;
        @ArgGroup(exclusive = true)
        LabelsChange labels;
        @ArgGroup(exclusive = true)
        NetworksChange networks;
        @Option(names = "--restart", paramLabel = "POLICY", description = "Restart policy: no, always, unless-stopped, on-failure[:N].")
        String restart;
        @Option(names = "--stop-timeout", paramLabel = "SECONDS", description = "Seconds to wait for the container to stop before killing it.")
        Integer stopTimeout;
        @ArgGroup(exclusive = true)
        CommandChange command;
        @ArgGroup(exclusive = true)
        Autoredeploy autoredeploy;
        @Option(names = "--min-uptime", paramLabel = "DURATION", description = MIN_UPTIME)
        String minUptime;
        @Option(names = "--redeploy", description = "Redeploy right away when the container's configuration changed.")
        boolean redeploy;

        /**
         * The command as one quoted line, not as trailing words as {@code run} takes it: here a stray word after the service
         * (an image reference meant for --image, say) would otherwise become the command.
         */
        static final class CommandChange {
            @Option(names = "--command", required = true, paramLabel = "\"COMMAND ARGS...\"",
                    description = "Run this command instead, quoted as one argument and split as a shell would (e.g. --command 'nginx -g \"daemon off;\"').")
            String line;
            @Option(names = "--no-command", required = true, description = "Run the image's own command again.")
            boolean clear;

            List<String> words() {
                return clear ? List.of() : CommandWords.split(line);
            }
        }

        static final class Autoredeploy {
            @Option(names = "--autoredeploy", required = true, description = "Turn autoredeploy on.")
            boolean on;
            @Option(names = "--no-autoredeploy", required = true, description = "Turn autoredeploy off.")
            boolean off;
        }

        /** A repeatable option with its {@code --no-...} twin: the list given, empty for the twin. */
        abstract static class ListChange {
            abstract List<String> list();

            static List<String> of(List<String> values) {
                return values == null ? List.of() : values;
            }
        }

        static final class PathsChange extends ListChange {
            @Option(names = "--path", required = true, paramLabel = "PATTERN", description = "Autoredeploy only on commits that change a matching path (repeatable; !PATTERN excludes).")
            List<String> values;
            @Option(names = "--no-paths", required = true, description = "Autoredeploy on every commit.")
            boolean clear;

            @Override
            List<String> list() {
                return of(values);
            }
        }

        static final class PortsChange extends ListChange {
            @Option(names = {"-p", "--publish"}, required = true, paramLabel = "HOST:CONTAINER", description = "Publish a port: [IP:]HOST:CONTAINER[/PROTO].")
            List<String> values;
            @Option(names = "--no-publish", required = true, description = "Publish no port.")
            boolean clear;

            @Override
            List<String> list() {
                return of(values);
            }
        }

        static final class EnvChange extends ListChange {
            @Option(names = {"-e", "--env"}, required = true, paramLabel = "KEY=VALUE", description = "Set an environment variable.")
            List<String> values;
            @Option(names = "--no-env", required = true, description = "Set no environment variable.")
            boolean clear;

            @Override
            List<String> list() {
                return of(values);
            }
        }

        static final class VolumesChange extends ListChange {
            @Option(names = {"-v", "--volume"}, required = true, paramLabel = "SRC:DST", description = "Mount a host path or named volume: SRC:DST[:ro].")
            List<String> values;
            @Option(names = "--no-volumes", required = true, description = "Mount nothing.")
            boolean clear;

            @Override
            List<String> list() {
                return of(values);
            }
        }

        static final class LabelsChange extends ListChange {
            @Option(names = {"-l", "--label"}, required = true, paramLabel = "KEY=VALUE", description = "Set a container label.")
            List<String> values;
            @Option(names = "--no-labels", required = true, description = "Set no label of your own.")
            boolean clear;

            @Override
            List<String> list() {
                return of(values);
            }
        }

        static final class NetworksChange extends ListChange {
            @Option(names = "--network", required = true, paramLabel = "NETWORK", description = "Join a network (repeatable).")
            List<String> values;
            @Option(names = "--no-networks", required = true, description = "Join the engine's default network only.")
            boolean clear;

            @Override
            List<String> list() {
                return of(values);
            }
        }

        Set(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            if (image == null && git == null && branch == null && dockerfile == null && context == null && paths == null
                    && ports == null && env == null && volumes == null && labels == null && networks == null && restart == null
                    && stopTimeout == null && command == null && autoredeploy == null && minUptime == null) {
                throw new ParameterException(spec.commandLine(),
                        "nothing to change: give at least one setting, e.g. --image REF, -e KEY=VALUE or --autoredeploy");
            }
            ServiceManager services = ctx.services();
            Service before = services.get(service);
            ServiceInput input = ServiceInput.empty()
                    .withImage(image)
                    .withGit(git == null && branch == null && dockerfile == null && context == null && paths == null ? null
                            : new ServiceInput.GitInput(git, null, branch, dockerfile, context, paths == null ? null : paths.list()))
                    .withPorts(ports == null ? null : ports.list())
                    .withEnv(env == null ? null : env.list())
                    .withVolumes(volumes == null ? null : volumes.list())
                    .withCommand(command == null ? null : command.words())
                    .withRestart(restart)
                    .withLabels(labels == null ? null : labels.list())
                    .withNetworks(networks == null ? null : networks.list())
                    .withStopTimeout(stopTimeout == null ? null : stopTimeout.toString())
                    .withAutoredeploy(autoredeploy == null ? null : autoredeploy.on)
                    .withMinUptime(minUptime);
            // Everything is parsed and checked before anything is written.
            ServiceChange change = input.toChange(before, CliNames.set(gitOptionGiven(), ctx.workingFolder()));
            List<String> changes = changes(before, change);
            if (changes.isEmpty()) {
                ctx.out().println(before.name() + ": nothing to change, its settings already are as given");
                return 0;
            }
            ServiceManager.EditResult r = services.edit(before.id(), change);
            String name = r.service().name();
            ctx.out().println(name + ": " + String.join(", ", changes));
            if (!r.containerChanged()) {
                if (redeploy) {
                    ctx.out().println("No redeploy: the container's configuration did not change.");
                }
                return 0;
            }
            if (!redeploy) {
                ctx.out().println("The running container follows at the next redeploy: redock service redeploy " + name);
                return 0;
            }
            return Redeploy.report(ctx, services.redeploy(r.service().id().toString()));
        }

        /** The first of the options that change a git source that was given, or null. */
        private String gitOptionGiven() {
            for (var given : new Object[][] {{"--git", git}, {"--branch", branch}, {"--dockerfile", dockerfile},
                    {"--context", context}, {paths != null && paths.list().isEmpty() ? "--no-paths" : "--path", paths}}) {
                if (given[1] != null) {
                    return (String) given[0];
                }
            }
            return null;
        }

        /**
         * What differs, in words: new values, but only the names of environment variables (their values may be secrets) and
         * labels. Autoredeploy is named whenever it was given, as before this command could change anything else.
         */
        private List<String> changes(Service before, ServiceChange change) {
            ImageRef ref = change.image();
            GitSource source = before.fromGit() ? change.git() : null;
            ContainerSpec after = change.spec();
            boolean on = change.autoredeploy();
            List<String> changes = new ArrayList<>();
            if (!before.image().equals(ref)) {
                changes.add("image " + ref.familiar());
            }
            if (source != null) {
                GitSource old = before.git();
                changedTo(changes, "git", old.url(), source.url());
                changedTo(changes, "branch", old.branch(), source.branch());
                changedTo(changes, "dockerfile", old.dockerfile(), source.dockerfile());
                changedTo(changes, "context", old.context(), source.context());
                changedTo(changes, "paths", old.paths(), source.paths());
            }
            ContainerSpec old = before.spec();
            changedTo(changes, "ports", old.ports(), after.ports());
            changedTo(changes, "env", old.env().keySet(), after.env().keySet(), !old.env().equals(after.env()));
            changedTo(changes, "volumes", old.volumes(), after.volumes());
            if (!old.command().equals(after.command())) {
                changes.add(after.command().isEmpty() ? "the image's own command" : "command " + CommandWords.join(after.command()));
            }
            changedTo(changes, "restart", old.restart(), after.restart());
            changedTo(changes, "labels", old.labels().keySet(), after.labels().keySet(), !old.labels().equals(after.labels()));
            changedTo(changes, "networks", old.networks(), after.networks());
            if (!Objects.equals(old.stopTimeoutSeconds(), after.stopTimeoutSeconds())) {
                changes.add("stop timeout " + after.stopTimeoutSeconds() + "s");
            }
            if (autoredeploy != null || on != before.autoredeploy()) {
                changes.add("autoredeploy " + (on ? "on" : "off"));
            }
            if (!Objects.equals(before.minUptime(), change.minUptime())) {
                changes.add("minimum uptime " + (change.minUptime() == null ? ServiceInput.DEFAULT
                        : Durations.format(change.minUptime())));
            }
            return changes;
        }

        private static void changedTo(List<String> changes, String what, Object before, Object after) {
            changedTo(changes, what, before, after, !before.equals(after));
        }

        private static void changedTo(List<String> changes, String what, Object before, Object after, boolean changed) {
            if (!changed) {
                return;
            }
            if (after instanceof Collection<?> c) {
                changes.add(what + " " + (c.isEmpty() ? "none" : String.join(" ", c.stream().map(String::valueOf).toList())));
            } else {
                changes.add(what + " " + after);
            }
        }
    }

    @Command(name = "ls", mixinStandardHelpOptions = true, description = "List services.")
    static final class Ls implements java.util.concurrent.Callable<Integer> {
        private final CliContext ctx;

        @Option(names = {"-q", "--quiet"}, description = "Only print uuids.")
        boolean quiet;
        @Option(names = "--engine", paramLabel = "NAME", description = "Only the services on this engine.")
        String engine;
        @Option(names = "--not-followed", description = "List the containers no service follows instead (adopt them with "
                + "service adopt).")
        boolean notFollowed;

        Ls(CliContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public Integer call() throws Exception {
            if (engine != null) {
                ctx.core().engines().require(engine);
            }
            if (notFollowed) {
                return AdoptCommands.printNotFollowed(ctx, engine, quiet);
            }
            List<ServiceView> views = ctx.services().views().stream()
                    .filter(v -> engine == null || v.service().engine().equals(engine))
                    .toList();
            if (quiet) {
                views.forEach(v -> ctx.out().println(v.service().id()));
                return 0;
            }
            Table table = new Table("NAME", "UUID", "IMAGE", "ENGINE", "STATUS", "AUTOREDEPLOY", "LAST DEPLOY");
            Instant now = Instant.now();
            java.util.Set<String> engineProblems = new java.util.LinkedHashSet<>();
            for (ServiceView v : views) {
                Service s = v.service();
                table.row(s.name(), s.id().toString(), s.source(), s.engine(), v.status().label(),
                        s.autoredeploy() ? "on" : "off", lastDeploy(v.last(), now));
                if (v.status() == dev.redock.model.ServiceStatus.UNREACHABLE) {
                    engineProblems.add(v.detail());
                }
            }
            table.print(ctx.out());
            engineProblems.forEach(problem -> ctx.err().println("redock: " + problem));
            return 0;
        }
    }

    static String lastDeploy(Deployment d, Instant now) {
        if (d == null) {
            return "-";
        }
        return Ago.format(Duration.between(d.started(), now)) + " (" + d.outcome().label() + ")";
    }

    @Command(name = "inspect", mixinStandardHelpOptions = true,
            description = "Show a service as JSON, its history included (environment values masked unless --show-values).")
    static final class Inspect extends OnService {
        @Option(names = "--show-values", description = "Show the environment's values as they are (they may be secrets).")
        boolean showValues;

        Inspect(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() throws Exception {
            Service s = ctx.services().get(service);
            ServiceView v = ctx.services().view(s);
            ObjectNode root = ServiceJson.service(v, showValues);
            ArrayNode history = root.putArray("history");
            for (Deployment d : ctx.services().history(s.id(), 1000)) {
                history.add(ServiceJson.deployment(d));
            }
            ctx.out().println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(root));
            return 0;
        }
    }

    @Command(name = "redeploy", mixinStandardHelpOptions = true,
            description = "Pull the tag's current image and recreate the container now.")
    static final class Redeploy extends OnService {
        Redeploy(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            return report(ctx, ctx.services().redeploy(service));
        }

        /** Prints a redeploy's result, a failure as one {@code redock: ...} line; returns the exit code it calls for. */
        static int report(CliContext ctx, DeployResult r) {
            if (r.kind() == DeployResult.Kind.QUEUED) {
                ctx.out().println(r.message());
                return 0;
            }
            if (r.deployment() != null && r.deployment().outcome() != Outcome.SUCCEEDED) {
                ctx.err().println("redock: " + r.message());
                return Cli.EXIT_FAILED;
            }
            ctx.out().println(r.message());
            return 0;
        }
    }

    @Command(name = "start", mixinStandardHelpOptions = true, description = "Start a service's container.")
    static final class Start extends OnService {
        Start(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() throws Exception {
            ctx.services().start(service);
            return 0;
        }
    }

    @Command(name = "stop", mixinStandardHelpOptions = true, description = "Stop a service's container.")
    static final class Stop extends OnService {
        Stop(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() throws Exception {
            ctx.services().stop(service);
            return 0;
        }
    }

    @Command(name = "rm", mixinStandardHelpOptions = true,
            description = "Remove a service and its container. Its volumes stay unless --volumes is given.")
    static final class Rm extends OnService {
        @Option(names = "--volumes", description = "Remove the service's volumes too, named and anonymous (their data is lost).")
        boolean volumes;

        Rm(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() throws Exception {
            Service s = ctx.services().get(service);
            ServiceManager.RemoveResult r = ctx.services().remove(s.id().toString(), volumes);
            ctx.out().println(s.id());
            if (!r.removedVolumes().isEmpty()) {
                ctx.err().println("Removed volumes: " + String.join(", ", r.removedVolumes()));
            }
            if (!r.keptVolumes().isEmpty()) {
                ctx.err().println("Kept volumes: " + String.join(", ", r.keptVolumes())
                        + (volumes ? "" : " (remove them with --volumes, or docker volume rm)"));
            }
            return 0;
        }
    }

    @Command(name = "unlock", mixinStandardHelpOptions = true,
            description = "Break the deployment lock of a service whose deployment is stuck (its holder stopped), then "
                    + "finish or undo that deployment. Refused while a live holder renews the lock.")
    static final class Unlock extends OnService {
        Unlock(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() throws InterruptedException {
            ctx.out().println(ctx.services().unlock(service));
            return 0;
        }
    }

}
