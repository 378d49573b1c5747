package dev.tether.model.openai;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import dev.tether.model.ModelDelta;
import java.io.IOException;

/**
 * Reads the chunk almost every token arrives in ({@code choices[0].delta.content}, maybe a
 * {@code finish_reason} or {@code usage}) with a streaming parser instead of a tree: a tree per
 * token was the largest cost of relaying one in the benchmark (docs/performance.md). Anything
 * else (a tool call, an error, a second choice, a field of an unexpected type, malformed JSON)
 * answers null, and {@link ChunkDecoder} reads the chunk the full way, faults included.
 *
 * <p>Threading: stateless; safe from any thread.
 */
final class QuickChunk {
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .recyclerPool(JsonRecyclerPools.sharedConcurrentDequePool()).build();

    private QuickChunk() {}

    /** The chunk in plain form, or null when it needs the full reading. */
    static ChunkDecoder.Plain read(String data) {
        try (JsonParser p = FACTORY.createParser(data)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            Reading r = new Reading();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                boolean ok = switch (field) {
                    case "choices" -> r.choices(p, value);
                    case "usage" -> r.usage(p, value);
                    case "error" -> value == JsonToken.VALUE_NULL;
                    default -> skip(p);
                };
                if (!ok) {
                    return null;
                }
            }
            return new ChunkDecoder.Plain(r.hasChoice, r.content, r.reasoningContent, r.reasoning, r.finish, r.usage);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static boolean skip(JsonParser p) throws IOException {
        p.skipChildren();
        return true;
    }

    /** What one chunk said so far. */
    private static final class Reading {
        boolean hasChoice;
        String content = "";
        String reasoningContent = "";
        String reasoning = "";
        boolean finish;
        ModelDelta.Usage usage;

        boolean choices(JsonParser p, JsonToken value) throws IOException {
            if (value != JsonToken.START_ARRAY) {
                return false;
            }
            JsonToken first = p.nextToken();
            if (first == JsonToken.END_ARRAY) {
                return true;
            }
            if (first != JsonToken.START_OBJECT || !choice(p)) {
                return false;
            }
            hasChoice = true;
            return p.nextToken() == JsonToken.END_ARRAY; // a second choice: the full reading
        }

        private boolean choice(JsonParser p) throws IOException {
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "delta" -> {
                        if (value != JsonToken.START_OBJECT || !delta(p)) {
                            return false;
                        }
                    }
                    case "finish_reason" -> finish = value != JsonToken.VALUE_NULL;
                    default -> p.skipChildren();
                }
            }
            return true;
        }

        private boolean delta(JsonParser p) throws IOException {
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "content", "reasoning_content", "reasoning" -> {
                        if (value != JsonToken.VALUE_STRING && value != JsonToken.VALUE_NULL) {
                            return false;
                        }
                        String text = value == JsonToken.VALUE_NULL ? "" : p.getText();
                        switch (field) {
                            case "content" -> content = text;
                            case "reasoning_content" -> reasoningContent = text;
                            default -> reasoning = text;
                        }
                    }
                    case "tool_calls" -> {
                        return false;
                    }
                    default -> p.skipChildren();
                }
            }
            return true;
        }

        boolean usage(JsonParser p, JsonToken value) throws IOException {
            if (value == JsonToken.VALUE_NULL) {
                return true;
            }
            if (value != JsonToken.START_OBJECT) {
                return false;
            }
            long prompt = 0;
            long completion = 0;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken v = p.nextToken();
                if (field.equals("prompt_tokens") || field.equals("completion_tokens")) {
                    if (v != JsonToken.VALUE_NUMBER_INT) {
                        return false;
                    }
                    if (field.equals("prompt_tokens")) {
                        prompt = p.getLongValue();
                    } else {
                        completion = p.getLongValue();
                    }
                } else {
                    p.skipChildren();
                }
            }
            usage = new ModelDelta.Usage(prompt, completion);
            return true;
        }
    }
}
