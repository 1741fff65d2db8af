package dev.redock.engine;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.redock.model.VolumeBinding;

/**
 * The mounts of a recreated container, for {@link ContainerBlueprint}: the spec's volumes, each in the very words the old
 * container was given it where it had it (so that options Redock's spec cannot say, such as {@code :z}, {@code rshared} or
 * a volume's {@code nocopy}, survive); its tmpfs mounts; and every other volume it had, anonymous ones above all, mounted
 * again by name, since a fresh empty one would lose the service's data. Bind and volume mounts the spec no longer names are
 * left out: the user removed them.
 */
final class MountPlan {

    private final ArrayNode binds = EngineJson.JSON.createArrayNode();
    private final ArrayNode mounts = EngineJson.JSON.createArrayNode();
    private final Set<String> covered = new HashSet<>();

    /**
     * @param oldHost   the old container's {@code HostConfig}
     * @param oldMounts the old container's {@code Mounts}: what the engine actually mounted, with the volumes' names
     */
    MountPlan(JsonNode oldHost, JsonNode oldMounts, List<VolumeBinding> volumes) {
        for (VolumeBinding v : volumes) {
            String bind = oldBind(oldHost.path("Binds"), v);
            JsonNode mount = bind == null ? oldMount(oldHost.path("Mounts"), v) : null;
            if (bind != null) {
                binds.add(bind);
            } else if (mount != null) {
                mounts.add(mount.deepCopy());
            } else {
                binds.add(v.toString());
            }
            covered.add(v.target());
        }
        oldHost.path("Tmpfs").fieldNames().forEachRemaining(covered::add);
        for (JsonNode m : oldHost.path("Mounts")) {
            String type = m.path("Type").asText();
            if (!type.equals("bind") && !type.equals("volume")) {
                // tmpfs, and kinds Redock's spec does not speak of: kept as they were given
                mounts.add(m.deepCopy());
                covered.add(m.path("Target").asText());
            }
        }
        for (JsonNode m : oldMounts) {
            String name = m.path("Name").asText("");
            String destination = m.path("Destination").asText("");
            if (m.path("Type").asText().equals("volume") && !name.isEmpty() && covered.add(destination)) {
                ObjectNode again = mounts.addObject();
                again.put("Type", "volume").put("Source", name).put("Target", destination);
                if (!m.path("RW").asBoolean(true)) {
                    again.put("ReadOnly", true);
                }
            }
        }
    }

    /** {@code HostConfig.Binds}, or null for none. */
    JsonNode binds() {
        return binds.isEmpty() ? EngineJson.JSON.nullNode() : binds;
    }

    /** {@code HostConfig.Mounts}, or null for none. */
    JsonNode mounts() {
        return mounts.isEmpty() ? EngineJson.JSON.nullNode() : mounts;
    }

    /** The old bind ({@code SOURCE:TARGET[:OPTIONS]}) that says what the volume says, verbatim; or null. */
    private static String oldBind(JsonNode oldBinds, VolumeBinding v) {
        for (JsonNode b : oldBinds) {
            String[] parts = b.asText().split(":", 3);
            if (parts.length >= 2 && parts[0].equals(v.source()) && parts[1].equals(v.target())
                    && readOnly(parts.length == 3 ? parts[2] : "") == v.readOnly()) {
                return b.asText();
            }
        }
        return null;
    }

    private static boolean readOnly(String options) {
        for (String option : options.split(",")) {
            if (option.equals("ro")) {
                return true;
            }
        }
        return false;
    }

    /** The old {@code --mount} of a bind or named volume that says what the volume says; or null. */
    private static JsonNode oldMount(JsonNode oldMounts, VolumeBinding v) {
        for (JsonNode m : oldMounts) {
            String type = m.path("Type").asText();
            if ((type.equals("bind") || type.equals("volume")) && m.path("Source").asText().equals(v.source())
                    && m.path("Target").asText().equals(v.target()) && m.path("ReadOnly").asBoolean(false) == v.readOnly()) {
                return m;
            }
        }
        return null;
    }
}
