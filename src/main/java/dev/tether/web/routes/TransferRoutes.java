package dev.tether.web.routes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tether.session.Message;
import dev.tether.session.Session;
import dev.tether.session.TimeOrderedId;
import dev.tether.web.ApiError;
import dev.tether.web.JsonBody;
import dev.tether.web.Principal;
import dev.tether.web.Requests;
import dev.tether.web.dto.SessionView;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Export of a session as Markdown or JSON, and import of a JSON export (Tether's or hermes-webui's). */
public final class TransferRoutes {
    static final String FORMAT = "tether-session";
    static final int MAX_MESSAGES = 20_000;

    private final Api api;

    public TransferRoutes(Api api) {
        this.api = api;
    }

    public void register(RoutesConfig r) {
        r.get("/api/session/export", this::export);
        r.post("/api/session/import", this::importSession);
    }

    private void export(Context ctx) {
        Principal who = Requests.principal(ctx);
        Session s = api.store().findSession(who.owner(), Requests.query(ctx, "session_id"))
                .orElseThrow(SessionRoutes::notFound);
        List<Message> messages = api.store().messages(who.owner(), s.id(), MAX_MESSAGES, null);
        String format = ctx.queryParam("format") == null ? "json" : ctx.queryParam("format");
        String base = "tether-" + s.title().replaceAll("[^A-Za-z0-9._-]+", "-").replaceAll("^-|-$", "");
        switch (format) {
            case "md" -> {
                ctx.header("Content-Disposition", "attachment; filename=\"" + base + ".md\"");
                ctx.contentType("text/markdown; charset=utf-8").result(SessionMarkdown.render(s, messages));
            }
            case "json" -> {
                ctx.header("Content-Disposition", "attachment; filename=\"" + base + ".json\"");
                ctx.contentType("application/json").result(exportJson(s, messages).toPrettyString());
            }
            default -> throw new ApiError(400, "bad_parameter", "format must be md or json.");
        }
    }

    private ObjectNode exportJson(Session s, List<Message> messages) {
        ObjectNode root = api.json().createObjectNode().put("format", FORMAT).put("version", 1);
        root.set("session", api.json().valueToTree(SessionView.of(s)));
        ArrayNode list = root.putArray("messages");
        for (Message m : messages) {
            ObjectNode n = list.addObject().put("role", m.role()).put("content", m.content());
            n.put("reasoning", m.reasoning()).put("status", m.mark() == null ? null : m.mark().wire());
            n.put("error", m.error()).put("created_at", m.createdAt().toString());
        }
        return root;
    }

    private void importSession(Context ctx) {
        Principal who = Requests.principal(ctx);
        JsonBody body = Requests.json(ctx, api.json(), api.config().limits().maxUploadBytes());
        JsonNode root = body.root();
        JsonNode meta = root.path("format").asText().equals(FORMAT) ? root.path("session") : root;
        JsonNode list = root.path("messages");
        if (!list.isArray()) {
            throw new ApiError(400, "bad_import", "An export has a 'messages' list.");
        }
        if (list.size() > MAX_MESSAGES) {
            throw new ApiError(413, "import_too_large", "At most " + MAX_MESSAGES + " messages can be imported.");
        }
        List<Message> messages = messages(list);
        Instant now = Instant.now();
        String title = meta.path("title").isTextual() && !meta.path("title").asText().isBlank()
                ? SessionRoutes.title(meta.path("title").asText().strip().substring(0,
                        Math.min(SessionRoutes.MAX_TITLE, meta.path("title").asText().strip().length())), null)
                : "Imported chat";
        String model = meta.path("model").isTextual() && api.models().find(meta.path("model").asText()).isPresent()
                ? meta.path("model").asText() : api.models().defaultModel();
        Session s = new Session(TimeOrderedId.next(), who.owner(), title, model,
                meta.path("pinned").asBoolean(false), meta.path("archived").asBoolean(false), now, now,
                messages.isEmpty() ? null : now, null, messages.size(), 0);
        ctx.json(Map.of("session", SessionView.of(api.lifecycle().importSession(s, messages))));
    }

    private static List<Message> messages(JsonNode list) {
        List<Message> out = new ArrayList<>();
        for (JsonNode m : list) {
            String role = m.path("role").asText("");
            if (!role.equals(Message.USER) && !role.equals(Message.ASSISTANT)) {
                continue; // system prompts and tool messages are not part of a Tether transcript
            }
            String content = text(m.path("content"));
            Message.Mark mark = switch (m.path("status").asText("")) {
                case "stopped" -> Message.Mark.STOPPED;
                case "error" -> Message.Mark.ERROR;
                case "interrupted" -> Message.Mark.INTERRUPTED;
                default -> null;
            };
            out.add(new Message(out.size(), role, content, m.path("reasoning").isTextual() ? m.path("reasoning").asText() : null,
                    role.equals(Message.ASSISTANT) ? mark : null, m.path("error").isTextual() ? m.path("error").asText() : null,
                    null, List.of(), null, Instant.now()));
        }
        return out;
    }

    /** Content as a string, or OpenAI-style content parts joined by their text. */
    private static String text(JsonNode content) {
        if (content.isTextual()) {
            return content.asText();
        }
        if (content.isArray()) {
            StringBuilder sb = new StringBuilder();
            content.forEach(part -> sb.append(part.path("text").asText("")));
            return sb.toString();
        }
        throw new ApiError(400, "bad_import", "A message's content must be text.");
    }
}
