package dev.redock.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.redock.api.ServiceJson;
import dev.redock.deploy.DeployResult;
import dev.redock.deploy.Deployer;
import dev.redock.deploy.LaunchRequest;
import dev.redock.deploy.ServiceView;
import dev.redock.engine.BuildProgress;
import dev.redock.engine.EngineException;
import dev.redock.git.GitException;
import dev.redock.git.GitRemotes;
import dev.redock.model.CommitInfo;
import dev.redock.model.GitSource;
import dev.redock.model.ValidationException;
import dev.redock.model.ContainerSpec;
import dev.redock.model.Deployment;
import dev.redock.model.ImageRef;
import dev.redock.model.Outcome;
import dev.redock.model.PortBinding;
import dev.redock.model.RestartPolicy;
import dev.redock.model.Service;
import dev.redock.model.VolumeBinding;
import dev.redock.registry.RegistryException;
import dev.redock.store.Json;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code redock service ...}: the seeds' service commands. */
@Command(name = "service", mixinStandardHelpOptions = true, description = "Launch, list, change and remove services.",
        subcommands = {ServiceCommand.Run.class, ServiceCommand.Set.class, ServiceCommand.Ls.class, ServiceCommand.Inspect.class,
                ServiceCommand.Redeploy.class, ServiceCommand.Start.class, ServiceCommand.Stop.class, ServiceCommand.Rm.class,
                TriggerCommand.class})
public final class ServiceCommand {

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
        @Parameters(index = "0", arity = "0..1", paramLabel = "IMAGE", description = "Image reference, e.g. nginx:1.27 or localhost:5000/app:stable (not with --git).")
        String image;
        @Parameters(index = "1..*", paramLabel = "COMMAND", description = "Command and arguments (default: the image's).")
        List<String> command = new ArrayList<>();

        Run(CliContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public Integer call() throws EngineException, RegistryException, GitException {
            // Everything is parsed and checked before anything is pulled, built, created or written.
            GitSource source = gitSource();
            if (source == null && image == null) {
                throw new ValidationException("image", "an IMAGE is needed (or --git URL --branch BRANCH to build from source)");
            }
            if (source != null && image != null) {
                throw new ValidationException("image", "no IMAGE with --git: the image is built from the repository (got \""
                        + image + "\")");
            }
            ImageRef ref = source == null ? ImageRef.parse(image) : null;
            if (name != null) {
                Service.validName(name);
            }
            ContainerSpec spec = new ContainerSpec(
                    ports.stream().map(PortBinding::parse).toList(),
                    keyValues("env", env),
                    volumes.stream().map(VolumeBinding::parse).toList(),
                    command,
                    RestartPolicy.parse(restart),
                    keyValues("labels", labels),
                    networks,
                    stopTimeout);
            if (source != null) {
                LaunchRequest request = LaunchRequest.fromGit(name, source, spec, autoredeploy);
                BuildProgress progress = new BuildProgress() {
                    @Override
                    public void line(String text) {
                        ctx.err().println("  " + text);
                    }
                };
                Service s = ctx.redock().services().launch(request, null, progress);
                ctx.out().println(s.id());
                ctx.err().println("Launched " + s.name() + " (" + s.source() + " at " + CommitInfo.shortSha(s.commit())
                        + ", " + s.image().familiar() + "), autoredeploy " + (s.autoredeploy() ? "on" : "off"));
                return 0;
            }
            Service s = ctx.redock().services().launch(new LaunchRequest(name, ref, spec, autoredeploy), null);
            ctx.out().println(s.id());
            ctx.err().println("Launched " + s.name() + " (" + s.image().familiar() + ", " + Deployer.shortDigest(s.digest())
                    + "), autoredeploy " + (s.autoredeploy() ? "on" : "off"));
            return 0;
        }

        /** The git source the options name, or null when building from source was not asked for. */
        private GitSource gitSource() {
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
                return null;
            }
            if (!command.isEmpty()) {
                throw new ValidationException("image", "no IMAGE or COMMAND with --git: the image is built from the repository");
            }
            if (branch == null) {
                throw new ValidationException("branch", "--git needs --branch BRANCH");
            }
            String url;
            if (gitRemote != null) {
                if (!isLocalPath(git)) {
                    throw new ValidationException("git", "--git-remote needs --git to be a local clone's path, not \"" + git + "\"");
                }
                url = GitRemotes.remoteUrl(java.nio.file.Path.of(git), gitRemote);
            } else {
                url = isLocalPath(git) ? java.nio.file.Path.of(git).toAbsolutePath().normalize().toString() : git;
            }
            return new GitSource(url, branch, dockerfile, context, paths);
        }

