package dev.tether.web.routes;

import dev.tether.session.Session;
import dev.tether.session.TurnEvent;
import dev.tether.turn.Cursor;
import dev.tether.turn.TurnReader;
import dev.tether.web.ApiError;
import dev.tether.web.Principal;
import dev.tether.web.Requests;
import dev.tether.web.sse.FeedEvent;
import dev.tether.web.sse.SseWriter;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/** The SSE routes: a turn's events, a session's channel, and the sidebar's invalidations. */
public final class StreamRoutes {
    static final int FEED_BUFFER = 256;

    private final Api api;

    public StreamRoutes(Api api) {
        this.api = api;
    }

    public void register(RoutesConfig r) {
        r.get("/api/chat/stream", this::turnStream);
        r.get("/api/session/stream", this::sessionStream);
        r.get("/api/sessions/events", this::sidebarStream);
    }

    /** Replays from the cursor, then follows live, and closes after stream_end, cancel or apperror. */
    private void turnStream(Context ctx) throws IOException, InterruptedException {
        Principal who = Requests.principal(ctx);
        String turnId = Requests.query(ctx, "stream_id");
        if (!api.reader().readable(who.owner(), turnId)) {
            throw streamNotFound();
        }
        long after = api.reader().startAfter(turnId, cursor(ctx, turnId));
        Runnable release = api.limits().openStream(who.owner(), api.config().limits().streamsPerUser());
        try {
            follow(ctx, turnId, after);
        } finally {
            release.run();
        }
    }

    private void follow(Context ctx, String turnId, long after) throws IOException, InterruptedException {
        SseWriter sse = SseWriter.open(ctx);
        while (true) {
            TurnReader.Batch batch = api.reader().next(turnId, after, api.config().heartbeat());
            if (batch.finished()) {
                break;
            }
            if (batch.events().isEmpty()) {
                sse.comment("heartbeat");
            }
            boolean closing = false;
            for (TurnEvent e : batch.events()) {
                sse.event(e.eventId(), e.name(), e.json());
                after = e.seq();
                closing |= e.closesStream();
            }
            sse.flush();
            if (closing) {
                break;
            }
        }
    }

    /** Query cursor ({@code after_seq}, {@code after_event_id}, {@code replay=1}) wins over Last-Event-ID. */
    private static Cursor cursor(Context ctx, String turnId) {
        if (Requests.queryFlag(ctx, "replay")) {
            return null;
        }
        String afterSeq = ctx.queryParam("after_seq");
        if (afterSeq != null) {
            return Cursor.parse(turnId + ":" + afterSeq);
        }
        String afterEventId = ctx.queryParam("after_event_id");
        if (afterEventId != null) {
            return Cursor.parse(afterEventId);
        }
        return Cursor.parse(ctx.header("Last-Event-ID"));
    }

    private void sessionStream(Context ctx) throws IOException, InterruptedException {
        Principal who = Requests.principal(ctx);
        String sessionId = Requests.query(ctx, "session_id");
        int knownCount = Requests.queryInt(ctx, "known_count", 0, 0, Integer.MAX_VALUE);
        Feed feed = new Feed();
        Runnable release = api.limits().openStream(who.owner(), api.config().limits().streamsPerUser());
        Runnable unsubscribe = api.feed().subscribeSession(sessionId, feed::offer);
        try {
            // Subscribed first, read second: nothing that happens in between is missed.
            Session s = api.store().findSession(who.owner(), sessionId).orElseThrow(SessionRoutes::notFound);
            SseWriter sse = SseWriter.open(ctx);
            send(sse, FeedEvent.initial(s));
            if (s.activeTurn() != null) {
                send(sse, FeedEvent.turnStarted(s.id(), s.activeTurn()));
            }
            if (s.messageCount() > knownCount) {
                send(sse, FeedEvent.sessionUpdated(s));
            }
            sse.flush();
            feed.pump(sse, api);
        } finally {
            unsubscribe.run();
            release.run();
        }
    }

    private void sidebarStream(Context ctx) throws IOException, InterruptedException {
        Principal who = Requests.principal(ctx);
        Feed feed = new Feed();
        Runnable release = api.limits().openStream(who.owner(), api.config().limits().streamsPerUser());
        Runnable unsubscribe = api.feed().subscribeOwner(who.owner(), feed::offer);
        try {
            SseWriter sse = SseWriter.open(ctx);
            send(sse, FeedEvent.sessionsChanged(api.feed().version(), "initial", null));
            sse.flush();
            feed.pump(sse, api);
        } finally {
            unsubscribe.run();
            release.run();
        }
    }

    /**
     * One connection's bounded buffer of feed events. On overflow the connection closes; the client
     * reconnects and resyncs (its state is re-read on subscribe), so nobody waits for a slow reader.
     */
    private static final class Feed {
        private final BlockingQueue<FeedEvent> queue = new ArrayBlockingQueue<>(FEED_BUFFER);
        private final AtomicBoolean overflowed = new AtomicBoolean();

        void offer(FeedEvent e) {
            if (!queue.offer(e)) {
                overflowed.set(true);
            }
        }

        void pump(SseWriter sse, Api api) throws IOException, InterruptedException {
            while (!overflowed.get()) {
                FeedEvent e = queue.poll(api.config().heartbeat().toMillis(), TimeUnit.MILLISECONDS);
                if (e == null) {
                    sse.comment("heartbeat");
                } else {
                    send(sse, e);
                }
                sse.flush();
            }
        }
    }

    private static void send(SseWriter sse, FeedEvent e) throws IOException {
        sse.event(null, e.name(), e.json());
    }

    static ApiError streamNotFound() {
        return ApiError.notFound("stream_not_found", "No such stream.");
    }
}
