package dev.tether.torture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tether.session.Session;
import java.util.Random;
import java.util.Set;

/**
 * A client's session housekeeping: delete (and create a replacement in the pool), rename, pin,
 * archive, change model, reload, list, and ask a stream's status; each answer is checked against
 * what was deleted before it was asked.
 *
 * <p>Threading: confined to its client's thread.
 */
final class SessionChores {
    static final Set<Integer> FOUND = Set.of(200, 404);
    /** A title with a direction override is refused (400 bad_title), whether or not the session is still there. */
    static final Set<Integer> REFUSED_TITLE = Set.of(400, 404);
    private static final String[] TITLES = {"plain", "😀🚀", "\u202eRTL\u202c", "你好", "e\u0301", "<b>bold</b>", "\"q\""};

    private final int id;
    private final Random random;
    private final Http http;
    private final Ledger ledger;
    private final SessionPool pool;

    SessionChores(int id, Random random, Http http, Ledger ledger, SessionPool pool) {
        this.id = id;
        this.random = random;
        this.http = http;
        this.ledger = ledger;
        this.pool = pool;
    }

    void delete() {
        ledger.op("delete");
        delete(pool.pick(random));
    }

    void delete(String session) {
        Http.Answer a = http.post("delete", "/api/session/delete",
                Http.JSON.createObjectNode().put("session_id", session), FOUND);
        if (a.is(200)) {
            ledger.deleted.put(session, a.answeredAt());
        } else if (a.status() < 0) {
            ledger.maybeDeleted.add(session); // the answer was lost to a kill
        }
        if (a.is(200) || a.is(404)) {
            Http.Answer created = http.post("new-session", "/api/session/new", "{}", Set.of(200));
            if (created.is(200)) {
                pool.replace(session, created.json().path("session").path("session_id").asText());
            }
        }
    }

    void renameOrUpdate() {
        ledger.op("rename");
        String session = pool.pick(random);
        ObjectNode body = Http.JSON.createObjectNode().put("session_id", session);
        Http.Answer a;
        if (random.nextBoolean()) {
            String title = "t" + id + " " + TITLES[random.nextInt(TITLES.length)] + " " + random.nextInt(1000);
            body.put("title", title);
            a = http.post("rename", "/api/session/rename", body,
                    title.codePoints().anyMatch(Session::unfitForTitle) ? REFUSED_TITLE : FOUND);
        } else {
            body.put("pinned", random.nextBoolean()).put("archived", random.nextInt(4) == 0);
            if (random.nextBoolean()) {
                body.put("model", Faults.pick(random));
            }
            a = http.post("update", "/api/session/update", body, FOUND);
        }
        if (a.is(200)) {
            ledger.checkNotDeleted(session, a.sentAt(), "rename/update");
        }
    }

    void reload() {
        ledger.op("reload");
        JsonNode view = view(pool.pick(random));
        if (view != null) {
            TranscriptView.check(view, ledger);
        }
    }

    /** The session with its messages, or null if it is gone. */
    JsonNode view(String session) {
        Http.Answer a = http.get("reload", "/api/session?messages=1&session_id=" + session, FOUND);
        if (!a.is(200)) {
            return null;
        }
        ledger.checkNotDeleted(session, a.sentAt(), "reload");
        return a.json().path("session");
    }

    void list() {
        ledger.op("list");
        Http.Answer a = http.get("list", "/api/sessions?include_archived=1", Set.of(200));
        if (a.is(200)) {
            a.json().path("sessions").forEach(s -> ledger.checkNotDeleted(s.path("session_id").asText(), a.sentAt(),
                    "listing it"));
        }
    }

    void status() {
        ledger.op("status");
        SessionPool.TurnRef t = pool.recentTurn(random);
        if (t == null) {
            return;
        }
        Http.Answer a = http.get("status", "/api/chat/stream/status?stream_id=" + t.turnId(), FOUND);
        if (a.is(200)) {
            JsonNode s = a.json();
            if (s.path("active").asBoolean() == s.path("terminal").asBoolean()) {
                ledger.violation("stream status both or neither active and terminal: " + a.body());
            }
            if (s.path("terminal").asBoolean()) {
                String state = s.path("terminal_state").asText();
                String before = ledger.reportedTerminal.putIfAbsent(t.turnId(), state);
                if (before != null && !before.equals(state)) {
                    ledger.violation("turn " + t.turnId() + " reported terminal " + before + ", later " + state);
                }
            }
        }
    }

}
