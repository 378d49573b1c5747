package dev.tether.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;

/**
 * A request's JSON object with typed, validating field access: a missing required field or a
 * value of the wrong type is a 400 naming the field. Unknown fields are ignored.
 */
public final class JsonBody {
    private final JsonNode root;

    private JsonBody(JsonNode root) {
        this.root = root;
    }

    public static JsonBody parse(ObjectMapper mapper, String text) {
        if (text == null || text.isBlank()) {
            return new JsonBody(mapper.createObjectNode());
        }
        try {
            JsonNode node = mapper.readTree(text);
            if (node == null || !node.isObject()) {
                throw new ApiError(400, "bad_json", "The request body must be a JSON object.");
            }
            if (!isUnicodeText(node)) {
                throw new ApiError(400, "bad_json",
                        "The request body has text that is not valid Unicode (an unpaired surrogate such as \\ud800).");
            }
            return new JsonBody(node);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? ""
                    : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
            throw new ApiError(400, "bad_json", "The request body is not valid JSON" + where + ".");
        }
    }

    /**
     * JSON may escape lone surrogates ({@code "\\ud800"}); they are not text, and storing one would
     * silently turn it into '?'. Every string and field name must be well-formed UTF-16.
     */
    private static boolean isUnicodeText(JsonNode node) {
        if (node.isTextual()) {
            return isWellFormed(node.textValue());
        }
        for (var fields = node.fields(); fields.hasNext(); ) {
            var field = fields.next();
            if (!isWellFormed(field.getKey()) || !isUnicodeText(field.getValue())) {
                return false;
            }
        }
        if (node.isArray()) {
            for (JsonNode item : node) {
                if (!isUnicodeText(item)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean isWellFormed(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    public String string(String field) {
        String v = optString(field);
        if (v == null) {
            throw new ApiError(400, "missing_field", "'" + field + "' is required.");
        }
        return v;
    }

    public String optString(String field) {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw wrongType(field, "a string");
        }
        return n.asText();
    }

    public Boolean optBool(String field) {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isBoolean()) {
            throw wrongType(field, "true or false");
        }
        return n.asBoolean();
    }

    public boolean flag(String field) {
        return Boolean.TRUE.equals(optBool(field));
    }

    public Integer optInt(String field, int min) {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isIntegralNumber() || !n.canConvertToInt()) {
            throw wrongType(field, "a whole number");
        }
        if (n.asInt() < min) {
            throw new ApiError(400, "bad_field", "'" + field + "' must be at least " + min + ".");
        }
        return n.asInt();
    }

    public List<String> optStrings(String field) {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) {
            return List.of();
        }
        if (!n.isArray()) {
            throw wrongType(field, "a list of strings");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode item : n) {
            if (!item.isTextual()) {
                throw wrongType(field, "a list of strings");
            }
            out.add(item.asText());
        }
        return out;
    }

    public JsonNode root() {
        return root;
    }

    private static ApiError wrongType(String field, String expected) {
        return new ApiError(400, "bad_field", "'" + field + "' must be " + expected + ".");
    }
}
