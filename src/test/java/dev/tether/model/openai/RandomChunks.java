package dev.tether.model.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tether.model.ModelDelta;
import dev.tether.model.ModelException;
import dev.tether.model.RecordingSink;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

/**
 * Stream chunks for {@link ChunkDecoderTest}'s properties, written by Jackson: the usual shapes
 * (text, reasoning, tool-call fragments, finish, usage, an error) with the given texts and random
 * unknown fields in random places, now and then a value of an odd type; and two readings of any text:
 * what {@link ChunkDecoder} makes of it, and what a reading of the whole chunk as a Jackson tree
 * makes of it (how the decoder read chunks before it streamed them).
 */
final class RandomChunks {
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    // Unknown names include the known ones of other levels: a skipped value must stay skipped.
    private static final List<String> UNKNOWN_NAMES = List.of("id", "object", "created", "model", "role",
            "logprobs", "index", "total_tokens", "system_fingerprint", "choices", "delta", "content", "tool_calls",
            "error", "usage", "finish_reason", "function", "arguments", "a\"b\\c", "é😀", "");
    private static final String JSON_CHARS = "{}[]\":,\\ \n\tntrufalse0123456789-+.eEu\u0000\u001f";

    /** A decoder's whole answer to one chunk: what it emitted (then at the end), or the type of its fault. */
    record Outcome(List<ModelDelta> deltas, boolean isContent, boolean isFinished, String fault) {
        static Outcome fault(String type) {
            return new Outcome(List.of(), false, false, type);
        }
    }

    private RandomChunks() {}

