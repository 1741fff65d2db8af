package dev.redock.service;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.redock.git.GitRemotes;
import dev.redock.model.ContainerSpec;
import dev.redock.model.Durations;
import dev.redock.model.EnvMask;
import dev.redock.model.GitSource;
import dev.redock.model.ImageRef;
import dev.redock.model.PortBinding;
import dev.redock.model.RestartPolicy;
import dev.redock.model.Service;
import dev.redock.model.ValidationException;
import dev.redock.model.VolumeBinding;

/**
 * A service's settings as a user gave them, still in words: the CLI's options, an API body's fields, the window's form
 * fields. This is the one place where such words become a {@link LaunchRequest} or a {@link ServiceChange}, so every way
 * in checks the same things in the same order and refuses with the same message; the surfaces only gather the words
 * and say, through {@link FieldNames}, how they name a field.
 *
 * <p>Every part is null when it was not given: a launch takes the defaults for those, a change keeps what the service
 * has. Lists are the entries as given, one per entry ({@code KEY=VALUE} for the environment and labels).
 *
 * @param image        an image reference to follow
 * @param git          a git repository's branch to build from
 * @param name         the service's name (a launch only)
 * @param ports        {@code [IP:]HOST:CONTAINER[/PROTO]} entries
 * @param env          {@code KEY=VALUE} entries; a value given as {@link EnvMask#MASK} keeps the stored one
 * @param volumes      {@code SOURCE:TARGET[:ro]} entries
 * @param command      the command's words; empty for the image's own
 * @param restart      the restart policy: no, always, unless-stopped, on-failure[:N]
 * @param labels       {@code KEY=VALUE} entries
 * @param networks     network names
 * @param stopTimeout  whole seconds, or blank for the engine's default
 * @param autoredeploy whether a new version redeploys by itself
 * @param engine       the name of the engine to run on (a launch; a change may only repeat the service's own)
 * @param minUptime    how long a new container must keep running to count as up ({@code 0s}, {@code 500ms}, {@code 5s}),
 *                     or blank (or {@code default}) for Redock's default
 */
