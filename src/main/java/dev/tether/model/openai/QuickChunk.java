package dev.tether.model.openai;

import dev.tether.model.ModelDelta;

/**
 * Reads the chunk almost every token arrives in ({@code choices[0].delta.content}, maybe a
 * {@code finish_reason} or {@code usage}) without a tree: a tree per token was the largest cost of
 * relaying one in the benchmark (docs/performance.md). It reads by hand with a {@link JsonCursor}
 * rather than a Jackson streaming parser because creating that parser per chunk (buffer-pool and
 * symbol-table work) was most of the cost: 509 → 237 ns and 856 → 120 bytes per typical chunk.
 *
 * <p>Anything else (a tool call, an error, a second choice, a field of an unexpected type, nesting
 * deeper than {@link JsonCursor#MAX_DEPTH}, malformed JSON) answers null, and {@link ChunkDecoder}
 * reads the chunk the full way, faults included; so when in doubt this answers null, never a guess.
 * Unknown fields may hold any JSON value and are skipped. A repeated key counts once, the last
 * time, as in the Jackson tree the full reading builds; a tool call or an error anywhere answers null.
 *
 * <p>Threading: stateless; safe from any thread.
 */
final class QuickChunk {
    private static final ChunkDecoder.Plain NO_CHOICE = new ChunkDecoder.Plain(false, "", "", "", false, null);
    private static final ChunkDecoder.Plain EMPTY_CHOICE = new ChunkDecoder.Plain(true, "", "", "", false, null);

    private QuickChunk() {}

    /** The chunk in plain form, or null when it needs the full reading. */
    static ChunkDecoder.Plain read(String data) {
        JsonCursor json = new JsonCursor(data);
        ChunkDecoder.Plain choice = NO_CHOICE;
        ModelDelta.Usage usage = null;
        json.openObject();
        while (json.nextMember()) {
            if (json.keyIs("choices")) {
                choice = choices(json);
            } else if (json.keyIs("usage")) {
                usage = json.isNull() ? null : usage(json);
            } else if (json.keyIs("error")) {
                if (!json.isNull()) {
                    json.giveUp(); // the full reading raises it
                }
            } else {
                json.skipValue();
            }
        }
        if (!json.atEnd()) {
            return null;
        }
        return usage == null ? choice : new ChunkDecoder.Plain(choice.hasChoice(), choice.content(),
                choice.reasoningContent(), choice.reasoning(), choice.finish(), usage);
    }

    private static ChunkDecoder.Plain choices(JsonCursor json) {
        json.openArray();
        if (!json.nextElement()) {
            return NO_CHOICE;
        }
        ChunkDecoder.Plain choice = choice(json);
        if (json.nextElement()) {
            json.giveUp(); // a second choice
        }
        return choice;
    }

    private static ChunkDecoder.Plain choice(JsonCursor json) {
        ChunkDecoder.Plain delta = EMPTY_CHOICE;
        boolean finish = false;
        json.openObject();
        while (json.nextMember()) {
            if (json.keyIs("delta")) {
                delta = delta(json);
            } else if (json.keyIs("finish_reason")) {
                finish = !json.isNull();
                if (finish) {
                    json.skipValue(); // any reason ends the choice, as in the full reading
                }
            } else {
                json.skipValue();
            }
        }
        return finish ? new ChunkDecoder.Plain(true, delta.content(), delta.reasoningContent(), delta.reasoning(),
                true, null) : delta;
    }

    private static ChunkDecoder.Plain delta(JsonCursor json) {
        String content = "";
        String reasoningContent = "";
        String reasoning = "";
        json.openObject();
        while (json.nextMember()) {
            if (json.keyIs("content")) {
                content = text(json);
            } else if (json.keyIs("reasoning_content")) {
                reasoningContent = text(json);
            } else if (json.keyIs("reasoning")) {
                reasoning = text(json);
            } else if (json.keyIs("tool_calls")) {
                json.giveUp();
            } else {
                json.skipValue();
            }
        }
        return new ChunkDecoder.Plain(true, content, reasoningContent, reasoning, false, null);
    }

    /** A string, or "" for null as in the full reading. */
    private static String text(JsonCursor json) {
        return json.isNull() ? "" : json.string();
    }

    private static ModelDelta.Usage usage(JsonCursor json) {
        long prompt = 0;
        long completion = 0;
        json.openObject();
        while (json.nextMember()) {
            if (json.keyIs("prompt_tokens")) {
                prompt = json.integer();
            } else if (json.keyIs("completion_tokens")) {
                completion = json.integer();
            } else {
                json.skipValue();
            }
        }
        return new ModelDelta.Usage(prompt, completion);
    }
}
