package dev.tether.model.openai;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tether.model.ModelDelta;
import java.io.IOException;

/**
 * What one {@code data:} payload of a chat-completion stream says, read in one pass of Jackson's
 * streaming parser: {@code error}, {@code usage} and the first choice's {@code delta} and
 * {@code finish_reason}. Every other value is skipped, its syntax still checked.
 *
 * <p>The rules are those of a Jackson tree of the whole chunk, which is how the decoder read chunks
 * before: a repeated key counts the last time; choices after the first are ignored; a delta or usage
 * that is not an object counts as absent; any non-null {@code error} or {@code finish_reason} counts.
 * A value of the wrong type is kept, not thrown, because an {@code error} later in the chunk
 * decides what went wrong: the decoder reports it.
 *
 * <p>Threading: immutable; {@link #read} is safe from any thread.
 *
 * @param isError whether the chunk carries a non-null {@code error}
 * @param usage the token counts, or null when the chunk has no usage object
 * @param choice the first choice, or null when {@code choices} has no object first
 */
record Chunk(boolean isError, ModelDelta.Usage usage, Choice choice) {

    /**
     * Buffers come from one shared pool, not one per thread: Jackson's default keeps them in a
     * ThreadLocal, and streams run on virtual threads (docs/performance.md).
     */
    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .recyclerPool(JsonRecyclerPools.sharedConcurrentDequePool()).build());

    record Choice(Delta delta, boolean isFinish) {}

    /**
     * One choice's delta. A text is "" when absent or null, and null when it is not a string.
     * {@code toolCalls} is the value of {@code tool_calls} as a tree (an array unless the provider
     * sent something else), or null when absent or null.
     */
    record Delta(String content, String reasoningContent, String reasoning, JsonNode toolCalls) {
        static final Delta EMPTY = new Delta("", "", "", null);
    }

    /** Reads one chunk: null when it does not start as one JSON object or goes on after it; malformed JSON throws. */
    static Chunk read(String data) throws IOException {
        try (JsonParser p = JSON.createParser(data)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            boolean isError = false;
            ModelDelta.Usage usage = null;
            Choice choice = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                switch (name) {
                    case "error" -> isError = value != JsonToken.VALUE_NULL;
                    case "usage" -> usage = value == JsonToken.START_OBJECT ? usage(p) : null;
                    case "choices" -> choice = value == JsonToken.START_ARRAY ? firstChoice(p) : null;
                    default -> { }
                }
                p.skipChildren(); // whatever was not read; a no-op after a value read to its end
            }
            return p.nextToken() == null ? new Chunk(isError, usage, choice) : null;
        }
    }

    private static Choice firstChoice(JsonParser p) throws IOException {
        Choice first = null;
        for (int i = 0; p.nextToken() != JsonToken.END_ARRAY; i++) {
            if (i == 0 && p.currentToken() == JsonToken.START_OBJECT) {
                first = choice(p);
            }
            p.skipChildren();
        }
        return first;
    }

    private static Choice choice(JsonParser p) throws IOException {
        Delta delta = Delta.EMPTY;
        boolean isFinish = false;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            switch (name) {
                case "delta" -> delta = value == JsonToken.START_OBJECT ? delta(p) : Delta.EMPTY;
                case "finish_reason" -> isFinish = value != JsonToken.VALUE_NULL;
                default -> { }
            }
            p.skipChildren();
        }
        return new Choice(delta, isFinish);
    }

    private static Delta delta(JsonParser p) throws IOException {
        String content = "";
        String reasoningContent = "";
        String reasoning = "";
        JsonNode toolCalls = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            switch (name) {
                case "content" -> content = text(p, value);
                case "reasoning_content" -> reasoningContent = text(p, value);
                case "reasoning" -> reasoning = text(p, value);
                // A tree of the fragments (a few per tool call, not one per token): how their
                // loose fields read (an index as a string, arguments as an object) is JsonNode's.
                case "tool_calls" -> toolCalls = value == JsonToken.VALUE_NULL ? null : JSON.readTree(p);
                default -> { }
            }
            p.skipChildren();
        }
        return new Delta(content, reasoningContent, reasoning, toolCalls);
    }

    private static String text(JsonParser p, JsonToken value) throws IOException {
        return switch (value) {
            case VALUE_STRING -> p.getText();
            case VALUE_NULL -> "";
            default -> null;
        };
    }

    private static ModelDelta.Usage usage(JsonParser p) throws IOException {
        long prompt = 0;
        long completion = 0;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            p.nextToken();
            switch (name) {
                case "prompt_tokens" -> prompt = count(p);
                case "completion_tokens" -> completion = count(p);
                default -> { }
            }
            p.skipChildren();
        }
        return new ModelDelta.Usage(prompt, completion);
    }

    /** A count as {@code JsonNode.asLong()} reads one: a number cut to a long, a numeric string, true as 1, else 0. */
    private static long count(JsonParser p) throws IOException {
        return p.currentToken().isNumeric() ? p.getNumberValue().longValue() : p.getValueAsLong();
    }
}
