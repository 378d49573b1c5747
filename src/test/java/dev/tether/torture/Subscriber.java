package dev.tether.torture;

import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * A client's turn-stream tab: subscribes to a turn with a random cursor (none, header, query,
 * both, stale, foreign, garbage, ahead, replay), stays to the end or leaves early, and sometimes
 * comes back the way EventSource does, with {@code Last-Event-ID} set to the last id it received.
 *
 * <p>Threading: confined to its client's thread.
 */
final class Subscriber {
    private final Random random;
    private final Http http;
    private final Target target;
    private final Ledger ledger;
    private final SessionPool pool;

    Subscriber(Random random, Http http, Target target, Ledger ledger, SessionPool pool) {
        this.random = random;
        this.http = http;
        this.target = target;
        this.ledger = ledger;
        this.pool = pool;
    }

    /** Subscribes to a recent turn of anyone's (or {@code own}) with a random cursor. */
    void subscribe(String own) {
        SessionPool.TurnRef t = own != null && random.nextInt(4) == 0
                ? new SessionPool.TurnRef(own, ledger.turns.get(own)) : pool.recentTurn(random);
        if (t == null) {
            return;
        }
        SseRun.Cursor cursor = cursor(t.turnId());
        Duration readFor = random.nextInt(10) < 6 ? null : Duration.ofMillis(random.nextInt(1500));
        SseRun.Result r = run(t, cursor, readFor);
        if (r.outcome() == SseRun.Outcome.LEFT && r.lastEventId() != null && random.nextBoolean()) {
            resume(t, r);
        }
    }

    /** Watches one's own new turn: to the end, or in pieces with reconnects (a flaky network). */
    void watch(String turn, String session) {
        SessionPool.TurnRef t = new SessionPool.TurnRef(turn, session);
        SseRun.Cursor none = new SseRun.Cursor("none", "", Map.of(), 0);
        SseRun.Result r = run(t, none, random.nextBoolean() ? null : Duration.ofMillis(random.nextInt(600)));
        for (int blips = 0; blips < 3 && r.outcome() == SseRun.Outcome.LEFT && r.lastEventId() != null; blips++) {
            r = resume(t, r);
        }
    }

    private SseRun.Result resume(SessionPool.TurnRef t, SseRun.Result previous) {
        SseRun.Cursor c = new SseRun.Cursor("resume", "", Map.of("Last-Event-ID", previous.lastEventId()),
                previous.frames().getLast().seq());
        return run(t, c, random.nextBoolean() ? null : Duration.ofMillis(random.nextInt(600)));
    }

    private SseRun.Result run(SessionPool.TurnRef t, SseRun.Cursor cursor, Duration readFor) {
        SseRun.Result r = SseRun.run(http, target, ledger, t.turnId(), t.sessionId(), cursor, readFor);
        ledger.runs.add(r);
        return r;
    }

    /** A cursor of a random kind; {@code expectedAfter} is where the API's rules say replay begins. */
    SseRun.Cursor cursor(String turn) {
        long seen = ledger.maxSeenSeq.getOrDefault(turn, 0L);
        long c = seen == 0 ? 0 : random.nextLong(seen + 1);
        long c2 = seen == 0 ? 0 : random.nextLong(seen + 1);
        return switch (random.nextInt(10)) {
            case 0 -> new SseRun.Cursor("none", "", Map.of(), 0);
            case 1 -> new SseRun.Cursor("header", "", Map.of("Last-Event-ID", turn + ":" + c), c);
            case 2 -> new SseRun.Cursor("after_seq", "&after_seq=" + c, Map.of(), c);
            case 3 -> new SseRun.Cursor("after_event_id", "&after_event_id=" + turn + ":" + c, Map.of(), c);
            case 4 -> new SseRun.Cursor("query-beats-header", "&after_seq=" + c,
                    Map.of("Last-Event-ID", turn + ":" + c2), c);
            case 5 -> new SseRun.Cursor("foreign", "", Map.of("Last-Event-ID", foreignTurn(turn) + ":" + Math.max(1, c)), 0);
            case 6 -> new SseRun.Cursor("garbage", "", Map.of("Last-Event-ID", garbage(turn)), 0);
            case 7 -> random.nextBoolean()
                    ? new SseRun.Cursor("ahead", "&after_seq=" + (seen + 1_000_000), Map.of(), 0)
                    : new SseRun.Cursor("ahead", "", Map.of("Last-Event-ID", turn + ":" + (seen + 1_000_000)), 0);
            case 8 -> new SseRun.Cursor("replay", "&replay=1", Map.of("Last-Event-ID", turn + ":" + c), 0);
            default -> new SseRun.Cursor("stale-header", "", Map.of("Last-Event-ID", turn + ":" + c), c);
        };
    }

    private String foreignTurn(String turn) {
        SessionPool.TurnRef other = pool.recentTurn(random);
        return other == null || other.turnId().equals(turn) ? UUID.randomUUID().toString() : other.turnId();
    }

    private String garbage(String turn) {
        return switch (random.nextInt(6)) {
            case 0 -> "garbage";
            case 1 -> turn + ":";
            case 2 -> turn + ":abc";
            case 3 -> turn + ":-4";
            case 4 -> ":::";
            default -> turn + ":1.5";
        };
    }
}
