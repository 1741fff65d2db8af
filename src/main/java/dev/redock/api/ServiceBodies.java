package dev.redock.api;

import java.util.List;
import java.util.Set;

import dev.redock.service.ServiceInput;

/**
 * What a body of the service endpoints says of a service's settings: which fields it may have, and the words they give,
 * as the CLI's options give them. Checking those words is the service layer's ({@link ServiceInput}); here only JSON's
 * own rules are applied (a field that may not be null, an object of strings as {@code KEY=value} entries).
 */
final class ServiceBodies {

    static final Set<String> SERVICE_FIELDS = Set.of("image", "git", "name", "ports", "env", "volumes", "command",
            "restart", "labels", "networks", "stop_timeout", "autoredeploy", "engine", "min_uptime", "container", "project");
    /** The fields of an adoption: {@code redock service adopt}'s. */
    static final Set<String> ADOPT_FIELDS = Set.of("container", "project", "engine", "autoredeploy");
    /** The fields of a new service's {@code "git"} object: {@code redock service run --git URL --branch BRANCH ...}'s options. */
    static final Set<String> GIT_FIELDS = Set.of("url", "branch", "dockerfile", "context", "paths");
    static final Set<String> PATCH_FIELDS = Set.of("image", "git", "ports", "env", "volumes", "command", "restart",
            "labels", "networks", "stop_timeout", "autoredeploy", "engine", "min_uptime");

    /** The settings a body gives, in words as the CLI takes them; a field absent (or null) is not given. */
    static ServiceInput input(RequestBody body, RequestBody git) {
        return ServiceInput.empty()
                .withImage(body.string("image"))
                .withGit(git == null ? null : new ServiceInput.GitInput(
                        git.has("url") ? requireString(git, "url") : null,
                        null,
                        git.has("branch") ? requireString(git, "branch") : null,
                        git.string("dockerfile"),
                        git.string("context"),
                        git.has("paths") ? git.strings("paths") : null))
                .withPorts(body.has("ports") ? body.strings("ports") : null)
                .withEnv(body.has("env") ? entries(body.stringMap("env")) : null)
                .withVolumes(body.has("volumes") ? body.strings("volumes") : null)
                .withCommand(body.has("command") ? body.strings("command") : null)
                .withRestart(body.has("restart") ? orEmpty(body.string("restart")) : null)
                .withLabels(body.has("labels") ? entries(body.stringMap("labels")) : null)
                .withNetworks(body.has("networks") ? body.strings("networks") : null)
                .withStopTimeout(body.has("stop_timeout") ? orEmpty(body.integer("stop_timeout")) : null)
                .withAutoredeploy(body.bool("autoredeploy"))
                .withEngine(body.string("engine"))
                .withMinUptime(body.has("min_uptime") ? orEmpty(body.string("min_uptime")) : null);
    }

    /** Refuses a field an adoption does not take: a container is adopted with the settings it has. */
    static void onlyAdoptionFields(RequestBody body) {
        for (String field : SERVICE_FIELDS) {
            if (!ADOPT_FIELDS.contains(field) && body.has(field)) {
                throw new ApiException(422, "field \"" + field + "\" does not go with \"container\" or \"project\": an"
                        + " adopted container keeps the settings it has (change them afterwards with PATCH)", field);
            }
        }
        if (body.has("autoredeploy")) {
            requireBool(body, "autoredeploy");
        }
    }

    /** A field given as null: the default (no restart policy, the engine's stop timeout, Redock's minimum uptime). */
    static String orEmpty(Object value) {
        return value == null ? "" : value.toString();
    }

    /** {@code {"KEY": "value"}} as {@code KEY=value} entries (a key given twice is refused as the body is read). */
    static List<String> entries(java.util.Map<String, String> map) {
        return map.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
    }

    /** A string field that was given, refused as null. */
    static String requireString(RequestBody body, String field) {
        String v = body.string(field);
        if (v == null) {
            throw new ApiException(422, "field \"" + body.name(field) + "\" may not be null", body.name(field));
        }
        return v;
    }

    /** A true-or-false field that was given, refused as null. */
    static boolean requireBool(RequestBody body, String field) {
        Boolean v = body.bool(field);
        if (v == null) {
            throw new ApiException(422, "field \"" + field + "\" may not be null", field);
        }
        return v;
    }

    private ServiceBodies() {
    }
}
