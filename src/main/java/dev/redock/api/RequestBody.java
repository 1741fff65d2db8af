package dev.redock.api;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.redock.model.Json;
import dev.redock.service.ServiceInput;

/**
 * A JSON object body, read strictly: malformed JSON is a 400; a field that is unknown or of the wrong type is a 422
 * that names the field. Absent fields are told apart from present ones, so a PATCH changes only what it names. An object
 * inside the body ({@code "git": {...}}) is read the same way, its fields named by their path ({@code git.branch}).
 */
final class RequestBody {

    private final ObjectNode node;
    /** Where this object sits in the body: empty for the body itself, {@code git.} for the object in its "git" field. */
    private final String prefix;

    private RequestBody(ObjectNode node, String prefix) {
        this.node = node;
        this.prefix = prefix;
    }

    /** Reads bodies refusing a key given twice in one object, which plain JSON readers let the last one win. */
    private static final ObjectReader STRICT = Json.mapper().reader().with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    static RequestBody parse(byte[] body, Set<String> allowed) {
        JsonNode tree;
        try {
            tree = body.length == 0 ? null : STRICT.readTree(body);
        } catch (JsonParseException e) {
            throw givenTwice(e).orElseGet(() -> new ApiException(400, "malformed JSON: " + e.getOriginalMessage()));
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
        return checked(object, allowed, "");
    }

    /**
     * The refusal of a key given twice: inside {@code "env"} or {@code "labels"} it is refused as every way in refuses
     * one given twice, elsewhere as a field given twice.
     */
    private static java.util.Optional<RuntimeException> givenTwice(JsonParseException e) {
        JsonParser parser = e.getProcessor();
        if (parser == null || !String.valueOf(e.getOriginalMessage()).startsWith("Duplicate field")) {
            return java.util.Optional.empty();
        }
        JsonStreamContext object = parser.getParsingContext();
        String key = object.getCurrentName();
        JsonStreamContext parent = object.getParent();
        String holder = parent == null ? null : parent.getCurrentName();
        if (holder != null && parent.getParent() != null && parent.getParent().inRoot()
                && (holder.equals("env") || holder.equals("labels"))) {
            return java.util.Optional.of(ServiceInput.givenTwice(holder, key));
        }
        String path = holder == null ? key : holder + "." + key;
        return java.util.Optional.of(new ApiException(422, "field \"" + path + "\" is given twice", path));
    }

    private static RequestBody checked(ObjectNode object, Set<String> allowed, String prefix) {
        for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
            String field = names.next();
            if (!allowed.contains(field)) {
                String name = prefix + field;
                throw new ApiException(422, "unknown field \"" + name + "\" (known: " + String.join(", ", new java.util.TreeSet<>(allowed)) + ")", name);
            }
        }
        return new RequestBody(object, prefix);
    }

    /** A field's name as errors give it: its path from the body ({@code git.url} for {@code url} inside "git"). */
    String name(String field) {
        return prefix + field;
    }

    /** An object field, read as strictly as the body (only the {@code allowed} fields); null when absent or null. */
    RequestBody object(String field, Set<String> allowed) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!(v instanceof ObjectNode object)) {
            throw wrongType(field, "an object", v);
        }
        return checked(object, allowed, name(field) + ".");
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

    private ApiException wrongType(String field, String expected, JsonNode actual) {
        return new ApiException(422, "field \"" + name(field) + "\" must be " + expected + ", not "
                + actual.getNodeType().name().toLowerCase(java.util.Locale.ROOT), name(field));
    }
}
