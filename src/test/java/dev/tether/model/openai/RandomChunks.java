package dev.tether.model.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tether.model.ModelDelta;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Stream chunks for {@link QuickChunkTest}'s properties, written by Jackson: the common shape with
 * the given texts, random finish and usage, and random unknown fields in random places; and what
 * the full reading (a Jackson tree, as {@link ChunkDecoder} reads it) takes from any text.
 */
final class RandomChunks {
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    // Unknown names include the known ones of other levels: a skipped value must stay skipped.
    private static final List<String> UNKNOWN_NAMES = List.of("id", "object", "created", "model", "role",
            "logprobs", "index", "total_tokens", "system_fingerprint", "choices", "delta", "content", "tool_calls",
            "error", "usage", "finish_reason", "a\"b\\c", "é😀", "");
    private static final String JSON_CHARS = "{}[]\":,\\ \n\tntrufalse0123456789-+.eEu\u0000\u001f";

    private RandomChunks() {}

    /** A chunk carrying these texts (null writes a JSON null), the rest decided by {@code random}. */
    static String chunk(String content, String reasoning, Random random) {
        ObjectNode chunk = object(random, Set.of("choices", "usage", "error"),
                List.of(new Member("choices", choices(content, reasoning, random)),
                        new Member("usage", usage(random)),
                        new Member("error", random.nextInt(4) == 0 ? NODES.nullNode() : null)));
        try {
            return random.nextBoolean() ? JSON.writeValueAsString(chunk)
                    : JSON.writerWithDefaultPrettyPrinter().writeValueAsString(chunk);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The text with one character deleted, inserted, replaced or the rest cut off. */
    static String mutate(String text, Random random) {
        int at = random.nextInt(text.length() + 1);
        char c = JSON_CHARS.charAt(random.nextInt(JSON_CHARS.length()));
        return switch (random.nextInt(4)) {
            case 0 -> at == text.length() ? text : text.substring(0, at) + text.substring(at + 1);
            case 1 -> text.substring(0, at) + c + text.substring(at);
            case 2 -> at == text.length() ? text + c : text.substring(0, at) + c + text.substring(at + 1);
            default -> text.substring(0, at);
        };
    }

    /** What the full reading takes from {@code text}, or null when it is not a plain chunk or not JSON. */
    static ChunkDecoder.Plain fullReading(String text) {
        JsonNode chunk;
        try {
            chunk = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            return null;
        }
        if (chunk == null || !chunk.isObject() || chunk.hasNonNull("error")) {
            return null;
        }
        JsonNode u = chunk.get("usage");
        ModelDelta.Usage usage = u != null && u.isObject()
                ? new ModelDelta.Usage(u.path("prompt_tokens").asLong(), u.path("completion_tokens").asLong()) : null;
        JsonNode choice = chunk.path("choices").path(0);
        if (!choice.isObject()) {
            return new ChunkDecoder.Plain(false, "", "", "", false, usage);
        }
        JsonNode delta = choice.path("delta");
        if (delta.has("tool_calls")) {
            return null;
        }
        return new ChunkDecoder.Plain(true, text(delta, "content"), text(delta, "reasoning_content"),
                text(delta, "reasoning"), choice.hasNonNull("finish_reason"), usage);
    }

    private static String text(JsonNode delta, String field) {
        JsonNode node = delta.get(field);
        return node == null || node.isNull() ? "" : node.isTextual() ? node.asText() : "<not text: " + node + ">";
    }

    private static JsonNode choices(String content, String reasoning, Random random) {
        ArrayNode choices = NODES.arrayNode();
        if (random.nextInt(8) == 0) {
            return choices; // a usage-only chunk
        }
        ObjectNode delta = object(random, Set.of("content", "reasoning_content", "reasoning", "tool_calls"),
                List.of(new Member("content", random.nextInt(6) == 0 ? null : textNode(content)),
                        new Member(random.nextBoolean() ? "reasoning_content" : "reasoning",
                                random.nextBoolean() ? null : textNode(reasoning))));
        JsonNode finish = switch (random.nextInt(4)) {
            case 0 -> NODES.textNode(random.nextBoolean() ? "stop" : "length");
            case 1 -> null;
            default -> NODES.nullNode();
        };
        choices.add(object(random, Set.of("delta", "finish_reason"),
                List.of(new Member("delta", random.nextInt(10) == 0 ? null : delta), new Member("finish_reason", finish))));
        return choices;
    }

    private static JsonNode usage(Random random) {
        return switch (random.nextInt(4)) {
            case 0 -> object(random, Set.of("prompt_tokens", "completion_tokens"),
                    List.of(new Member("prompt_tokens", NODES.numberNode(tokens(random))),
                            new Member("completion_tokens", random.nextInt(5) == 0 ? null
                                    : NODES.numberNode(tokens(random)))));
            case 1 -> NODES.nullNode();
            default -> null;
        };
    }

    private static long tokens(Random random) {
        return switch (random.nextInt(5)) {
            case 0 -> Long.MAX_VALUE;
            case 1 -> Long.MIN_VALUE;
            case 2 -> -random.nextInt(1000);
            default -> random.nextInt(100_000);
        };
    }

    private static JsonNode textNode(String text) {
        return text == null ? NODES.nullNode() : NODES.textNode(text);
    }

    /** An object of the known members (a null value leaves one out) and 0–3 unknown ones, in random order. */
    private static ObjectNode object(Random random, Set<String> known, List<Member> members) {
        List<Member> all = new ArrayList<>(members.stream().filter(m -> m.value() != null).toList());
        for (int i = random.nextInt(4); i > 0; i--) {
            String name = UNKNOWN_NAMES.get(random.nextInt(UNKNOWN_NAMES.size()));
            if (!known.contains(name) && all.stream().noneMatch(m -> m.name().equals(name))) {
                all.add(new Member(name, unknownValue(random, 0)));
            }
        }
        Collections.shuffle(all, random);
        ObjectNode object = NODES.objectNode();
        all.forEach(m -> object.set(m.name(), m.value()));
        return object;
    }

    private static JsonNode unknownValue(Random random, int depth) {
        int kind = random.nextInt(depth < 4 ? 10 : 8);
        return switch (kind) {
            case 0 -> NODES.textNode(UNKNOWN_NAMES.get(random.nextInt(UNKNOWN_NAMES.size())) + "\n\u0001\"");
            case 1 -> NODES.numberNode(random.nextLong());
            case 2 -> NODES.numberNode(random.nextGaussian() * Math.pow(10, random.nextInt(40) - 20));
            case 3 -> NODES.numberNode(BigInteger.TWO.pow(64 + random.nextInt(64)).negate());
            case 4 -> NODES.booleanNode(random.nextBoolean());
            case 5 -> NODES.nullNode();
            case 6 -> NODES.numberNode(0);
            case 7 -> NODES.textNode("");
            case 8 -> {
                ArrayNode array = NODES.arrayNode();
                for (int i = random.nextInt(4); i > 0; i--) {
                    array.add(unknownValue(random, depth + 1));
                }
                yield array;
            }
            default -> object(random, Set.of(), List.of(new Member("v", unknownValue(random, depth + 1))));
        };
    }

    private record Member(String name, JsonNode value) {}
}
