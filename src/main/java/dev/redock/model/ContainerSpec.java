package dev.redock.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Everything a service's container is made from, besides its image. Carried unchanged from one container to its
 * replacement.
 *
 * @param ports       published ports
 * @param env         environment, in the order given
 * @param volumes     volumes and bind mounts
 * @param command     the command, or empty for the image's own
 * @param restart     the restart policy
 * @param labels      the user's labels (Redock adds its own beside them)
 * @param networks    networks to join; empty for the engine's default bridge
 * @param stopTimeoutSeconds seconds the engine waits after SIGTERM before SIGKILL; null for the engine's default
 */
public record ContainerSpec(
        List<PortBinding> ports,
        Map<String, String> env,
        List<VolumeBinding> volumes,
        List<String> command,
        RestartPolicy restart,
        Map<String, String> labels,
        List<String> networks,
        Integer stopTimeoutSeconds) {

    private static final Pattern ENV_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]*");
    private static final Pattern LABEL_KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");
    private static final Pattern NETWORK = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]*");

    public ContainerSpec {
        ports = List.copyOf(ports == null ? List.of() : ports);
        env = unmodifiable(env);
        volumes = List.copyOf(volumes == null ? List.of() : volumes);
        command = List.copyOf(command == null ? List.of() : command);
        restart = restart == null ? RestartPolicy.NO : restart;
        labels = unmodifiable(labels);
        networks = List.copyOf(networks == null ? List.of() : networks);
        if (stopTimeoutSeconds != null && (stopTimeoutSeconds < 0 || stopTimeoutSeconds > 3600)) {
            throw new ValidationException("stopTimeout", "stop timeout must be between 0 and 3600 seconds");
        }
        validate(ports, env, labels, networks);
    }

    public static ContainerSpec empty() {
        return new ContainerSpec(null, null, null, null, null, null, null, null);
    }

    /** This spec with another environment. */
    public ContainerSpec withEnv(Map<String, String> newEnv) {
        return new ContainerSpec(ports, newEnv, volumes, command, restart, labels, networks, stopTimeoutSeconds);
    }

    private static Map<String, String> unmodifiable(Map<String, String> map) {
        return map == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }

    private static void validate(List<PortBinding> ports, Map<String, String> env, Map<String, String> labels, List<String> networks) {
        var seen = new java.util.HashSet<String>();
        for (PortBinding p : ports) {
            if (!seen.add(p.hostIp() + ":" + p.hostPort() + "/" + p.protocol())) {
                throw new ValidationException("ports", "host port " + p.hostPort() + "/" + p.protocol() + " is bound twice");
            }
        }
        for (String key : env.keySet()) {
            if (!ENV_KEY.matcher(key).matches()) {
                throw new ValidationException("env", "invalid environment variable name \"" + key + "\"");
            }
        }
        for (String key : labels.keySet()) {
            if (!LABEL_KEY.matcher(key).matches()) {
                throw new ValidationException("labels", "invalid label key \"" + key + "\"");
            }
            if (Labels.RESERVED.contains(key)) {
                throw new ValidationException("labels", "the label \"" + key + "\" is Redock's own");
            }
        }
        for (String network : networks) {
            if (!NETWORK.matcher(network).matches()) {
                throw new ValidationException("networks", "invalid network name \"" + network + "\"");
            }
        }
    }

    /** Parses {@code KEY=VALUE}; the value may be empty and may contain '='. */
    public static Map.Entry<String, String> parseKeyValue(String field, String text) {
        int eq = text == null ? -1 : text.indexOf('=');
        if (eq <= 0) {
            throw new ValidationException(field, "invalid " + field + " entry \"" + text + "\" (expected KEY=VALUE)");
        }
        return Map.entry(text.substring(0, eq), text.substring(eq + 1));
    }
}
