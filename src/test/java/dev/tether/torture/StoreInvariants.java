package dev.tether.torture;

import dev.tether.torture.StoreSnapshot.EventRow;
import dev.tether.torture.StoreSnapshot.MessageRow;
import dev.tether.torture.StoreSnapshot.SessionRow;
import dev.tether.torture.StoreSnapshot.TurnRow;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The invariants a store snapshot must satisfy at every commit point, whatever the clients did:
 * gapless journals with exactly one terminal event per ended turn; active turns and running turns
 * in one-to-one agreement; turns of a session never overlapping in time (from the rows' started_at
 * and ended_at); transcripts that alternate user/assistant where every reply was written by its
 * own turn, after its own user message, with exactly the text its journal holds (so no stale
 * writeback can land); a queue only behind a running turn; deleted sessions gone.
 */
final class StoreInvariants {
    private static final Map<String, String> TERMINAL_EVENT = Map.of(
            "completed", "done", "cancelled", "cancel", "failed", "apperror", "interrupted", "apperror");
    private static final Map<String, String> MARK = new HashMap<>();

    static {
        MARK.put("completed", null);
        MARK.put("cancelled", "stopped");
        MARK.put("failed", "error");
        MARK.put("interrupted", "interrupted");
    }

    private final StoreSnapshot s;
    private final Ledger ledger;
    private final String when;

    private StoreInvariants(StoreSnapshot s, Ledger ledger, String when) {
        this.s = s;
        this.ledger = ledger;
        this.when = when;
    }

    /** {@code quiescent}: no client is active and every turn was stopped, so nothing may be running. */
    static void check(StoreSnapshot snapshot, Ledger ledger, String when, boolean quiescent) {
        check(snapshot, ledger, when, quiescent, Long.MAX_VALUE);
    }

    /**
     * As above; {@code readFrom}: when the snapshot was begun (other instances go on answering while
     * it is read, so a delete answered after that may still show in it).
     */
    static void check(StoreSnapshot snapshot, Ledger ledger, String when, boolean quiescent, long readFrom) {
        StoreInvariants c = new StoreInvariants(snapshot, ledger, when);
        snapshot.integrityProblems().forEach(p -> c.violation("dangling row: " + p));
        snapshot.turns().values().forEach(c::journal);
        snapshot.sessions().values().forEach(session -> c.session(session, quiescent));
        ledger.deleted.entrySet().stream().filter(d -> d.getValue() < readFrom)
                .map(java.util.Map.Entry::getKey).filter(snapshot.sessions()::containsKey)
                .forEach(id -> c.violation("deleted session " + id + " is in the store again"));
    }

    private void violation(String what) {
        ledger.violation(when + ": " + what);
    }