    /** A chunk carrying these texts (null writes a JSON null), the rest decided by {@code random}. */
    static String chunk(String content, String reasoning, Random random) {
        JsonNode error = switch (random.nextInt(16)) {
            case 0 -> NODES.objectNode().put("message", "overloaded");
            case 1, 2, 3 -> NODES.nullNode();
            default -> null;
        };
        ObjectNode chunk = object(random, Set.of("choices", "usage", "error"),
                List.of(new Member("choices", choices(content, reasoning, random)),
                        new Member("usage", usage(random)), new Member("error", error)));
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

    /** What a fresh {@link ChunkDecoder} makes of {@code text}; anything but a ModelException escapes. */
    static Outcome decoded(String text) {
        RecordingSink sink = new RecordingSink();
        ChunkDecoder decoder = new ChunkDecoder(new ProviderFaults("http://provider/v1"));
        try {
            boolean isContent = decoder.decode(text, sink);
            boolean isFinished = decoder.isFinished();
            decoder.finish(sink);
            return new Outcome(sink.deltas(), isContent, isFinished, null);
        } catch (ModelException e) {
            return Outcome.fault(e.type());
        }
    }

    /** What reading {@code text} as one Jackson tree makes of it, by the rules the decoder keeps. */
    static Outcome treeReading(String text) {
        JsonNode chunk;
        try {
            chunk = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            return Outcome.fault("bad_response");
        }
        if (chunk == null || !chunk.isObject()) {
            return Outcome.fault("bad_response");
        }
        if (chunk.hasNonNull("error")) {
            return Outcome.fault("provider_error");
        }
        JsonNode u = chunk.get("usage");
        List<ModelDelta> deltas = new ArrayList<>();
        JsonNode choice = chunk.path("choices").path(0);
        boolean isContent = choice.isObject() && readDelta(choice.path("delta"), deltas);
        if (deltas.contains(null)) {
            return Outcome.fault("bad_response");
        }
        if (u != null && u.isObject()) {
            deltas.add(new ModelDelta.Usage(u.path("prompt_tokens").asLong(), u.path("completion_tokens").asLong()));
        }
        return new Outcome(deltas, isContent, choice.isObject() && choice.hasNonNull("finish_reason"), null);
    }

    /** Adds the delta's reasoning, text and whole tool calls, or a null for a value of the wrong type. */
    private static boolean readDelta(JsonNode delta, List<ModelDelta> deltas) {
        String reasoning = text(delta, "reasoning_content");
        reasoning = "".equals(reasoning) ? text(delta, "reasoning") : reasoning;
        String content = text(delta, "content");
        JsonNode calls = delta.path("tool_calls");
        if (reasoning == null || content == null || !(calls.isArray() || calls.isNull() || calls.isMissingNode())) {
            deltas.add(null);
            return false;
        }
        if (!reasoning.isEmpty()) {
            deltas.add(new ModelDelta.Reasoning(reasoning));
        }
        if (!content.isEmpty()) {
            deltas.add(new ModelDelta.Text(content));
        }
        TreeMap<Integer, String[]> byIndex = new TreeMap<>(); // id, name, arguments
        for (int i = 0; i < calls.size(); i++) {
            JsonNode call = calls.get(i);
            String[] parts = byIndex.computeIfAbsent(call.path("index").asInt(i), k -> new String[] {null, null, ""});
            JsonNode function = call.path("function");
            parts[0] = parts[0] == null && call.hasNonNull("id") ? call.get("id").asText() : parts[0];
            parts[1] = parts[1] == null && function.hasNonNull("name") ? function.get("name").asText() : parts[1];
            JsonNode args = function.path("arguments");
            parts[2] += args.isMissingNode() || args.isNull() ? "" : args.isTextual() ? args.asText() : args.toString();
        }
        byIndex.forEach((index, p) -> deltas.add(new ModelDelta.ToolCall(p[0] != null ? p[0] : "call_" + index,
                p[1] != null ? p[1] : "unknown", p[2])));
        return !reasoning.isEmpty() || !content.isEmpty() || !calls.isEmpty();
    }

    /** A string, "" for absent or null, null for another type. */
    private static String text(JsonNode delta, String field) {
        JsonNode node = delta.get(field);
        return node == null || node.isNull() ? "" : node.isTextual() ? node.asText() : null;
    }

    private static JsonNode choices(String content, String reasoning, Random random) {
        ArrayNode choices = NODES.arrayNode();
        switch (random.nextInt(24)) {
            case 0, 1, 2 -> {
                return choices; // a usage-only chunk
            }
            case 3 -> choices.add(odd(random));
            case 4 -> {
                return odd(random);
            }
            default -> { }
        }
        ObjectNode delta = object(random, Set.of("content", "reasoning_content", "reasoning", "tool_calls"),
                List.of(new Member("content", random.nextInt(6) == 0 ? null
                                : random.nextInt(40) == 0 ? odd(random) : textNode(content)),
                        new Member(random.nextBoolean() ? "reasoning_content" : "reasoning",
                                random.nextBoolean() ? null : textNode(reasoning)),
                        new Member("tool_calls", random.nextInt(5) == 0 ? toolCalls(random) : null)));
        JsonNode finish = switch (random.nextInt(5)) {
            case 0 -> NODES.textNode(random.nextBoolean() ? "stop" : "length");
            case 1 -> null;
            case 2 -> random.nextInt(10) == 0 ? odd(random) : NODES.textNode("tool_calls");
            default -> NODES.nullNode();
        };
        choices.add(object(random, Set.of("delta", "finish_reason"), List.of(
                new Member("delta", random.nextInt(10) == 0 ? (random.nextBoolean() ? null : odd(random)) : delta),
                new Member("finish_reason", finish))));
        if (random.nextInt(10) == 0) {
            choices.add(random.nextBoolean() ? odd(random) : choices.get(0).deepCopy());
        }
        return choices;
    }

    /** Fragments of one or two tool calls, as providers send them, now and then with loose types. */
    private static JsonNode toolCalls(Random random) {
        if (random.nextInt(20) == 0) {
            return odd(random);
        }
        ArrayNode calls = NODES.arrayNode();
        for (int i = 1 + random.nextInt(2); i > 0; i--) {
            ObjectNode function = NODES.objectNode();
            if (random.nextBoolean()) {
                function.put("name", random.nextBoolean() ? "search" : "read_file");
            }
            switch (random.nextInt(4)) {
                case 0 -> function.put("arguments", "{\"q\":");
                case 1 -> function.set("arguments", NODES.objectNode().put("q", "x").put("n", 1.5));
                case 2 -> function.set("arguments", odd(random));
                default -> { }
            }
            calls.add(object(random, Set.of("index", "id", "function"), List.of(
                    new Member("index", random.nextInt(8) == 0 ? odd(random) : NODES.numberNode(random.nextInt(3))),
                    new Member("id", random.nextBoolean() ? NODES.textNode("call_" + random.nextInt(9)) : null),
                    new Member("function", random.nextInt(8) == 0 ? null : function))));
        }
        return calls;
    }

    private static JsonNode usage(Random random) {
        return switch (random.nextInt(4)) {
            case 0 -> object(random, Set.of("prompt_tokens", "completion_tokens"),
                    List.of(new Member("prompt_tokens", random.nextInt(8) == 0 ? odd(random)
                                    : NODES.numberNode(tokens(random))),
                            new Member("completion_tokens", random.nextInt(5) == 0 ? null
                                    : NODES.numberNode(tokens(random)))));
            case 1 -> random.nextInt(4) == 0 ? odd(random) : NODES.nullNode();
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

    /** A value of a type a provider should not send where it goes. */
    private static JsonNode odd(Random random) {
        return switch (random.nextInt(12)) {
            case 0 -> NODES.numberNode(1.5);
            case 1 -> NODES.numberNode(1e300);
            case 2 -> NODES.numberNode(BigInteger.TWO.pow(70).add(BigInteger.valueOf(7)));
            case 3 -> NODES.textNode("12");
            case 4 -> NODES.textNode(" -3.9 ");
            case 5 -> NODES.textNode("many");
            case 6 -> NODES.booleanNode(random.nextBoolean());
            case 7 -> NODES.objectNode().put("v", 1);
            case 8 -> NODES.arrayNode().add(1).add("a");
            case 9 -> NODES.numberNode(-0.0);
            case 10 -> NODES.textNode("");
            default -> NODES.numberNode(7);
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
