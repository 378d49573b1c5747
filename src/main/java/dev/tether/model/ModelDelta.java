package dev.tether.model;

/** One piece of a streamed reply. Deltas carry increments, never the whole reply so far. */
public sealed interface ModelDelta {

    record Text(String text) implements ModelDelta {}

    record Reasoning(String text) implements ModelDelta {}

    /** A complete tool call as announced by the provider (arguments as a JSON string). */
    record ToolCall(String id, String name, String arguments) implements ModelDelta {}

    record ToolResult(String id, String name, String result, boolean isError, long durationMs)
            implements ModelDelta {}

    record Usage(long inputTokens, long outputTokens) implements ModelDelta {}
}
