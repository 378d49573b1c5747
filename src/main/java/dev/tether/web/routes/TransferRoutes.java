package dev.tether.web.routes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tether.config.TetherConfig;
import dev.tether.session.HermesSession;
import dev.tether.session.ImportOutcome;
import dev.tether.session.Message;
import dev.tether.session.Session;
import dev.tether.session.SessionImport;
import dev.tether.session.SessionLifecycle;
import dev.tether.session.SessionReads;
import dev.tether.session.TimeOrderedId;
import dev.tether.web.ApiError;
import dev.tether.web.BodyReader;
import dev.tether.web.Principal;
import dev.tether.web.Quota;
import dev.tether.web.RequestLimits;
import dev.tether.web.Requests;
import dev.tether.web.dto.SessionView;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Export of a session as Markdown or JSON, and import of a JSON export (Tether's or hermes-webui's). */
record TransferRoutes(SessionReads store, SessionLifecycle lifecycle, ModelChoice models, BodyReader files,
                      ObjectMapper json, RequestLimits limits, TetherConfig.Limits config, Quota quota) {
    static final String FORMAT = "tether-session";
    static final int MAX_MESSAGES = 20_000;
    /** The token counts a reply's usage may hold (the providers' two spellings), kept through export and import. */
    static final List<String> USAGE_COUNTS = List.of("input_tokens", "output_tokens", "prompt_tokens",
            "completion_tokens", "total_tokens");

    void export(Context ctx) {
        Principal who = Requests.principal(ctx);
        Session s = store.findSession(who.owner(), Requests.query(ctx, "session_id"))
                .orElseThrow(SessionRoutes::notFound);
        List<Message> messages = store.messages(who.owner(), s.id(), MAX_MESSAGES, null);
        String format = ctx.queryParam("format") == null ? "json" : ctx.queryParam("format");
        switch (format) {
            case "md" -> download(ctx, s, "md", "text/markdown; charset=utf-8", SessionMarkdown.render(s, messages));
            case "json" -> download(ctx, s, "json", "application/json", exportJson(s, messages).toPrettyString());
            default -> throw new ApiError(400, "bad_parameter", "format must be md or json.");
        }
    }

    /** A file download named after the session's title (letters, digits, {@code ._-} only). */
    private static void download(Context ctx, Session s, String extension, String contentType, String body) {
        String base = "tether-" + s.title().replaceAll("[^A-Za-z0-9._-]+", "-").replaceAll("^-|-$", "");
        ctx.header("Content-Disposition", "attachment; filename=\"" + base + "." + extension + "\"");
        ctx.contentType(contentType).result(body);
    }

    private JsonNode usage(String usageJson) {
        try {
            return json.readTree(usageJson);
        } catch (java.io.IOException e) {
            return json.nullNode(); // a stored usage is always JSON; this only keeps a bad row from failing the export
        }
    }

    private ObjectNode exportJson(Session s, List<Message> messages) {
        ObjectNode root = json.createObjectNode().put("format", FORMAT).put("version", 1);
        root.set("session", json.valueToTree(SessionView.of(s)));
        ArrayNode list = root.putArray("messages");
        for (Message m : messages) {
            ObjectNode n = list.addObject().put("role", m.role()).put("content", m.content());
            n.put("reasoning", m.reasoning()).put("status", m.mark() == null ? null : m.mark().wire());
            n.put("error", m.error()).put("hint", m.hint()).put("created_at", m.createdAt().toString());
            if (m.usageJson() != null) {
                n.set("usage", usage(m.usageJson()));
            }
        }
        return root;
    }

    /**
     * An import obeys what a send does: the imports-per-minute budget is taken before the body is
     * read, every text of every message is held to the message length, and the whole must fit the
     * quota. The body itself is bounded by the upload size.
     */
    void importSession(Context ctx) {
        Principal who = Requests.principal(ctx);
        limits.take("import", who.owner(), config.importsPerMinute());
        JsonNode root = files.read(ctx).root();
        SessionImport file;
        String model;
        if (HermesSession.looksLikeOne(root)) {
            HermesSession hermes = hermes(root);
            file = hermes.file();
            model = models.knownOrDefault(hermes.model());
        } else {
            JsonNode meta = root.path("format").asText().equals(FORMAT) ? root.path("session") : root;
            model = models.knownOrDefault(textOrNull(meta.path("model")));
            file = new SessionImport(textOrNull(meta.path("title")), meta.path("archived").asBoolean(false),
                    entries(root.path("messages")));
        }
        quota.check(who.owner(), checkedBytes(file));
        switch (lifecycle.importSession(who.owner(), TimeOrderedId.next(), file, model)) {
            case ImportOutcome.Imported i -> ctx.json(Map.of("session", SessionView.of(i.session())));
            case ImportOutcome.Refused r -> throw new ApiError(400, "bad_import", r.reason());
        }
    }

    /** A hermes-webui session file: its tool calls kept as text, tool results and other fields left out. */
    private static HermesSession hermes(JsonNode root) {
        if (root.path("messages").size() > MAX_MESSAGES) {
            throw new ApiError(413, "import_too_large", "At most " + MAX_MESSAGES + " messages can be imported.");
        }
        try {
            return HermesSession.read(root);
        } catch (HermesSession.Malformed e) {
            throw new ApiError(400, "bad_import", "This hermes-webui session cannot be imported: " + e.getMessage() + ".");
        }
    }

    private static List<SessionImport.Entry> entries(JsonNode list) {
        if (!list.isArray()) {
            throw new ApiError(400, "bad_import", "This file is not a chat export: it has no 'messages' list."
                    + " Import a .json file exported from Tether, or a list of {role, content} messages.");
        }
        if (list.size() > MAX_MESSAGES) {
            throw new ApiError(413, "import_too_large", "At most " + MAX_MESSAGES + " messages can be imported.");
        }
        List<SessionImport.Entry> out = new ArrayList<>(list.size());
        for (JsonNode m : list) {
            out.add(new SessionImport.Entry(m.path("role").asText(""), text(m.path("content")),
                    textOrNull(m.path("reasoning")), m.path("status").asText(""), textOrNull(m.path("error")),
                    textOrNull(m.path("hint")), usageJson(m.path("usage"))));
        }
        return out;
    }

    /** The token counts of an exported reply, and nothing else the file may have put there; null if none. */
    private static String usageJson(JsonNode usage) {
        ObjectNode kept = JsonNodeFactory.instance.objectNode();
        for (String name : USAGE_COUNTS) {
            if (usage.path(name).canConvertToLong() && usage.path(name).isIntegralNumber()) {
                kept.put(name, usage.path(name).asLong());
            }
        }
        return kept.isEmpty() ? null : kept.toString();
    }

    /** What the entries' texts take as UTF-8; a 413 if any text is longer than a message may be. */
    private long checkedBytes(SessionImport file) {
        int i = file.firstTooLong(config.maxMessageChars());
        if (i >= 0) {
            throw new ApiError(413, "message_too_large", "Message " + (i + 1) + " of the file is longer than "
                    + config.maxMessageChars() + " characters.", Map.of("message_index", i));
        }
        return file.textBytes();
    }

    private static String textOrNull(JsonNode n) {
        return n.isTextual() ? n.asText() : null;
    }

    /** Content as a string, or OpenAI-style content parts joined by their text; null for anything else. */
    private static String text(JsonNode content) {
        if (content.isTextual()) {
            return content.asText();
        }
        if (content.isArray()) {
            StringBuilder sb = new StringBuilder();
            content.forEach(part -> sb.append(part.path("text").asText("")));
            return sb.toString();
        }
        return null;
    }
}