public record ServiceInput(String image, GitInput git, String name, List<String> ports, List<String> env,
                           List<String> volumes, List<String> command, String restart, List<String> labels,
                           List<String> networks, String stopTimeout, Boolean autoredeploy, String engine,
                           String minUptime) {

    /** What stands for Redock's default minimum uptime, besides leaving it blank. */
    public static final String DEFAULT = "default";

    /** Nothing given yet: fill it with the {@code with...} methods. */
    public static ServiceInput empty() {
        return new ServiceInput(null, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    /**
     * A git source as given. {@code url} may be a local clone's path (relative to the working folder, or starting with
     * {@code ~/}); with {@code remote}, builds come from that clone's remote of that name.
     */
    public record GitInput(String url, String remote, String branch, String dockerfile, String context, List<String> paths) {

        /** A stored or already checked source, as words again (the window's git fields give one). */
        public static GitInput of(GitSource source) {
            return new GitInput(source.url(), null, source.branch(), source.givenDockerfile(), source.context(), source.paths());
        }
    }

    public ServiceInput withImage(String v) {
        return new ServiceInput(v, git, name, ports, env, volumes, command, restart, labels,
                networks, stopTimeout, autoredeploy, engine, minUptime);
    }

    public ServiceInput withGit(GitInput v) {
        return new ServiceInput(image, v, name, ports, env, volumes, command, restart, labels,
                networks, stopTimeout, autoredeploy, engine, minUptime);
    }

    public ServiceInput withName(String v) {
        return new ServiceInput(image, git, v, ports, env, volumes, command, restart, labels,
                networks, stopTimeout, autoredeploy, engine, minUptime);
    }

    public ServiceInput withPorts(List<String> v) {
        return new ServiceInput(image, git, name, v, env, volumes, command, restart, labels,
                networks, stopTimeout, autoredeploy, engine, minUptime);
    }

    public ServiceInput withEnv(List<String> v) {
        return new ServiceInput(image, git, name, ports, v, volumes, command, restart, labels,
                networks, stopTimeout, autoredeploy, engine, minUptime);
    }

    public ServiceInput withVolumes(List<String> v) {
        return new ServiceInput(image, git, name, ports, env, v, command, restart, labels,
                networks, stopTimeout, autoredeploy, engine, minUptime);
    }

    public ServiceInput withCommand(List<String> v) {
        return new ServiceInput(image, git, name, ports, env, volumes, v, restart, labels,
                networks, stopTimeout, autoredeploy, engine, minUptime);
    }

    public ServiceInput withRestart(String v) {
        return new ServiceInput(image, git, name, ports, env, volumes, command, v, labels,
                networks, stopTimeout, autoredeploy, engine, minUptime);
    }

    public ServiceInput withLabels(List<String> v) {
        return new ServiceInput(image, git, name, ports, env, volumes, command, restart, v,
                networks, stopTimeout, autoredeploy, engine, minUptime);
    }

    public ServiceInput withNetworks(List<String> v) {
        return new ServiceInput(image, git, name, ports, env, volumes, command, restart, labels,
                v, stopTimeout, autoredeploy, engine, minUptime);
    }

    public ServiceInput withStopTimeout(String v) {
        return new ServiceInput(image, git, name, ports, env, volumes, command, restart, labels,
                networks, v, autoredeploy, engine, minUptime);
    }

    public ServiceInput withEngine(String v) {
        return new ServiceInput(image, git, name, ports, env, volumes, command, restart, labels, networks, stopTimeout,
                autoredeploy, v, minUptime);
    }

    public ServiceInput withMinUptime(String v) {
        return new ServiceInput(image, git, name, ports, env, volumes, command, restart, labels, networks, stopTimeout,
                autoredeploy, engine, v);
    }

    public ServiceInput withAutoredeploy(Boolean v) {
        return new ServiceInput(image, git, name, ports, env, volumes, command, restart, labels,
                networks, stopTimeout, v, engine, minUptime);
    }

    // --- a new service ----------------------------------------------------------------------------------------------

    /**
     * The service to launch: exactly one source (an image, or a git repository's branch), a valid name if one was given,
     * and the container settings, every one checked before anything is pulled, built or written.
     */
    public LaunchRequest toLaunch(FieldNames names) {
        boolean fromGit = git != null;
        if (!fromGit && image == null) {
            throw new ValidationException("image", names.required("image") + " (or " + names.of("git")
                    + " to build from source)");
        }
        if (fromGit && image != null) {
            throw new ValidationException("image", "no " + names.of("image") + " with " + names.of("git")
                    + ": the image is built from the repository (got \"" + image + "\")");
        }
        ImageRef ref = fromGit ? null : image(image);
        GitSource source = fromGit ? newSource(git, names) : null;
        if (name != null) {
            Service.validName(name);
        }
        ContainerSpec spec = spec(ContainerSpec.empty(), Map.of());
        boolean on = Boolean.TRUE.equals(autoredeploy);
        Duration uptime = minUptime == null ? null : minUptime(minUptime);
        LaunchRequest request = fromGit ? LaunchRequest.fromGit(name, source, spec, on) : new LaunchRequest(name, ref, spec, on);
        return request.onEngine(engine).withMinUptime(uptime);
    }

    // --- a stored service -------------------------------------------------------------------------------------------

    /**
     * What the given settings make of a stored service: those given replace its own, the others stay. A service that
     * follows an image may get another image; one built from git may get another source (only the parts given change).
     * Its name never changes.
     */
    public ServiceChange toChange(Service before, FieldNames names) {
        if (name != null && !name.equals(before.name())) {
            throw new ValidationException("name", before.name() + " keeps its name: a service cannot be renamed");
        }
        if (engine != null && !engine.isBlank() && !engine.strip().equals(before.engine())) {
            throw new ValidationException("engine", before.name() + " stays on engine \"" + before.engine()
                    + "\": a service does not move between engines (its volumes would stay behind); launch it on the"
                    + " other engine and remove this one");
        }
        if (before.fromGit() && image != null) {
            throw new ValidationException("image", before.name() + " is built from git and runs the image built from its"
                    + " repository; change its source with " + names.of("git"));
        }
        if (!before.fromGit() && git != null) {
            throw new ValidationException("git", before.name() + " follows an image, so " + names.of("git")
                    + " does not apply (it is for services built from git); change its image with " + names.of("image"));
        }
        ImageRef ref = image == null ? before.image() : image(image);
        GitSource source = before.fromGit() && git != null ? changedSource(before.git(), git, names) : before.git();
        ContainerSpec spec = spec(before.spec(), before.spec().env());
        boolean on = autoredeploy == null ? before.autoredeploy() : autoredeploy;
        Duration uptime = minUptime == null ? before.minUptime() : minUptime(minUptime);
        return new ServiceChange(ref, source, spec, on, uptime);
    }

    /**
     * The container settings given, checked, environment values given as {@link EnvMask#MASK} left as they are (the
     * service layer keeps the stored value for those when it saves a change). What the Edit form shows before saving.
     */
    public ContainerSpec spec() {
        return spec(ContainerSpec.empty(), null);
    }

    /**
     * The container settings: those given replace {@code base}'s, the others stay. An environment value given as
     * {@link EnvMask#MASK} keeps the one in {@code stored} (a stored service's; a new service has none to keep), or
     * stays masked when {@code stored} is null.
     */
    private ContainerSpec spec(ContainerSpec base, Map<String, String> stored) {
        Map<String, String> givenEnv = env == null ? null : env(env);
        return new ContainerSpec(
                ports == null ? base.ports() : ports(ports),
                givenEnv == null ? base.env() : stored == null ? givenEnv : EnvMask.unmasked(givenEnv, stored),
                volumes == null ? base.volumes() : volumes(volumes),
                command == null ? base.command() : command,
                restart == null ? base.restart() : RestartPolicy.parse(restart),
                labels == null ? base.labels() : labels(labels),
                networks == null ? base.networks() : networks(networks),
                stopTimeout == null ? base.stopTimeoutSeconds() : stopTimeout(stopTimeout));
    }

    // --- one check per field, shared with the forms' checks as they are typed ------------------------------------------

    /** An image reference as given. */
    public static ImageRef image(String text) {
        return ImageRef.parse(text);
    }

    /** Published ports: each entry parsed, no host port bound twice. */
    public static List<PortBinding> ports(List<String> entries) {
        List<PortBinding> parsed = entries.stream().map(PortBinding::parse).toList();
        return new ContainerSpec(parsed, null, null, null, null, null, null, null).ports();
    }

    /** Environment variables from {@code KEY=VALUE} entries, in their order; a key given twice is refused. */
    public static Map<String, String> env(List<String> entries) {
        Map<String, String> env = keyValues("env", "environment variable", entries);
        return new ContainerSpec(null, env, null, null, null, null, null, null).env();
    }

    /** Labels from {@code KEY=VALUE} entries, in their order; a key given twice, or one of Redock's own, is refused. */
    public static Map<String, String> labels(List<String> entries) {
        Map<String, String> labels = keyValues("labels", "label", entries);
        return new ContainerSpec(null, null, null, null, null, labels, null, null).labels();
    }

    /** Volumes and bind mounts. */
    public static List<VolumeBinding> volumes(List<String> entries) {
        return entries.stream().map(VolumeBinding::parse).toList();
    }

    /** Network names. */
    public static List<String> networks(List<String> names) {
        return new ContainerSpec(null, null, null, null, null, null, names, null).networks();
    }

    /** The stop timeout: whole seconds from 0 to 3600, or blank for the engine's default. */
    public static Integer stopTimeout(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        int seconds;
        try {
            seconds = Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            throw new ValidationException("stopTimeout", "stop timeout is a whole number of seconds, or empty for the"
                    + " engine's default");
        }
        return new ContainerSpec(null, null, null, null, null, null, null, seconds).stopTimeoutSeconds();
    }

    /**
     * The minimum uptime: a duration from {@code 0s} (the engine saying the container runs is enough) to an hour, or null
     * for Redock's default when blank or {@code default}.
     */
    public static Duration minUptime(String text) {
        if (text == null || text.isBlank() || text.strip().equalsIgnoreCase(DEFAULT)) {
            return null;
        }
        Duration d;
        try {
            d = Durations.amount(text, "minUptime");
        } catch (ValidationException e) {
            throw new ValidationException("minUptime", "minimum uptime is a duration such as 0s, 500ms, 5s or 1m, or empty"
                    + " for Redock's default (got \"" + text.strip() + "\")");
        }
        return Service.validMinUptime(d);
    }

    /** The refusal of a key given twice in {@code field} (the environment or labels), wherever it was given twice. */
    public static ValidationException givenTwice(String field, String key) {
        String what = field.equals("env") ? "environment variable" : "label";
        return new ValidationException(field, what + " \"" + key + "\" is given twice");
    }

    private static Map<String, String> keyValues(String field, String what, List<String> entries) {
        Map<String, String> map = new LinkedHashMap<>();
        for (String entry : entries) {
            Map.Entry<String, String> kv = ContainerSpec.parseKeyValue(field, entry);
            if (map.put(kv.getKey(), kv.getValue()) != null) {
                throw givenTwice(field, kv.getKey());
            }
        }
        return map;
    }

    // --- git sources ----------------------------------------------------------------------------------------------

    private static GitSource newSource(GitInput git, FieldNames names) {
        if (git.url() == null || git.url().isBlank()) {
            throw new ValidationException("git.url", names.required("git.url") + " (an absolute path, or a file://, https://,"
                    + " http:// or ssh:// URL, or user@host:path)");
        }
        if (git.branch() == null || git.branch().isBlank()) {
            throw new ValidationException("git.branch", names.required("git.branch") + " (the branch to build and follow,"
                    + " e.g. main)");
        }
        return source(repositoryUrl(git, names), git.branch(), git.dockerfile(), git.context(), git.paths());
    }

    private static GitSource changedSource(GitSource base, GitInput git, FieldNames names) {
        return source(
                git.url() == null && git.remote() == null ? base.url() : repositoryUrl(git, names),
                git.branch() == null ? base.branch() : git.branch(),
                git.dockerfile() == null ? base.givenDockerfile() : git.dockerfile(),
                git.context() == null ? base.context() : git.context(),
                git.paths() == null ? base.paths() : git.paths());
    }

    /** A source checked as every given one is; its refusals name the repository {@code git.url}. */
    private static GitSource source(String url, String branch, String dockerfile, String context, List<String> paths) {
        try {
            return GitSource.given(url, branch, dockerfile, context, paths);
        } catch (ValidationException e) {
            throw "git".equals(e.field()) ? new ValidationException("git.url", e.getMessage())
                    : new ValidationException("git." + e.field(), e.getMessage());
        }
    }

    /** The repository builds come from: a URL as given, a local path made absolute, or a local clone's remote. */
    private static String repositoryUrl(GitInput git, FieldNames names) {
        String url = git.url();
        if (url == null) {
            throw new ValidationException("git.url", names.of("git.remote") + " needs " + names.of("git.url")
                    + " to be a local clone's path");
        }
        if (git.remote() == null) {
            return isLocalPath(url) ? localPath(url, names.workingFolder()) : url;
        }
        if (!isLocalPath(url)) {
            throw new ValidationException("git.url", names.of("git.remote") + " needs " + names.of("git.url")
                    + " to be a local clone's path, not \"" + url + "\"");
        }
        try {
            return GitRemotes.remoteUrl(Path.of(localPath(url, names.workingFolder())), git.remote());
        } catch (ValidationException e) {
            throw new ValidationException("git.remote", e.getMessage());
        }
    }

    /**
     * Whether a repository as given is a path on this machine: neither a URL ({@code scheme://}) nor scp-like
     * ({@code [user@]host:path}).
     */
    public static boolean isLocalPath(String repository) {
        if (repository == null || repository.isBlank() || repository.contains("://")) {
            return false;
        }
        String t = repository.strip();
        int colon = t.indexOf(':');
        int slash = t.indexOf('/');
        return colon < 0 || (slash >= 0 && slash < colon);
    }

    /** A repository as given, {@code ~} or a leading {@code ~/} standing for the home folder; anything else as it is. */
    public static String expandHome(String repository) {
        if (repository == null) {
            return null;
        }
        String t = repository.strip();
        if (t.equals("~") || t.startsWith("~/")) {
            return System.getProperty("user.home") + t.substring(1);
        }
        return t;
    }

    /**
     * A local path as given, {@code ~/} standing for the home folder; a relative one made absolute against
     * {@code workingFolder} when the surface has one (the CLI's), else left for {@link GitSource} to refuse.
     */
    public static String localPath(String repository, Path workingFolder) {
        Path path = Path.of(expandHome(repository));
        if (path.isAbsolute()) {
            return path.normalize().toString();
        }
        return workingFolder == null ? path.toString() : workingFolder.resolve(path).toAbsolutePath().normalize().toString();
    }
}