    /** Seqs 1..n; a running turn has no terminal event; an ended one exactly one, matching its state, last. */
    private void journal(TurnRow t) {
        List<EventRow> events = s.eventsOf(t.id());
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i).seq() != i + 1) {
                violation("turn " + t.id() + ": journal seq " + events.get(i).seq() + " at position " + (i + 1));
                return;
            }
        }
        List<EventRow> terminals = events.stream().filter(e -> TERMINAL_EVENT.containsValue(e.name())).toList();
        if (t.running()) {
            if (!terminals.isEmpty()) {
                violation("running turn " + t.id() + " has a terminal event " + terminals.getFirst().name());
            }
            return;
        }
        if (t.endedAt() == null) {
            violation("turn " + t.id() + " is " + t.state() + " without ended_at");
        }
        if (terminals.size() != 1) {
            violation("turn " + t.id() + " (" + t.state() + ") has " + terminals.size() + " terminal events");
            return;
        }
        EventRow terminal = terminals.getFirst();
        if (!terminal.name().equals(TERMINAL_EVENT.get(t.state()))) {
            violation("turn " + t.id() + " is " + t.state() + " but its terminal event is " + terminal.name());
        }
        List<String> after = events.subList((int) terminal.seq(), events.size()).stream().map(EventRow::name).toList();
        List<String> expected = terminal.name().equals("done") ? List.of("stream_end") : List.of();
        if (!after.equals(expected)) {
            violation("turn " + t.id() + ": after " + terminal.name() + " the journal has " + after);
        }
    }

    private void session(SessionRow session, boolean quiescent) {
        List<TurnRow> turns = s.turns().values().stream().filter(t -> t.sessionId().equals(session.id()))
                .sorted(Comparator.comparingLong(TurnRow::startedAt).thenComparingLong(TurnRow::journalKey)).toList();
        activeTurn(session, turns, quiescent);
        oneAtATime(session, turns);
        transcript(session);
        if (!s.queued().getOrDefault(session.id(), List.of()).isEmpty() && session.activeTurn() == null) {
            violation("session " + session.id() + " is idle with " + s.queued().get(session.id()).size()
                    + " queued message(s) that will never start");
        }
    }

    /** The active turn is the session's one running turn, and no other of its turns runs. */
    private void activeTurn(SessionRow session, List<TurnRow> turns, boolean quiescent) {
        List<String> running = turns.stream().filter(TurnRow::running).map(TurnRow::id).toList();
        List<String> expected = session.activeTurn() == null ? List.of() : List.of(session.activeTurn());
        if (!running.equals(expected)) {
            violation("session " + session.id() + " has active_turn " + session.activeTurn() + " but running turns "
                    + running);
        }
        if (quiescent && session.activeTurn() != null) {
            violation("session " + session.id() + " still has active turn " + session.activeTurn()
                    + " after every turn was stopped");
        }
    }

    /** From the turn rows alone: each turn ended before the next one of its session started. */
    private void oneAtATime(SessionRow session, List<TurnRow> turns) {
        for (int i = 1; i < turns.size(); i++) {
            TurnRow prev = turns.get(i - 1);
            TurnRow next = turns.get(i);
            if (prev.endedAt() == null || prev.endedAt() > next.startedAt()) {
                violation("session " + session.id() + ": turn " + next.id() + " started at " + next.startedAt()
                        + " while turn " + prev.id() + " was active (ended_at " + prev.endedAt() + ")");
            }
        }
    }

    private void transcript(SessionRow session) {
        List<MessageRow> messages = s.messagesOf(session.id());
        if (messages.size() != session.messageCount()) {
            violation("session " + session.id() + " has message_count " + session.messageCount() + " but "
                    + messages.size() + " messages");
        }
        Set<String> replied = new HashSet<>();
        for (int i = 0; i < messages.size(); i++) {
            MessageRow m = messages.get(i);
            if (m.idx() != i) {
                violation("session " + session.id() + ": message index " + m.idx() + " at position " + i);
                return;
            }
            String expectedRole = i % 2 == 0 ? "user" : "assistant";
            if (!m.role().equals(expectedRole)) {
                violation("session " + session.id() + ": message " + i + " is " + m.role() + ", expected "
                        + expectedRole + " (transcript must alternate)");
                return;
            }
            if (m.role().equals("assistant")) {
                reply(session, messages.get(i - 1), m, replied);
            }
        }
        lastMessage(session, messages);
    }

    /** A reply was written by an ended turn of this session, for the user message before it, with its journal's text. */
    private void reply(SessionRow session, MessageRow user, MessageRow m, Set<String> replied) {
        String where = "session " + session.id() + " message " + m.idx();
        TurnRow t = m.turnId() == null ? null : s.turns().get(m.turnId());
        if (t == null || !t.sessionId().equals(session.id())) {
            violation(where + ": reply of unknown or foreign turn " + m.turnId());
            return;
        }
        if (!replied.add(t.id())) {
            violation(where + ": second reply of turn " + t.id());
        }
        if (t.running()) {
            violation(where + ": reply of turn " + t.id() + " that is still running");
            return;
        }
        if (t.userMessageIdx() != user.idx()) {
            violation(where + ": turn " + t.id() + " answered user message " + t.userMessageIdx()
                    + " but its reply follows message " + user.idx() + " (a stale writeback)");
        }
        StringBuilder text = new StringBuilder();
        StringBuilder reasoning = new StringBuilder();
        for (EventRow e : s.eventsOf(t.id())) {
            if (e.name().equals("token")) {
                text.append(e.text());
            } else if (e.name().equals("reasoning")) {
                reasoning.append(e.text());
            }
        }
        if (!text.toString().equals(m.content())) {
            violation(where + ": reply text differs from turn " + t.id() + "'s journal: " + abbreviate(m.content())
                    + " vs " + abbreviate(text.toString()));
        }
        if (!Objects.equals(reasoning.isEmpty() ? null : reasoning.toString(), m.reasoning())) {
            violation(where + ": reply reasoning differs from turn " + t.id() + "'s journal");
        }
        if (!Objects.equals(MARK.get(t.state()), m.mark())) {
            violation(where + ": turn " + t.id() + " is " + t.state() + " but its reply is marked " + m.mark());
        }
    }

    /** A transcript ends in a user message exactly when a turn is answering it. */
    private void lastMessage(SessionRow session, List<MessageRow> messages) {
        boolean endsWithUser = !messages.isEmpty() && messages.getLast().role().equals("user");
        if (session.activeTurn() == null) {
            if (endsWithUser) {
                violation("session " + session.id() + " is idle but its last message is an unanswered user message");
            }
            return;
        }
        TurnRow active = s.turns().get(session.activeTurn());
        if (active == null || !endsWithUser || active.userMessageIdx() != messages.getLast().idx()) {
            violation("session " + session.id() + ": active turn " + session.activeTurn()
                    + " is not answering the last message");
        }
    }

    static String abbreviate(String s) {
        if (s == null) {
            return "null";
        }
        return s.length() <= 80 ? "'" + s + "'" : "'" + s.substring(0, 77) + "...'";
    }

    /** Turns running when the server died must be ended (interrupted) once it is back. */
    static void recovered(StoreSnapshot atKill, StoreSnapshot afterRestart, Ledger ledger, String when) {
        recovered(atKill, afterRestart, t -> true, ledger, when);
    }

    /**
     * The turns {@code ofDead} picks (those of the instance that was killed) that were running at
     * the kill must be ended (interrupted) once it is back; other instances' turns run on.
     */
    static void recovered(StoreSnapshot atKill, StoreSnapshot afterRestart, java.util.function.Predicate<TurnRow> ofDead,
                          Ledger ledger, String when) {
        List<String> problems = new ArrayList<>();
        atKill.turns().values().stream().filter(TurnRow::running).filter(ofDead).forEach(t -> {
            TurnRow now = afterRestart.turns().get(t.id());
            if (now != null && now.running()) {
                problems.add("turn " + t.id() + " was running at the kill and is still running after restart");
            } else if (now != null && !now.state().equals("interrupted")) {
                problems.add("turn " + t.id() + " was running at the kill and ended " + now.state()
                        + ", not interrupted");
            }
        });
        problems.forEach(p -> ledger.violation(when + ": " + p));
    }
}
