package dev.redock.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.redock.model.Deployment;
import dev.redock.model.Durations;
import dev.redock.model.EnvMask;
import dev.redock.model.EngineStatus;
import dev.redock.model.Json;
import dev.redock.model.Service;
import dev.redock.model.ServiceView;

/**
 * Services and deployments as JSON: the same document for the API and {@code redock service inspect}. Environment
 * values are masked ({@link EnvMask}) unless the caller asked to see them.
 */
public final class ServiceJson {

    private ServiceJson() {
    }

    /** @param showEnvValues whether environment values show as they are rather than masked */
    public static ObjectNode service(ServiceView v, boolean showEnvValues) {
        Service s = v.service();
        ObjectNode root = Json.mapper().createObjectNode();
        root.put("uuid", s.id().toString());
        root.put("resource_uri", "/api/v1/service/" + s.id() + "/");
        root.put("name", s.name());
        root.put("image", s.image().canonical());
        root.put("engine", s.engine());
        root.put("adopted_container", s.adopted());
        root.put("status", v.status().label());
        if (v.detail() != null) {
            root.put("status_detail", v.detail());
        }
        root.put("autoredeploy", s.autoredeploy());
        // The service's own minimum uptime, or null for Redock's default.
        root.put("min_uptime", s.minUptime() == null ? null : Durations.format(s.minUptime()));
        root.put("digest", s.digest());
        if (s.git() != null) {
            // Built from source: where from, and the commit it runs.
            root.set("git", Json.mapper().valueToTree(s.git()));
            root.put("commit", s.commit());
        }
        root.put("container_id", v.containerId());
        root.put("created", s.created().toString());
        root.put("updated", s.updated().toString());
        ObjectNode spec = root.putObject("spec");
        spec.set("ports", strings(s.spec().ports()));
        spec.set("env", Json.mapper().valueToTree(showEnvValues ? s.spec().env() : EnvMask.masked(s.spec().env())));
        spec.set("volumes", strings(s.spec().volumes()));
        spec.set("command", Json.mapper().valueToTree(s.spec().command()));
        spec.put("restart", s.spec().restart().toString());
        spec.set("labels", Json.mapper().valueToTree(s.spec().labels()));
        spec.set("networks", Json.mapper().valueToTree(s.spec().networks()));
        if (s.spec().stopTimeoutSeconds() != null) {
            spec.put("stop_timeout", s.spec().stopTimeoutSeconds());
        }
        if (v.last() != null) {
            root.set("last_deployment", deployment(v.last()));
        }
        return root;
    }

    public static ObjectNode deployment(Deployment d) {
        ObjectNode h = Json.mapper().createObjectNode();
        h.put("id", d.id());
        h.put("trigger", d.trigger().label());
        h.put("old_digest", d.oldDigest());
        h.put("new_digest", d.newDigest());
        h.put("started", d.started().toString());
        h.put("ended", d.ended() == null ? null : d.ended().toString());
        h.put("outcome", d.outcome().label());
        h.put("error", d.error());
        if (d.commit() != null) {
            h.set("commit", Json.mapper().valueToTree(d.commit()));
        }
        return h;
    }

    private static ArrayNode strings(java.util.List<?> items) {
        ArrayNode a = Json.mapper().createArrayNode();
        items.forEach(i -> a.add(i.toString()));
        return a;
    }

    /**
     * An engine as the API shows it: its name, where it is, its state when last asked, how many services run there, and
     * whether new services go there.
     */
    public static ObjectNode engine(EngineStatus e, int services, boolean forNew) {
        ObjectNode root = Json.mapper().createObjectNode();
        root.put("name", e.name());
        root.put("resource_uri", "/api/v1/engine/" + e.name() + "/");
        root.put("kind", e.entry().kind().name().toLowerCase(java.util.Locale.ROOT));
        root.put("where", e.entry().describe());
        root.put("address", e.address());
        root.put("source", e.source());
        root.put("state", e.checked() == null ? "not checked" : e.reachable() ? "connected" : "unreachable");
        root.put("version", e.version());
        root.put("problem", e.problem());
        ArrayNode limitations = root.putArray("limitations");
        e.limitations().forEach(limitations::add);
        root.put("services", services);
        root.put("for_new", forNew);
        return root;
    }

    /** A container no service follows, as {@code GET /api/v1/container/} lists it. */
    static ObjectNode unfollowed(dev.redock.model.UnfollowedContainer c) {
        ObjectNode o = Json.mapper().createObjectNode();
        o.put("id", c.id());
        o.put("name", c.name());
        o.put("image", c.image());
        o.put("engine", c.engine());
        o.put("state", c.state());
        o.put("status", c.status());
        o.put("project", c.project());
        o.put("compose_service", c.composeService());
        o.put("created", c.created() == null ? null : c.created().toString());
        o.put("no_autoredeploy", c.noTag());
        return o;
    }
}
