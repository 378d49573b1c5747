package dev.tether.web.routes;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tether.session.Message;
import dev.tether.session.QueuedMessage;
import dev.tether.session.Session;
import dev.tether.session.SessionPatch;
import dev.tether.session.TimeOrderedId;
import dev.tether.session.Turn;
import dev.tether.web.ApiError;
import dev.tether.web.JsonBody;
import dev.tether.web.Principal;
import dev.tether.web.Requests;
import dev.tether.web.dto.MessageView;
import dev.tether.web.dto.QueuedView;
import dev.tether.web.dto.SessionView;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Sessions: create, read, list, update, rename, delete. */
public final class SessionRoutes {
    private final Api api;

    public SessionRoutes(Api api) {
        this.api = api;
    }

    public void register(RoutesConfig r) {
        r.post("/api/session/new", this::create);
        r.get("/api/session", this::read);
        r.get("/api/sessions", this::list);
        r.post("/api/session/update", this::update);
        r.post("/api/session/rename", this::rename);
        r.post("/api/session/delete", this::delete);
    }

    private void create(Context ctx) {
        Principal who = Requests.principal(ctx);
        JsonBody body = body(ctx);
        String title = title(body.optString("title"), Session.DEFAULT_TITLE);
        String model = ChatRoutes.model(api, body.optString("model"), null);
        Session s = api.lifecycle().create(who.owner(), TimeOrderedId.next(), title, model);
        ctx.json(Map.of("session", SessionView.of(s)));
    }

    private void read(Context ctx) {
        Principal who = Requests.principal(ctx);
        Session s = session(who, Requests.query(ctx, "session_id"));
        List<MessageView> messages = null;
        if (Requests.queryFlag(ctx, "messages")) {
            int limit = Requests.queryInt(ctx, "msg_limit", 10_000, 1, 10_000);
            String before = ctx.queryParam("msg_before");
            Integer beforeIndex = before == null ? null : Requests.queryInt(ctx, "msg_before", 0, 0, Integer.MAX_VALUE);
            messages = api.store().messages(who.owner(), s.id(), limit, beforeIndex).stream()
                    .map(m -> MessageView.of(m, usage(m), attachments(who, m))).toList();
        }
        List<QueuedMessage> queued = api.store().queued(who.owner(), s.id());
        List<QueuedView> queuedViews = new ArrayList<>();
        for (int i = 0; i < queued.size(); i++) {
            queuedViews.add(QueuedView.of(queued.get(i), i + 1));
        }
        Turn active = s.activeTurn() == null ? null : api.store().findTurn(who.owner(), s.activeTurn()).orElse(null);
        String pending = active == null ? null : api.store().messages(who.owner(), s.id(), 1, active.userMessageIndex() + 1)
                .stream().findFirst().map(Message::content).orElse(null);
        ctx.json(Map.of("session", SessionView.of(s, pending, active == null ? null : active.startedAt(),
                queuedViews, messages)));
    }

    private void list(Context ctx) {
        Principal who = Requests.principal(ctx);
        List<SessionView> sessions = api.store().listSessions(who.owner(), Requests.queryFlag(ctx, "include_archived"),
                ctx.queryParam("q")).stream().map(SessionView::of).toList();
        ctx.json(Map.of("sessions", sessions));
    }

    private void update(Context ctx) {
        Principal who = Requests.principal(ctx);
        JsonBody body = body(ctx);
        String id = body.string("session_id");
        String title = body.optString("title") == null ? null : title(body.optString("title"), null);
        String model = body.optString("model") == null ? null : ChatRoutes.model(api, body.optString("model"), null);
        SessionPatch patch = new SessionPatch(title, body.optBool("pinned"), body.optBool("archived"), model);
        Session s = api.lifecycle().update(who.owner(), id, patch).orElseThrow(SessionRoutes::notFound);
        ctx.json(Map.of("session", SessionView.of(s)));
    }

    private void rename(Context ctx) {
        Principal who = Requests.principal(ctx);
        JsonBody body = body(ctx);
        String id = body.string("session_id");
        String title = title(body.string("title"), null);
        Session s = api.lifecycle().update(who.owner(), id, new SessionPatch(title, null, null, null))
                .orElseThrow(SessionRoutes::notFound);
        ctx.json(Map.of("session", SessionView.of(s)));
    }

    private void delete(Context ctx) {
        Principal who = Requests.principal(ctx);
        String id = body(ctx).string("session_id");
        if (!api.ends().deleteSession(who.owner(), id)) {
            throw notFound();
        }
        ctx.json(Map.of("ok", true));
    }

    private JsonBody body(Context ctx) {
        return Requests.json(ctx, api.json(), api.config().limits().maxBodyBytes());
    }

    Session session(Principal who, String id) {
        return api.store().findSession(who.owner(), id).orElseThrow(SessionRoutes::notFound);
    }

    private List<dev.tether.web.dto.AttachmentView> attachments(Principal who, Message m) {
        return m.attachments().isEmpty() ? List.of() : api.attachments().findAll(who.owner(), m.attachments())
                .stream().map(dev.tether.web.dto.AttachmentView::of).toList();
    }

    private JsonNode usage(Message m) {
        try {
            return m.usageJson() == null ? null : api.json().readTree(m.usageJson());
        } catch (java.io.IOException e) {
            return null;
        }
    }

    static String title(String raw, String fallback) {
        if (raw == null || raw.isBlank()) {
            if (fallback == null) {
                throw new ApiError(400, "empty_title", "The title must not be empty.");
            }
            return fallback;
        }
        String t = raw.strip();
        if (t.length() > Session.MAX_TITLE) {
            throw new ApiError(400, "title_too_long", "The title must be at most " + Session.MAX_TITLE + " characters.");
        }
        return t;
    }

    static ApiError notFound() {
        return ApiError.notFound("session_not_found", "No such session.");
    }
}
