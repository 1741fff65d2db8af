package dev.redock.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.redock.model.RestartPolicy;

/** Redock's restart policies in the engine's terms and back. */
final class RestartPolicies {

    private RestartPolicies() {
    }

    /**
     * {@code no}, by its name. docker-java's own ({@code noRestart()}) has an empty name, which the engine reads as "no
     * change" in an update ({@code POST /containers/{id}/update}): a container set aside during a redeploy kept
     * {@code always}, and an engine restart started it next to its replacement. docker-java has no constant named
     * {@code no}, so this one is read from the engine's own JSON.
     */
    private static final com.github.dockerjava.api.model.RestartPolicy NO_BY_NAME;

    static {
        try {
            NO_BY_NAME = EngineJson.JSON.readValue("{\"Name\": \"no\", \"MaximumRetryCount\": 0}",
                    com.github.dockerjava.api.model.RestartPolicy.class);
        } catch (JsonProcessingException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The engine's restart policy for Redock's, each by its name (as {@code docker update --restart} sends it). */
    static com.github.dockerjava.api.model.RestartPolicy forEngine(RestartPolicy policy) {
        return switch (policy.name()) {
            case "always" -> com.github.dockerjava.api.model.RestartPolicy.alwaysRestart();
            case "unless-stopped" -> com.github.dockerjava.api.model.RestartPolicy.unlessStoppedRestart();
            case "on-failure" -> com.github.dockerjava.api.model.RestartPolicy.onFailureRestart(policy.maxRetries());
            default -> NO_BY_NAME;
        };
    }

    /** Redock's restart policy for the engine's ({@code no} when it names none). */
    static RestartPolicy fromEngine(com.github.dockerjava.api.model.RestartPolicy policy) {
        return policy == null || policy.getName() == null || policy.getName().isEmpty()
                ? RestartPolicy.NO
                : new RestartPolicy(policy.getName(), policy.getMaximumRetryCount() == null ? 0 : policy.getMaximumRetryCount());
    }
}