        /** Neither a URL ({@code scheme://}) nor scp-like ({@code [user@]host:path}): a path on this machine. */
        static boolean isLocalPath(String repository) {
            if (repository.contains("://")) {
                return false;
            }
            int colon = repository.indexOf(':');
            int slash = repository.indexOf('/');
            return colon < 0 || (slash >= 0 && slash < colon);
        }

        private static Map<String, String> keyValues(String field, List<String> entries) {
            Map<String, String> map = new LinkedHashMap<>();
            for (String entry : entries) {
                Map.Entry<String, String> kv = ContainerSpec.parseKeyValue(field, entry);
                map.put(kv.getKey(), kv.getValue());
            }
            return map;
        }
    }

    @Command(name = "set", mixinStandardHelpOptions = true, description = "Change a service's settings.")
    static final class Set extends OnService {
        @ArgGroup(exclusive = true, multiplicity = "1")
        Autoredeploy autoredeploy;

        static final class Autoredeploy {
            @Option(names = "--autoredeploy", required = true, description = "Turn autoredeploy on.")
            boolean on;
            @Option(names = "--no-autoredeploy", required = true, description = "Turn autoredeploy off.")
            boolean off;
        }

        Set(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            Service s = ctx.redock().services().setAutoredeploy(service, autoredeploy.on);
            ctx.out().println(s.name() + ": autoredeploy " + (s.autoredeploy() ? "on" : "off"));
            return 0;
        }
    }

    @Command(name = "ls", mixinStandardHelpOptions = true, description = "List services.")
    static final class Ls implements java.util.concurrent.Callable<Integer> {
        private final CliContext ctx;

        @Option(names = {"-q", "--quiet"}, description = "Only print uuids.")
        boolean quiet;

        Ls(CliContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public Integer call() {
            List<ServiceView> views = ctx.redock().services().views();
            if (quiet) {
                views.forEach(v -> ctx.out().println(v.service().id()));
                return 0;
            }
            Table table = new Table("NAME", "UUID", "IMAGE", "STATUS", "AUTOREDEPLOY", "LAST DEPLOY");
            Instant now = Instant.now();
            String engineProblem = null;
            for (ServiceView v : views) {
                Service s = v.service();
                table.row(s.name(), s.id().toString(), s.source(), v.status().label(),
                        s.autoredeploy() ? "on" : "off", lastDeploy(v.last(), now));
                if (v.status() == dev.redock.model.ServiceStatus.UNKNOWN) {
                    engineProblem = v.detail();
                }
            }
            table.print(ctx.out());
            if (engineProblem != null) {
                ctx.err().println("redock: statuses unknown: " + engineProblem);
            }
            return 0;
        }
    }

    static String lastDeploy(Deployment d, Instant now) {
        if (d == null) {
            return "-";
        }
        return Ago.format(Duration.between(d.started(), now)) + " (" + d.outcome().label() + ")";
    }

    @Command(name = "inspect", mixinStandardHelpOptions = true, description = "Show a service as JSON, its history included.")
    static final class Inspect extends OnService {
        Inspect(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() throws Exception {
            Service s = ctx.redock().services().get(service);
            ServiceView v = ctx.redock().services().view(s);
            ObjectNode root = ServiceJson.service(v);
            ArrayNode history = root.putArray("history");
            for (Deployment d : ctx.redock().services().history(s.id(), 1000)) {
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
            DeployResult r = ctx.redock().services().redeploy(service);
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
        public Integer call() throws EngineException {
            ctx.redock().services().start(service);
            return 0;
        }
    }

    @Command(name = "stop", mixinStandardHelpOptions = true, description = "Stop a service's container.")
    static final class Stop extends OnService {
        Stop(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() throws EngineException {
            ctx.redock().services().stop(service);
            return 0;
        }
    }

    @Command(name = "rm", mixinStandardHelpOptions = true, description = "Remove a service and its container.")
    static final class Rm extends OnService {
        Rm(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() throws EngineException {
            Service s = ctx.redock().services().get(service);
            ctx.redock().services().remove(s.id().toString());
            ctx.out().println(s.id());
            return 0;
        }
    }

}
