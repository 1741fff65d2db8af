package dev.redock.api;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.redock.store.Json;

/**
 * A JSON object body, read strictly: malformed JSON is a 400; a field that is unknown or of the wrong type is a 422
 * that names the field. Absent fields are told apart from present ones, so a PATCH changes only what it names.
 */
final class RequestBody {

    private final ObjectNode node;

    private RequestBody(ObjectNode node) {
        this.node = node;
    }

    static RequestBody parse(byte[] body, Set<String> allowed) {
        JsonNode tree;
        try {
            tree = body.length == 0 ? null : Json.mapper().readTree(body);
        } catch (JsonProcessingException e) {
            throw new ApiException(400, "malformed JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw new ApiException(400, "unreadable body: " + e.getMessage());
        }
        if (tree == null || tree.isMissingNode()) {
            throw new ApiException(400, "the body must be a JSON object");
        }
        if (!(tree instanceof ObjectNode object)) {
            throw new ApiException(422, "the body must be a JSON object, not " + tree.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
        }
        for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw new ApiException(422, "unknown field \"" + name + "\" (known: " + String.join(", ", new java.util.TreeSet<>(allowed)) + ")", name);
            }
        }
        return new RequestBody(object);
    }

    boolean has(String field) {
        return node.has(field);
    }

    String string(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw wrongType(field, "a string", v);
        }
        return v.asText();
    }

    Boolean bool(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isBoolean()) {
            throw wrongType(field, "true or false", v);
        }
        return v.asBoolean();
    }

    Integer integer(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isInt()) {
            throw wrongType(field, "a whole number", v);
        }
        return v.asInt();
    }

    List<String> strings(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return List.of();
        }
        if (!v.isArray()) {
            throw wrongType(field, "a list of strings", v);
        }
        List<String> result = new ArrayList<>();
        for (JsonNode item : v) {
            if (!item.isTextual()) {
                throw wrongType(field, "a list of strings", v);
            }
            result.add(item.asText());
        }
        return result;
    }

    /** An object of string values ({@code {"KEY": "value"}}). */
    Map<String, String> stringMap(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return Map.of();
        }
        if (!v.isObject()) {
            throw wrongType(field, "an object of strings", v);
        }
        Map<String, String> result = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isTextual()) {
                throw wrongType(field + "." + e.getKey(), "a string", e.getValue());
            }
            result.put(e.getKey(), e.getValue().asText());
        }
        return result;
    }

    private static ApiException wrongType(String field, String expected, JsonNode actual) {
        return new ApiException(422, "field \"" + field + "\" must be " + expected + ", not "
                + actual.getNodeType().name().toLowerCase(java.util.Locale.ROOT), field);
    }
}
