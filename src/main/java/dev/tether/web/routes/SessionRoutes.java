package dev.tether.web.routes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tether.session.AttachmentStore;
import dev.tether.session.Message;
import dev.tether.session.SearchTooSlow;
import dev.tether.session.QueuedMessage;
import dev.tether.session.Session;
import dev.tether.session.SessionLifecycle;
import dev.tether.session.SessionPatch;
import dev.tether.session.SessionReads;
import dev.tether.session.TimeOrderedId;
import dev.tether.session.Turn;
import dev.tether.turn.TurnEnds;
import dev.tether.web.ApiError;
import dev.tether.web.BodyReader;
import dev.tether.web.JsonBody;
import dev.tether.web.Principal;
import dev.tether.web.Requests;
import dev.tether.web.SearchPermits;
import dev.tether.web.dto.AttachmentView;
import dev.tether.web.dto.MessageView;
import dev.tether.web.dto.QueuedView;
import dev.tether.web.dto.SessionView;
import io.javalin.http.Context;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Sessions: create, read, list, update, rename, delete. Deleting ends a running turn, so it goes through the door. */
record SessionRoutes(SessionReads store, SessionLifecycle lifecycle, TurnEnds ends, AttachmentStore attachments,
                     ModelChoice models, BodyReader bodies, ObjectMapper json, SearchPermits searches,
                     Duration searchLimit, ToolChoice tools) {

    void create(Context ctx) {
        Principal who = Requests.principal(ctx);
        JsonBody body = bodies.read(ctx);
        String title = title(body.optString("title"), Session.DEFAULT_TITLE);
        String model = models.requested(body.optString("model"), null);
        answer(ctx, lifecycle.create(who.owner(), TimeOrderedId.next(), title, model));
    }

    void read(Context ctx) {
        Principal who = Requests.principal(ctx);
        Session s = session(who, Requests.query(ctx, "session_id"));
        List<MessageView> messages = Requests.queryFlag(ctx, "messages") ? messages(ctx, who, s) : null;
        Turn active = s.activeTurn() == null ? null : store.findTurn(who.owner(), s.activeTurn()).orElse(null);
        ctx.json(Map.of("session", SessionView.of(s, pending(who, s, active), active == null ? null : active.startedAt(),
                queued(who, s), messages)));
    }

    void list(Context ctx) {
        Principal who = Requests.principal(ctx);
        boolean archived = Requests.queryFlag(ctx, "include_archived");
        String query = ctx.queryParam("q");
        List<Session> found = query == null || query.isBlank() ? store.listSessions(who.owner(), archived, null)
                : searches.run(who.owner(), () -> search(who, archived, query));
        // server_time: the clock the instants above were written by, so a client can correct its own skew.
        Map<String, Object> answer = new java.util.LinkedHashMap<>();
        answer.put("sessions", found.stream().map(SessionView::of).toList());
        answer.put("server_time", java.time.Instant.now());
        ctx.json(answer);
    }

    private List<Session> search(Principal who, boolean archived, String query) {
        try {
            return store.listSessions(who.owner(), archived, query, searchLimit);
        } catch (SearchTooSlow e) {
            throw new ApiError(503, "search_timeout", "The search took longer than " + searchLimit.toMillis()
                    + " ms and was stopped; try more specific words.");
        }
    }

    void update(Context ctx) {
        Principal who = Requests.principal(ctx);
        JsonBody body = bodies.read(ctx);
        String id = body.string("session_id");
        String title = body.optString("title") == null ? null : title(body.optString("title"), null);
        String model = body.optString("model") == null ? null : models.requested(body.optString("model"), null);
        List<String> enabled = body.root().hasNonNull("tools") ? tools.requested(body.optStrings("tools")) : null;
        SessionPatch patch = new SessionPatch(title, body.optBool("pinned"), body.optBool("archived"), model, enabled);
        answer(ctx, lifecycle.update(who.owner(), id, patch).orElseThrow(SessionRoutes::notFound));
    }

    void rename(Context ctx) {
        Principal who = Requests.principal(ctx);
        JsonBody body = bodies.read(ctx);
        String id = body.string("session_id");
        SessionPatch patch = new SessionPatch(title(body.string("title"), null), null, null, null);
        answer(ctx, lifecycle.update(who.owner(), id, patch).orElseThrow(SessionRoutes::notFound));
    }

    void delete(Context ctx) {
        Principal who = Requests.principal(ctx);
        String id = bodies.read(ctx).string("session_id");
        if (!ends.deleteSession(who.owner(), id)) {
            throw notFound();
        }
        attachments.deleteSession(who.owner(), id); // after the session's commit: no live message names them now
        ctx.json(Map.of("ok", true));
    }

    private static void answer(Context ctx, Session s) {
        ctx.json(Map.of("session", SessionView.of(s)));
    }

    private Session session(Principal who, String id) {
        return store.findSession(who.owner(), id).orElseThrow(SessionRoutes::notFound);
    }

    /** A page of the transcript: {@code msg_limit} messages before {@code msg_before} (default: the last 10,000). */
    private List<MessageView> messages(Context ctx, Principal who, Session s) {
        int limit = Requests.queryInt(ctx, "msg_limit", 10_000, 1, 10_000);
        Integer before = ctx.queryParam("msg_before") == null ? null
                : Requests.queryInt(ctx, "msg_before", 0, 0, Integer.MAX_VALUE);
        return store.messages(who.owner(), s.id(), limit, before).stream()
                .map(m -> MessageView.of(m, usage(m), attachments(who, m))).toList();
    }

    /** The user message the active turn answers (so a reloaded page can show it while the reply streams). */
    private String pending(Principal who, Session s, Turn active) {
        return active == null ? null : store.messages(who.owner(), s.id(), 1, active.userMessageIndex() + 1)
                .stream().findFirst().map(Message::content).orElse(null);
    }

    private List<QueuedView> queued(Principal who, Session s) {
        List<QueuedMessage> queued = store.queued(who.owner(), s.id());
        List<QueuedView> views = new ArrayList<>(queued.size());
        for (int i = 0; i < queued.size(); i++) {
            views.add(QueuedView.of(queued.get(i), i + 1));
        }
        return views;
    }

    private List<AttachmentView> attachments(Principal who, Message m) {
        return m.attachments().isEmpty() ? List.of() : attachments.findAll(who.owner(), m.attachments())
                .stream().map(AttachmentView::of).toList();
    }

    private JsonNode usage(Message m) {
        try {
            return m.usageJson() == null ? null : json.readTree(m.usageJson());
        } catch (IOException e) {
            return null;
        }
    }

    /** A title as given, stripped; {@code fallback} when blank (400 when there is none), 400 when too long. */
    static String title(String raw, String fallback) {
        if (raw == null || raw.isBlank()) {
            if (fallback == null) {
                throw new ApiError(400, "empty_title", "The title must not be empty.");
            }
            return fallback;
        }
        String t = raw.strip();
        if (t.codePoints().anyMatch(Session::unfitForTitle)) {
            throw new ApiError(400, "bad_title", "The title must not contain control characters or direction overrides.");
        }
        if (t.length() > Session.MAX_TITLE) {
            throw new ApiError(400, "title_too_long", "The title must be at most " + Session.MAX_TITLE + " characters.");
        }
        return t;
    }

    static ApiError notFound() {
        return ApiError.notFound("session_not_found", "No such session.");
    }
}
