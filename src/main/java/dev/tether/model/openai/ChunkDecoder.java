package dev.tether.model.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tether.model.ChatModel.DeltaSink;
import dev.tether.model.ModelDelta;
import dev.tether.model.ModelException;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;

/**
 * Decodes the {@code data:} payloads of one chat-completion stream into {@link ModelDelta}s.
 *
 * <p>Text and reasoning go out as they arrive, split so no single delta exceeds
 * {@link #MAX_DELTA_CHARS} (a provider may send one enormous chunk). Tool calls arrive as fragments
 * keyed by {@code index} and go out whole when the choice finishes. Usage may be repeated by some
 * providers, so only the last one is emitted, at the end.
 *
 * <p>Threading: one stream, one thread.
 */
final class ChunkDecoder {

    /** 16,384 UTF-16 units are at most 48 KiB of UTF-8, under the 64 KiB event cap. */
    static final int MAX_DELTA_CHARS = 16_384;

    private final ProviderFaults faults;
    private final Map<Integer, ToolCallParts> toolCalls = new TreeMap<>();
    private ModelDelta.Usage usage;
    private boolean finished;

    ChunkDecoder(ProviderFaults faults) {
        this.faults = faults;
    }

    /** Decodes one chunk; returns true when it carried reply content (text, reasoning or a tool call). */
    boolean decode(String data, DeltaSink sink) throws ModelException {
        Chunk chunk = read(data);
        if (chunk.isError()) {
            throw faults.inStreamError(data);
        }
        if (chunk.usage() != null) {
            usage = chunk.usage();
        }
        Chunk.Choice choice = chunk.choice();
        if (choice == null) {
            return false;
        }
        boolean content = decodeDelta(choice.delta(), data, sink);
        if (choice.isFinish()) {
            finished = true;
            flushToolCalls(sink);
        }
        return content;
    }

    /** True once a choice reported its {@code finish_reason}. */
    boolean isFinished() {
        return finished;
    }

    /** Emits what waits for the end of the stream: unfinished tool calls, then usage. */
    void finish(DeltaSink sink) {
        flushToolCalls(sink);
        if (usage != null) {
            sink.accept(usage);
            usage = null;
        }
    }

    private Chunk read(String data) throws ModelException {
        Chunk chunk;
        try {
            chunk = Chunk.read(data);
        } catch (IOException e) {
            throw faults.badResponse("a stream chunk is not valid JSON: " + preview(data), e);
        }
        if (chunk == null) {
            throw faults.badResponse("a stream chunk is not one JSON object: " + preview(data), null);
        }
        return chunk;
    }

    private boolean decodeDelta(Chunk.Delta delta, String data, DeltaSink sink) throws ModelException {
        // DeepSeek and vLLM say reasoning_content, Ollama and OpenRouter say reasoning; a server
        // that sends both sends the same text twice, so the second is not even checked.
        String reasoning = text(delta.reasoningContent(), "reasoning_content", data);
        if (reasoning.isEmpty()) {
            reasoning = text(delta.reasoning(), "reasoning", data);
        }
        String text = text(delta.content(), "content", data);
        JsonNode calls = delta.toolCalls();
        if (calls != null && !calls.isArray()) {
            throw faults.badResponse("delta.tool_calls is not an array: " + preview(data), null);
        }
        boolean content = emitSplit(reasoning, sink, true);
        content |= emitSplit(text, sink, false);
        for (int i = 0; calls != null && i < calls.size(); i++) {
            JsonNode call = calls.get(i);
            int index = call.path("index").asInt(i);
            toolCalls.computeIfAbsent(index, k -> new ToolCallParts()).add(call);
            content = true;
        }
        return content;
    }

    /** The text, or a bad response when the chunk had a value of another type there ({@link Chunk.Delta}). */
    private String text(String text, String field, String data) throws ModelException {
        if (text == null) {
            throw faults.badResponse("delta." + field + " is not a string: " + preview(data), null);
        }
        return text;
    }

    private static boolean emitSplit(String text, DeltaSink sink, boolean reasoning) {
        int start = 0;
        while (start < text.length()) {
            int end = Math.min(text.length(), start + MAX_DELTA_CHARS);
            if (end < text.length() && Character.isHighSurrogate(text.charAt(end - 1))) {
                end--; // never split a surrogate pair across two deltas
            }
            String piece = text.substring(start, end);
            sink.accept(reasoning ? new ModelDelta.Reasoning(piece) : new ModelDelta.Text(piece));
            start = end;
        }
        return !text.isEmpty();
    }

    private void flushToolCalls(DeltaSink sink) {
        toolCalls.forEach((index, parts) -> sink.accept(parts.toDelta(index)));
        toolCalls.clear();
    }

    private static String preview(String data) {
        return ProviderFaults.truncate(data.length() > 120 ? data.substring(0, 120) : data);
    }

    /** The fragments of one tool call: id and name come once, arguments in pieces. */
    private static final class ToolCallParts {
        private String id;
        private String name;
        private final StringBuilder arguments = new StringBuilder();

        void add(JsonNode fragment) {
            if (id == null && fragment.hasNonNull("id")) {
                id = fragment.get("id").asText();
            }
            JsonNode function = fragment.path("function");
            // Some servers repeat the name in every fragment; the first one is the name.
            if (name == null && function.hasNonNull("name")) {
                name = function.get("name").asText();
            }
            if (function.hasNonNull("arguments")) {
                JsonNode args = function.get("arguments");
                arguments.append(args.isTextual() ? args.asText() : args.toString());
            }
        }

        ModelDelta.ToolCall toDelta(int index) {
            return new ModelDelta.ToolCall(id != null ? id : "call_" + index,
                    name != null ? name : "unknown", arguments.toString());
        }
    }
}
