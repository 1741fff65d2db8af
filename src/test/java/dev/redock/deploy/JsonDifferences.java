package dev.redock.deploy;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/** For the tests: where two JSON trees differ, one line per difference ({@code HostConfig.Memory: 1 -> 2}). */
final class JsonDifferences {

    private JsonDifferences() {
    }

    static List<String> between(String path, JsonNode before, JsonNode after) {
        List<String> found = new ArrayList<>();
        collect(path, before, after, found);
        return found;
    }

    private static void collect(String path, JsonNode before, JsonNode after, List<String> found) {
        if (before != null && after != null && before.isObject() && after.isObject()) {
            Set<String> keys = new LinkedHashSet<>();
            before.fieldNames().forEachRemaining(keys::add);
            after.fieldNames().forEachRemaining(keys::add);
            for (String key : keys) {
                collect(path + "." + key, before.get(key), after.get(key), found);
            }
        } else if (before != null && after != null && before.isArray() && after.isArray() && before.size() == after.size()) {
            for (int i = 0; i < before.size(); i++) {
                collect(path + "[" + i + "]", before.get(i), after.get(i), found);
            }
        } else if (before == null ? after != null : !before.equals(after)) {
            found.add(path + ": " + before + " -> " + after);
        }
    }
}
