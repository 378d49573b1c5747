package dev.tether.web.routes;

import dev.tether.session.Session;
import dev.tether.session.SessionReads;
import dev.tether.session.TurnEvent;
import dev.tether.turn.Cursor;
import dev.tether.turn.TurnReader;
import dev.tether.web.ApiError;
import dev.tether.web.Principal;
import dev.tether.web.OpenStreams;
import dev.tether.web.Requests;
import dev.tether.web.WebWatch;
import dev.tether.web.sse.FeedEvent;
import dev.tether.web.sse.SessionFeed;
import dev.tether.web.sse.SharedStream;
import dev.tether.web.sse.SseWriter;
import io.javalin.http.Context;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/** The SSE routes: a turn's events, a session's channel, the sidebar's invalidations, and all of them on one. */
record StreamRoutes(TurnReader reader, SessionReads store, SessionFeed feed, OpenStreams streams, Duration heartbeat,
                    WebWatch watch) {
    static final int FEED_BUFFER = 256;
    static final int MAX_SHARED = 64;

    /** Replays from the cursor, then follows live, and closes after stream_end, cancel or apperror. */
    void turnStream(Context ctx) throws IOException, InterruptedException {
        Principal who = Requests.principal(ctx);
        String turnId = Requests.query(ctx, "stream_id");
        if (!reader.readable(who.owner(), turnId)) {
            throw streamNotFound();
        }
        long after = reader.startAfter(turnId, cursor(ctx, turnId));
        try (OpenStreams.Handle slot = streams.open(ctx, who)) {
            watch.streamOpened("turn");
            try {
                follow(SseWriter.open(ctx), turnId, after);
            } finally {
                watch.streamClosed("turn");
            }
        } catch (InterruptedException e) {
            // ended by OpenStreams (logout, a disabled user): the response closes here
        }
    }

    void sessionStream(Context ctx) throws IOException, InterruptedException {
        Principal who = Requests.principal(ctx);
        String sessionId = Requests.query(ctx, "session_id");
        int knownCount = Requests.queryInt(ctx, "known_count", 0, 0, Integer.MAX_VALUE);
        channel(ctx, who, "session", listener -> feed.subscribeSession(sessionId, listener), () -> {
            Session s = store.findSession(who.owner(), sessionId).orElseThrow(SessionRoutes::notFound);
            List<FeedEvent> first = new ArrayList<>(List.of(FeedEvent.initial(s)));
            if (s.activeTurn() != null) {
                first.add(FeedEvent.turnStarted(s.id(), s.activeTurn()));
            }
            if (s.messageCount() > knownCount) {
                first.add(FeedEvent.sessionUpdated(s));
            }
            return first;
        });
    }

    void sidebarStream(Context ctx) throws IOException, InterruptedException {
        Principal who = Requests.principal(ctx);
        channel(ctx, who, "sidebar", listener -> feed.subscribeOwner(who.owner(), listener),
                () -> List.of(FeedEvent.sessionsChanged(feed.version(), "initial", null)));
    }

    /**
     * GET /api/events: the sidebar, the session channels in {@code sessions} and the turns in
     * {@code turns} ({@code <turn>} from its start or {@code <turn>:<seq>} after that event) on one
     * connection. Subscribed before the opening frames are read, as a single channel is.
     */
    void sharedStream(Context ctx) throws IOException, InterruptedException {
        Principal who = Requests.principal(ctx);
        List<String> sessionIds = list(ctx, "sessions");
        List<String> turns = list(ctx, "turns");
        SharedStream stream = new SharedStream(reader, heartbeat, watch);
        List<Runnable> unsubscribe = new ArrayList<>();
        OpenStreams.Handle slot = streams.open(ctx, who);
        watch.streamOpened("shared");
        try {
            unsubscribe.add(feed.subscribeOwner(who.owner(), stream.feed()));
            List<FeedEvent> opening = new ArrayList<>(List.of(FeedEvent.sessionsChanged(feed.version(), "initial", null)));
            for (String id : sessionIds) {
                unsubscribe.add(feed.subscribeSession(id, stream.feed()));
                store.findSession(who.owner(), id).ifPresentOrElse(s -> {
                    opening.add(FeedEvent.initial(s));
                    if (s.activeTurn() != null) {
                        opening.add(FeedEvent.turnStarted(s.id(), s.activeTurn()));
                    }
                    opening.add(FeedEvent.sessionUpdated(s));
                }, () -> opening.add(FeedEvent.sessionNotFound(id)));
            }
            for (String entry : turns) {
                Cursor cursor = Cursor.parse(entry);
                String turnId = cursor == null ? entry : cursor.turnId();
                if (reader.readable(who.owner(), turnId)) {
                    stream.follow(turnId, cursor);
                } else {
                    opening.add(FeedEvent.turnGone("stream_not_found", turnId));
                }
            }
            stream.run(SseWriter.open(ctx), opening);
        } catch (InterruptedException e) {
            // ended by OpenStreams (logout, a disabled user): the response closes here
        } finally {
            watch.streamClosed("shared");
            unsubscribe.forEach(Runnable::run);
            slot.close();
        }
    }

    /** A comma-separated query list of at most {@value #MAX_SHARED} distinct, non-blank entries. */
    private static List<String> list(Context ctx, String name) {
        String v = ctx.queryParam(name);
        if (v == null || v.isBlank()) {
            return List.of();
        }
        List<String> out = java.util.Arrays.stream(v.split(",")).map(String::trim).filter(x -> !x.isEmpty())
                .distinct().toList();
        if (out.size() > MAX_SHARED || out.stream().anyMatch(x -> x.length() > 200)) {
            throw new ApiError(400, "bad_parameter", "'" + name + "' lists at most " + MAX_SHARED + " ids.");
        }
        return out;
    }

    private void follow(SseWriter sse, String turnId, long after) throws IOException, InterruptedException {
        while (true) {
            TurnReader.Batch batch = reader.next(turnId, after, heartbeat);
            if (batch.finished()) {
                return;
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
            long relay = batch.relayNanos(System.nanoTime());
            if (relay >= 0) {
                watch.relayed(relay);
            }
            if (closing) {
                return;
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

    /**
     * A session channel or a sidebar: subscribed first and read second (by {@code opening}, which may
     * answer 404 before the stream opens), so nothing that happens in between is missed; then the
     * feed's events until the client goes or falls {@value #FEED_BUFFER} events behind.
     */
    private void channel(Context ctx, Principal who, String kind, Subscription subscribe, Opening opening)
            throws IOException, InterruptedException {
        Feed buffer = new Feed();
        OpenStreams.Handle slot = streams.open(ctx, who);
        Runnable unsubscribe = subscribe.to(buffer::offer);
        watch.streamOpened(kind);
        try {
            List<FeedEvent> first = opening.frames();
            SseWriter sse = SseWriter.open(ctx);
            for (FeedEvent e : first) {
                sse.event(null, e.name(), e.json());
            }
            sse.flush();
            buffer.pump(sse, heartbeat);
        } catch (InterruptedException e) {
            // ended by OpenStreams (logout, a disabled user): the response closes here
        } finally {
            watch.streamClosed(kind);
            unsubscribe.run();
            slot.close();
        }
    }

    @FunctionalInterface
    private interface Subscription {
        Runnable to(Consumer<FeedEvent> listener);
    }

    @FunctionalInterface
    private interface Opening {
        List<FeedEvent> frames();
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

        void pump(SseWriter sse, Duration heartbeat) throws IOException, InterruptedException {
            while (!overflowed.get()) {
                FeedEvent e = queue.poll(heartbeat.toMillis(), TimeUnit.MILLISECONDS);
                if (e == null) {
                    sse.comment("heartbeat");
                } else {
                    sse.event(null, e.name(), e.json());
                }
                sse.flush();
            }
        }
    }

    static ApiError streamNotFound() {
        return ApiError.notFound("stream_not_found", "No such stream.");
    }
}
