package dev.tether.tool;

/** What a tool call came to: its text for the model (maybe truncated), whether it failed, how long it took. */
public record ToolOutcome(String text, boolean isError, long durationMs) {

    static ToolOutcome error(String text, long durationMs) {
        return new ToolOutcome(text, true, durationMs);
    }
}
