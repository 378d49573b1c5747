package dev.tether.session;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A hermes-webui session file (one JSON object per conversation, as its {@code Session.save} writes
 * it: {@code session_id}, {@code title}, {@code model}, {@code messages}, {@code created_at},
 * {@code updated_at}, {@code pinned}, {@code archived} and fields of its own) read as a
 * {@link SessionImport}, with its times (unix seconds) and each message's {@code timestamp}. User and assistant messages become the transcript; content given as a
 * list of parts keeps its text parts; an assistant's tool calls are kept as text lines at the end
 * of its message; tool results and system messages are left out and counted. Tether keeps no
 * per-message metadata, so every other field is left out too and counted by name, for the report.
 */
public record HermesSession(SessionImport file, String model, Skipped skipped) {

    /** The fields this reader uses; anything else in a file is counted as skipped. */
    private static final Set<String> SESSION_FIELDS = Set.of("session_id", "title", "model", "messages", "archived",
            "created_at", "updated_at");
    /** The year 9999: beyond it a number is not a time a file could honestly hold. */
    private static final double MAX_SECONDS = 253_402_300_799d;
    private static final Set<String> MESSAGE_FIELDS = Set.of("role", "content", "reasoning", "tool_calls", "timestamp");

    /** What a file held that Tether does not keep: message counts by kind, and field names with how often. */
    public record Skipped(int toolResults, int systemMessages, int otherRoles, int nonTextParts,
                          Map<String, Integer> fields) {
        public Skipped {
            fields = Map.copyOf(fields);
        }
    }

    /** The file is not a hermes-webui session; the message is one line that says why. */
    public static final class Malformed extends IllegalArgumentException {
        public Malformed(String message) {
            super(message);
        }
    }

    /** True when {@code root} looks like a hermes-webui session rather than Tether's own export. */
    public static boolean looksLikeOne(JsonNode root) {
        return root.isObject() && root.has("session_id") && root.has("messages") && !root.has("format");
    }

    /** @throws Malformed the file is not a session this can read: nothing of it may be imported */
    public static HermesSession read(JsonNode root) {
        if (!root.isObject()) {
            throw new Malformed("not a hermes-webui session: the file is not a JSON object");
        }
        JsonNode messages = root.path("messages");
        if (!messages.isArray()) {
            throw new Malformed("not a hermes-webui session: it has no 'messages' list");
        }
        Map<String, Integer> fields = new TreeMap<>();
        root.fieldNames().forEachRemaining(f -> {
            if (!SESSION_FIELDS.contains(f)) {
                fields.merge(f, 1, Integer::sum);
            }
        });
        int toolResults = 0;
        int system = 0;
        int other = 0;
        int[] nonText = {0};
        List<SessionImport.Entry> entries = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            JsonNode m = messages.get(i);
            String where = "message " + (i + 1);
            if (!m.isObject()) {
                throw new Malformed(where + " is not a JSON object");
            }
            if (!m.path("role").isTextual()) {
                throw new Malformed(where + " has no 'role'");
            }
            String role = m.path("role").asText();
            switch (role) {
                case Message.USER, Message.ASSISTANT -> {
                    m.fieldNames().forEachRemaining(f -> {
                        if (!MESSAGE_FIELDS.contains(f)) {
                            fields.merge("messages[]." + f, 1, Integer::sum);
                        }
                    });
                    String text = text(m.path("content"), where, nonText);
                    String calls = toolCalls(m.path("tool_calls"), where);
                    if (text == null && calls.isEmpty()) {
                        throw new Malformed(where + " (" + role + ") has no content");
                    }
                    String content = text == null ? calls.strip() : text + calls;
                    String reasoning = m.path("reasoning").isTextual() ? m.path("reasoning").asText() : null;
                    entries.add(new SessionImport.Entry(role, content, reasoning, "", null, null, null,
                            unixSeconds(m.path("timestamp"))));
                }
                case "tool" -> toolResults++;
                case "system" -> system++;
                default -> other++;
            }
        }
        String title = root.path("title").isTextual() ? root.path("title").asText() : null;
        String model = root.path("model").isTextual() ? root.path("model").asText() : null;
        SessionImport file = new SessionImport(title, root.path("archived").asBoolean(false), entries,
                unixSeconds(root.path("created_at")), unixSeconds(root.path("updated_at")));
        return new HermesSession(file, model,
                new Skipped(toolResults, system, other, nonText[0], fields));
    }

    /** Unix seconds (hermes-webui writes {@code time.time()}, a float) as an instant; null when not a sane one. */
    private static Instant unixSeconds(JsonNode n) {
        if (!n.isNumber()) {
            return null;
        }
        double seconds = n.asDouble();
        if (!Double.isFinite(seconds) || seconds <= 0 || seconds > MAX_SECONDS) {
            return null;
        }
        return Instant.ofEpochMilli(Math.round(seconds * 1000));
    }

    /** A string, or the text parts of a list of parts joined (other parts counted); null when absent. */
    private static String text(JsonNode content, String where, int[] nonText) {
        if (content.isMissingNode() || content.isNull()) {
            return null;
        }
        if (content.isTextual()) {
            return content.asText();
        }
        if (!content.isArray()) {
            throw new Malformed(where + "'s content is neither text nor a list of parts");
        }
        StringBuilder sb = new StringBuilder();
        for (JsonNode part : content) {
            if (part.isTextual()) {
                sb.append(part.asText());
            } else if (part.path("text").isTextual()) {
                sb.append(part.path("text").asText());
            } else {
                nonText[0]++; // an image, a file or audio: Tether's transcript holds text only
            }
        }
        return sb.toString();
    }

    /** Each call as a line {@code [tool call] name(arguments)} after a blank line; empty when none. */
    private static String toolCalls(JsonNode calls, String where) {
        if (calls.isMissingNode() || calls.isNull()) {
            return "";
        }
        if (!calls.isArray()) {
            throw new Malformed(where + "'s tool_calls is not a list");
        }
        StringBuilder sb = new StringBuilder();
        for (JsonNode call : calls) {
            JsonNode function = call.path("function");
            String name = function.path("name").asText(call.path("name").asText("tool"));
            JsonNode args = function.has("arguments") ? function.path("arguments") : call.path("arguments");
            String shown = args.isTextual() ? args.asText() : args.isMissingNode() ? "" : args.toString();
            sb.append(sb.isEmpty() ? "\n\n" : "\n").append("[tool call] ").append(name).append('(').append(shown).append(')');
        }
        return sb.toString();
    }
}
