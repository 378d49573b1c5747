package dev.tether.model;

import java.util.ArrayList;
import java.util.List;

/**
 * The whole conversation so far, oldest first, plus the model id to answer with and the tools the
 * model may call (none: a plain chat).
 */
public record ModelRequest(String model, List<ChatMessage> messages, List<ToolDefinition> tools) {

    public ModelRequest {
        messages = List.copyOf(messages);
        tools = tools == null ? List.of() : List.copyOf(tools);
    }

    public ModelRequest(String model, List<ChatMessage> messages) {
        this(model, messages, List.of());
    }

    /** This request offering {@code offered} to the model. */
    public ModelRequest withTools(List<ToolDefinition> offered) {
        return new ModelRequest(model, messages, offered);
    }

    /** This conversation continued by {@code more} (a tool step: the assistant's calls, then their results). */
    public ModelRequest followedBy(List<ChatMessage> more) {
        List<ChatMessage> all = new ArrayList<>(messages);
        all.addAll(more);
        return new ModelRequest(model, all, tools);
    }

    /**
     * One message of the history; role is {@code system}, {@code user}, {@code assistant} or
     * {@code tool}. An assistant message may carry the tool calls it made; a tool message answers
     * the call {@code toolCallId}.
     */
    public record ChatMessage(String role, String content, List<ModelDelta.ToolCall> toolCalls, String toolCallId) {
        public ChatMessage {
            content = content == null ? "" : content;
            toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
        }

        public ChatMessage(String role, String content) {
            this(role, content, List.of(), null);
        }

        public static ChatMessage toolResult(String toolCallId, String content) {
            return new ChatMessage("tool", content, List.of(), toolCallId);
        }
    }

    /** A tool offered to the model: its function name, what it does, and its JSON Schema (JSON text). */
    public record ToolDefinition(String name, String description, String parametersJson) {}
}
