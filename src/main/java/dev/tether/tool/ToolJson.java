package dev.tether.tool;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;

/** The JSON this room reads and writes: tool schemas out, the model's arguments in. Stateless. */
final class ToolJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ToolJson() {}

    static String write(Object value) {
        try {
            return JSON.writeValueAsString(value == null ? Map.of("type", "object") : value);
        } catch (JsonProcessingException e) {
            return "{\"type\":\"object\"}";
        }
    }

    /** The model's arguments as an object; null if they are not a JSON object (the model's mistake, told to it). */
    static Map<String, Object> arguments(String json) {
        if (json == null || json.isBlank()) {
            return Map.of();
        }
        try {
            return JSON.readValue(json, new TypeReference<Map<String, Object>>() {});
        } catch (JsonProcessingException | IllegalArgumentException e) {
            return null;
        }
    }
}
