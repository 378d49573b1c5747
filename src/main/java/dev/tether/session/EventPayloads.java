package dev.tether.session;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The JSON payloads of {@link TurnEvent}s, as API.md names them. They belong to the domain, not to
 * the web: the journal stores each event as this JSON (the durable record of a turn, read back by
 * recovery through {@link #textOf}), and a stream sends the stored bytes as they are, so an event is
 * serialised once, when the turn logs it. Pure; safe from any thread.
 */
public final class EventPayloads {
    /**
     * Buffers come from one shared pool, not one per thread: Jackson's default keeps them in a
     * ThreadLocal, which with a virtual thread per connection meant ~8 KiB held by every idle
     * subscriber and fresh buffers for every request (docs/performance.md).
     */
    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .recyclerPool(JsonRecyclerPools.sharedConcurrentDequePool()).build());
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private EventPayloads() {}

    /**
     * {@code {"text": ...}} of a {@code token} or {@code reasoning} event, written by hand: it runs
     * once per token, where a tree and a writer showed up in the benchmark's profile
     * (docs/performance.md). Escapes exactly as Jackson does.
     */
    public static String text(String text) {
        StringBuilder sb = new StringBuilder(text.length() + 16).append("{\"text\":\"");
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20) {
                        sb.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append("\"}").toString();
    }

    public static String tool(String id, String name, String args) {
        return JSON.createObjectNode().put("id", id).put("name", name).put("args", args).toString();
    }

    /** A tool call the turn runs; {@code server} is left out when no server has the tool. */
    public static String tool(String id, String name, String args, String server) {
        ObjectNode n = JSON.createObjectNode().put("id", id).put("name", name).put("args", args);
        if (server != null) {
            n.put("server", server);
        }
        return n.toString();
    }

    public static String toolComplete(String id, String name, String result, boolean isError, long durationMs) {
        return JSON.createObjectNode().put("id", id).put("name", name).put("result", result)
                .put("is_error", isError).put("duration_ms", durationMs).toString();
    }

    public static String usage(long in, long out) {
        return JSON.createObjectNode().put("input_tokens", in).put("output_tokens", out)
                .put("total_tokens", in + out).toString();
    }

    /**
     * The input and output tokens a usage payload ({@link #usage}) counts; zeros for null or for
     * anything else (a provider's usage is counted as reported, and a malformed one as nothing).
     */
    public static long[] tokensOf(String usageJson) {
        if (usageJson == null) {
            return new long[] {0, 0};
        }
        try {
            JsonNode n = JSON.readTree(usageJson);
            return new long[] {Math.max(0, n.path("input_tokens").asLong(0)), Math.max(0, n.path("output_tokens").asLong(0))};
        } catch (JsonProcessingException e) {
            return new long[] {0, 0};
        }
    }

    /** A session as closing events and the session channels show it. */
    public static ObjectNode sessionSummary(Session s) {
        ObjectNode n = JSON.createObjectNode();
        n.put("session_id", s.id()).put("title", s.title()).put("message_count", s.messageCount())
                .put("model", s.model()).put("is_streaming", s.isStreaming());
        n.put("active_stream_id", s.activeTurn());
        return n;
    }

    /** {@code done} then the {@code stream_end} fence. */
    public static TurnEnding.ClosingEvents done(String usageJson) {
        return session -> {
            ObjectNode done = JSON.createObjectNode();
            done.set("session", sessionSummary(session));
            done.set("usage", usageJson == null ? JSON.createObjectNode() : parse(usageJson));
            return List.of(new TurnEnding.Draft("done", done.toString()),
                    new TurnEnding.Draft("stream_end", JSON.createObjectNode().put("session_id", session.id()).toString()));
        };
    }

    public static TurnEnding.ClosingEvents cancel() {
        return session -> {
            ObjectNode n = JSON.createObjectNode().put("message", "Stopped by the user.");
            n.set("session", sessionSummary(session));
            return List.of(new TurnEnding.Draft("cancel", n.toString()));
        };
    }

    /** {@code apperror}; {@code recoveryControl} (nullable) tells the UI what to offer, e.g. "retry". */
    public static TurnEnding.ClosingEvents appError(String message, String type, String hint, String recoveryControl) {
        return session -> {
            ObjectNode n = JSON.createObjectNode().put("message", message).put("type", type);
            if (hint != null) {
                n.put("hint", hint);
            }
            if (recoveryControl != null) {
                n.put("recovery_control", recoveryControl);
            }
            n.put("session_id", session.id());
            return List.of(new TurnEnding.Draft("apperror", n.toString()));
        };
    }

    /** {@code node} as one-line JSON, with the shared buffer pool ({@code toString()} uses per-thread ones). */
    public static String write(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serializes", e);
        }
    }

    /** The {@code text} of a token or reasoning event. */
    public static String textOf(TurnEvent e) {
        return parse(e.json()).path("text").asText("");
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + json, e);
        }
    }
}
