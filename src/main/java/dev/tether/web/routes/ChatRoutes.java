package dev.tether.web.routes;

import dev.tether.config.TetherConfig;
import dev.tether.session.AttachmentStore;
import dev.tether.session.StartOutcome;
import dev.tether.session.StartRequest;
import dev.tether.session.TimeOrderedId;
import dev.tether.session.Turn;
import dev.tether.turn.TurnEnds;
import dev.tether.turn.TurnEnds.CancelOutcome;
import dev.tether.turn.TurnReader;
import dev.tether.turn.TurnRunner;
import dev.tether.web.ApiError;
import dev.tether.web.BodyReader;
import dev.tether.web.JsonBody;
import dev.tether.web.Principal;
import dev.tether.web.Quota;
import dev.tether.web.RequestLimits;
import dev.tether.web.Requests;
import dev.tether.web.dto.QueuedAnswer;
import dev.tether.web.dto.StartAnswer;
import dev.tether.web.dto.StreamStatus;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** Chat turns: start (send, queue, regenerate, edit) through the runner, cancel through the door, stream status. */
record ChatRoutes(TurnRunner runner, TurnEnds ends, TurnReader reader, AttachmentStore attachments, ModelChoice models,
                  RequestLimits limits, TetherConfig.Limits config, BodyReader bodies, Quota quota) {
    static final int MAX_CLIENT_ID = 200;
    static final int MAX_ATTACHMENTS = 20;

    void start(Context ctx) {
        Principal who = Requests.principal(ctx);
        limits.take("turn", who.owner(), config.turnsPerMinute());
        StartRequest request = startRequest(who, bodies.read(ctx));
        quota.check(who.owner(), request.content() == null ? 0
                : request.content().getBytes(StandardCharsets.UTF_8).length);
        switch (runner.start(request)) {
            case StartOutcome.Started s -> ctx.json(answer(s.turn(), s.session().title()));
            case StartOutcome.Duplicate d -> ctx.json(answer(d.turn(), d.session().title()));
            case StartOutcome.Queued q -> ctx.status(202).json(
                    new QueuedAnswer(true, q.position(), q.message().id(), q.message().sessionId()));
            case StartOutcome.AlreadyQueued q -> ctx.status(202).json(
                    new QueuedAnswer(true, q.position(), q.message().id(), q.message().sessionId()));
            case StartOutcome.TurnActive a -> throw new ApiError(409, "turn_active",
                    "A reply is still being written in this conversation; stop it or send with queue:true.",
                    Map.of("active_stream_id", a.activeTurn()));
            case StartOutcome.StaleView v -> throw new ApiError(409, "stale_view", v.reason(),
                    Map.of("message_count", v.messageCount()));
            case StartOutcome.NotLastReply n -> throw new ApiError(409, "not_last_reply", n.reason(),
                    Map.of("message_count", n.messageCount()));
            case StartOutcome.Rejected r -> throw new ApiError(409, "not_applicable", r.reason());
            case StartOutcome.SessionGone g -> throw SessionRoutes.notFound();
        }
    }

    void cancel(Context ctx) {
        Principal who = Requests.principal(ctx);
        String streamId = ctx.method().name().equals("GET") ? Requests.query(ctx, "stream_id")
                : bodies.read(ctx).string("stream_id");
        switch (ends.cancel(who.owner(), streamId)) {
            case CancelOutcome.Cancelled c -> ctx.json(Map.of("ok", true, "cancelled", true, "stream_id", streamId));
            case CancelOutcome.AlreadyEnded e -> ctx.json(Map.of("ok", true, "cancelled", false, "stream_id", streamId));
            case CancelOutcome.NotFound n -> throw StreamRoutes.streamNotFound();
        }
    }

    void status(Context ctx) {
        Principal who = Requests.principal(ctx);
        String streamId = Requests.query(ctx, "stream_id");
        Turn t = reader.find(who.owner(), streamId).orElseThrow(StreamRoutes::streamNotFound);
        boolean terminal = t.state().isTerminal();
        ctx.json(new StreamStatus(!terminal, streamId, true, reader.lastSeq(streamId), terminal,
                terminal ? t.state().wire() : null));
    }

    private StartRequest startRequest(Principal who, JsonBody body) {
        String sessionId = body.string("session_id");
        boolean regenerate = body.flag("regenerate");
        Integer editIndex = body.optInt("edit_index", 0);
        if (regenerate && editIndex != null) {
            throw ApiError.badRequest("Send either regenerate or edit_index, not both.");
        }
        String message = regenerate ? null : message(body.optString("message"));
        String clientId = body.optString("client_message_id");
        if (clientId != null && (clientId.isBlank() || clientId.length() > MAX_CLIENT_ID)) {
            throw ApiError.badRequest("client_message_id must be 1 to " + MAX_CLIENT_ID + " characters.");
        }
        String model = models.requested(body.optString("model"), sessionId);
        Integer replyIndex = body.optInt("reply_index", 0);
        if (replyIndex != null && !regenerate) {
            throw ApiError.badRequest("reply_index goes with regenerate.");
        }
        StartRequest.Kind kind = regenerate ? new StartRequest.Kind.Regenerate(replyIndex)
                : editIndex != null ? new StartRequest.Kind.Edit(editIndex)
                : body.flag("queue") ? new StartRequest.Kind.SendOrQueue()
                : new StartRequest.Kind.Send();
        return new StartRequest(who.owner(), sessionId, TimeOrderedId.next(), message, model, clientId,
                attachments(who, sessionId, body.optStrings("attachments")), kind, body.optInt("expected_message_count", 0));
    }

    private String message(String message) {
        if (message == null || message.isBlank()) {
            throw new ApiError(400, "empty_message", "The message must not be empty.");
        }
        if (message.length() > config.maxMessageChars()) {
            throw new ApiError(413, "message_too_large", "The message is longer than "
                    + config.maxMessageChars() + " characters.");
        }
        return message;
    }

    /** Attachment ids the caller uploaded to this session, at most {@value #MAX_ATTACHMENTS}. */
    private List<String> attachments(Principal who, String sessionId, List<String> ids) {
        if (ids.size() > MAX_ATTACHMENTS) {
            throw ApiError.badRequest("At most " + MAX_ATTACHMENTS + " attachments per message.");
        }
        if (attachments.findAll(who.owner(), ids).stream().filter(a -> sessionId.equals(a.sessionId())).count()
                != ids.size()) {
            throw new ApiError(400, "unknown_attachment", "An attachment id is unknown; upload the file again.");
        }
        return ids;
    }

    private static StartAnswer answer(Turn t, String title) {
        return new StartAnswer(t.id(), t.sessionId(), t.id(), t.startedAt(), title);
    }
}
