package dev.tether.torture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * One simulated user with a browser tab or two: sends (sometimes twice at once, sometimes retrying
 * with the same client_message_id), queues, cancels (its own turn, a finished one, someone
 * else's, an unknown one), subscribes with every kind of cursor, edits, regenerates, deletes,
 * renames and reloads, on the pool's shared sessions, with random pauses. Each answer is judged
 * by {@link Http}; what was accepted goes to the {@link Ledger} for the global checks.
 *
 * <p>Threading: runs on its own virtual thread; its fields are confined to it.
 */
final class VirtualClient implements Runnable {
    static final Set<Integer> START_ANSWERS = Set.of(200, 409, 404);
    static final Set<Integer> QUEUE_ANSWERS = Set.of(200, 202, 404);
    private static final String[] EXTRAS = {"", "", "", " 😀🚀", " \u202eRTL\u202c", " 你好", " e\u0301", " zero\u200bwidth",
            " \"quotes\" \\ back", " <script>alert(1)</script>", " line\nbreak"};

    /** A send this client made, kept to retry it with the same client_message_id. */
    private record Sent(String sessionId, String content, String model, String clientMessageId, boolean queue) {}

    private final int id;
    private final Random random;
    private final Http http;
    private final Target target;
    private final Ledger ledger;
    private final SessionPool pool;
    private final long deadline;
    private final Subscriber subscriber;
    private final SessionChores chores;
    private final List<Sent> sent = new ArrayList<>();
    private String ownTurn;
    private int counter;

    VirtualClient(int id, long seed, Http http, Target target, Ledger ledger, SessionPool pool, long deadline) {
        this.id = id;
        this.random = new Random(seed);
        this.http = http;
        this.target = target;
        this.ledger = ledger;
        this.pool = pool;
        this.deadline = deadline;
        this.subscriber = new Subscriber(random, http, target, ledger, pool);
        this.chores = new SessionChores(id, random, http, ledger, pool);
    }

    @Override
    public void run() {
        while (Ledger.now() < deadline && !Thread.currentThread().isInterrupted()) {
            try {
                step();
            } catch (RuntimeException e) {
                ledger.violation("client " + id + " failed: " + e);
                e.printStackTrace();
            }
            pause(random.nextInt(80));
        }
    }

    private void step() {
        int r = random.nextInt(100);
        if (r < 20) {
            send();
        } else if (r < 26) {
            sendTwiceAtOnce();
        } else if (r < 30) {
            retrySameClientId();
        } else if (r < 37) {
            queue();
        } else if (r < 47) {
            cancel();
        } else if (r < 66) {
            ledger.op("subscribe");
            subscriber.subscribe(ownTurn);
        } else if (r < 71) {
            edit();
        } else if (r < 76) {
            regenerate();
        } else if (r < 78) {
            switch (random.nextInt(8)) { // rare: a delete wipes the history the store checks look at
                case 0 -> chores.delete();
                case 1 -> deleteWhileStarting();
                default -> chores.reload();
            }
        } else if (r < 83) {
            chores.renameOrUpdate();
        } else if (r < 92) {
            chores.reload();
        } else if (r < 96) {
            chores.list();
        } else {
            chores.status();
        }
    }

    // ---- starting turns ----

    private void send() {
        ledger.op("send");
        Sent s = newSend(pool.pick(random), random.nextBoolean());
        Http.Answer a = start("send", s, false);
        if (a.is(200)) {
            followOwnTurn(a.text("stream_id"), s.sessionId());
        }
    }

    /** Two tabs or a double click: the same send twice (same client_message_id), or two different sends. */
    private void sendTwiceAtOnce() {
        ledger.op("send-twice");
        String session = pool.pick(random);
        Sent first = newSend(session, true);
        Sent second = random.nextBoolean() ? first : newSend(session, random.nextBoolean());
        CountDownLatch go = new CountDownLatch(1);
        Thread other = Thread.ofVirtual().start(() -> {
            await(go);
            start("send-twice", second, false);
        });
        go.countDown();
        start("send-twice", first, false);
        join(other);
    }

    private void retrySameClientId() {
        ledger.op("retry-send");
        if (sent.isEmpty()) {
            return;
        }
        Sent again = sent.get(random.nextInt(sent.size()));
        start("retry-send", again, again.queue());
    }

    private void queue() {
        ledger.op("queue");
        start("queue", newSend(pool.pick(random), random.nextBoolean(), true), true);
    }

    private Sent newSend(String session, boolean withClientId) {
        return newSend(session, withClientId, false);
    }

    private Sent newSend(String session, boolean withClientId, boolean queue) {
        String content = "m" + id + "-" + (++counter) + "-" + Long.toHexString(random.nextLong())
                + EXTRAS[random.nextInt(EXTRAS.length)] + (random.nextInt(40) == 0 ? " " + "x".repeat(20_000) : "");
        Sent s = new Sent(session, content, Faults.pick(random),
                withClientId ? "cm-" + id + "-" + counter + "-" + Long.toHexString(random.nextLong()) : null, queue);
        if (withClientId) {
            sent.add(s);
            if (sent.size() > 20) {
                sent.removeFirst();
            }
        }
        return s;
    }

    private Http.Answer start(String op, Sent s, boolean queue) {
        ObjectNode body = Http.JSON.createObjectNode().put("session_id", s.sessionId()).put("message", s.content())
                .put("model", s.model());
        if (s.clientMessageId() != null) {
            body.put("client_message_id", s.clientMessageId());
        }
        if (queue) {
            body.put("queue", true);
        }
        Http.Answer a = http.post(op, "/api/chat/start", body, queue ? QUEUE_ANSWERS : START_ANSWERS);
        accepted(a, s.sessionId(), s.content(), s.clientMessageId());
        return a;
    }

    /** Records a success answer of chat/start: the turn it names and the user message it made durable. */
    private void accepted(Http.Answer a, String session, String content, String clientMessageId) {
        if (a.is(200)) {
            String turn = a.text("stream_id");
            if (turn == null || !turn.equals(a.text("turn_id")) || !session.equals(a.text("session_id"))) {
                ledger.violation("chat/start 200 with a malformed answer: " + a.body());
                return;
            }
            ledger.turns.put(turn, session);
            pool.started(turn, session);
            if (content != null) {
                ledger.accepted.add(new Ledger.Accepted(session, content, clientMessageId, turn, false, a.sentAt(),
                        a.answeredAt()));
            }
            if (clientMessageId != null) {
                ledger.answeredClientId(clientMessageId + "#turn", turn);
            }
            ledger.checkNotDeleted(session, a.sentAt(), "chat/start");
        } else if (a.is(202)) {
            ledger.accepted.add(new Ledger.Accepted(session, content, clientMessageId, null, true, a.sentAt(),
                    a.answeredAt()));
            if (clientMessageId != null) {
                ledger.answeredClientId(clientMessageId + "#queued", a.text("queued_id"));
            }
            ledger.checkNotDeleted(session, a.sentAt(), "queued chat/start");
        }
    }

    /** After starting a turn: maybe watch it, maybe stop it soon. */
    private void followOwnTurn(String turn, String session) {
        ownTurn = turn;
        int r = random.nextInt(100);
        if (r < 35) {
            subscriber.watch(turn, session);
        } else if (r < 50) {
            pause(random.nextInt(800));
            cancel(turn, false);
        }
    }

    // ---- stopping turns ----

    private void cancel() {
        ledger.op("cancel");
        int r = random.nextInt(10);
        if (r < 4 && ownTurn != null) {
            cancel(ownTurn, false);
        } else if (r < 9) {
            SessionPool.TurnRef t = pool.recentTurn(random);
            if (t != null) {
                cancel(t.turnId(), false);
            }
        } else {
            cancel("no-such-turn-" + Long.toHexString(random.nextLong()), true);
        }
    }

    private void cancel(String turn, boolean unknown) {
        Set<Integer> allowed = unknown ? Set.of(404) : SessionChores.FOUND;
        Http.Answer a = http.post("cancel", "/api/chat/cancel", Http.JSON.createObjectNode().put("stream_id", turn), allowed);
        if (a.is(200)) {
            if (!a.json().path("ok").asBoolean() || !turn.equals(a.text("stream_id"))) {
                ledger.violation("cancel answered a malformed 200: " + a.body());
            }
            if (a.json().path("cancelled").asBoolean()) {
                ledger.cancelled.add(turn);
            }
        }
    }

    // ---- transcript edits ----

    private void edit() {
        ledger.op("edit");
        String session = pool.pick(random);
        JsonNode view = chores.view(session);
        if (view == null) {
            return;
        }
        List<Integer> userIndexes = new ArrayList<>();
        view.path("messages").forEach(m -> {
            if (m.path("role").asText().equals("user") || random.nextInt(10) == 0) {
                userIndexes.add(m.path("index").asInt());
            }
        });
        if (userIndexes.isEmpty()) {
            return;
        }
        Sent s = newSend(session, random.nextBoolean());
        ObjectNode body = Http.JSON.createObjectNode().put("session_id", session).put("message", s.content())
                .put("model", s.model()).put("edit_index", userIndexes.get(random.nextInt(userIndexes.size())));
        if (random.nextBoolean()) {
            body.put("expected_message_count", view.path("message_count").asInt());
        }
        if (s.clientMessageId() != null) {
            body.put("client_message_id", s.clientMessageId());
        }
        Http.Answer a = http.post("edit", "/api/chat/start", body, START_ANSWERS);
        if (a.is(200) || a.status() < 0) { // an edit whose answer was lost to a kill may have happened
            ledger.edits.add(new Ledger.Edit(session, a.answeredAt()));
        }
        accepted(a, session, s.content(), s.clientMessageId());
    }

    private void regenerate() {
        ledger.op("regenerate");
        String session = pool.pick(random);
        ObjectNode body = Http.JSON.createObjectNode().put("session_id", session).put("regenerate", true)
                .put("model", Faults.pick(random));
        if (random.nextBoolean()) {
            JsonNode view = chores.view(session);
            if (view == null) {
                return;
            }
            body.put("expected_message_count", view.path("message_count").asInt());
        }
        Http.Answer a = http.post("regenerate", "/api/chat/start", body, START_ANSWERS);
        accepted(a, session, null, null);
        if (a.is(200) && random.nextBoolean()) {
            subscriber.watch(a.text("stream_id"), session);
        }
    }

    /** Two tabs: one sends while the other deletes the conversation, at the same instant. */
    private void deleteWhileStarting() {
        ledger.op("delete-while-starting");
        String session = pool.pick(random);
        Sent s = newSend(session, random.nextBoolean());
        CountDownLatch go = new CountDownLatch(1);
        Thread sender = Thread.ofVirtual().start(() -> {
            await(go);
            Http.Answer a = start("delete-while-starting", s, false);
            if (a.is(200)) {
                subscriber.watch(a.text("stream_id"), session);
            }
        });
        go.countDown();
        pause(random.nextInt(3));
        chores.delete(session);
        join(sender);
    }

    // ---- plumbing ----

    static void pause(long ms) {
        if (ms <= 0) {
            return;
        }
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void join(Thread t) {
        try {
            t.join(Duration.ofSeconds(60));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
