package dev.redock.engine;

import dev.redock.model.RestartPolicy;

/** Redock's restart policies in the engine's terms and back. */
final class RestartPolicies {

    private RestartPolicies() {
    }

    /** The engine's restart policy for Redock's. */
    static com.github.dockerjava.api.model.RestartPolicy forEngine(RestartPolicy policy) {
        return switch (policy.name()) {
            case "always" -> com.github.dockerjava.api.model.RestartPolicy.alwaysRestart();
            case "unless-stopped" -> com.github.dockerjava.api.model.RestartPolicy.unlessStoppedRestart();
            case "on-failure" -> com.github.dockerjava.api.model.RestartPolicy.onFailureRestart(policy.maxRetries());
            default -> com.github.dockerjava.api.model.RestartPolicy.noRestart();
        };
    }

    /** Redock's restart policy for the engine's ({@code no} when it names none). */
    static RestartPolicy fromEngine(com.github.dockerjava.api.model.RestartPolicy policy) {
        return policy == null || policy.getName() == null || policy.getName().isEmpty()
                ? RestartPolicy.NO
                : new RestartPolicy(policy.getName(), policy.getMaximumRetryCount() == null ? 0 : policy.getMaximumRetryCount());
    }
}
