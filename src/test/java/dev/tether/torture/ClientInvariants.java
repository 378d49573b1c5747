package dev.tether.torture;

import dev.tether.torture.StoreSnapshot.EventRow;
import dev.tether.torture.StoreSnapshot.TurnRow;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The invariants that join what clients were told with what the store holds: every accepted user
 * message is in its transcript exactly once (unless a later edit or a delete removed it); every
 * answered turn exists; a cancel that said {@code cancelled:true} ended its turn cancelled; and
 * every subscriber got a gapless, duplicate-free run of the journal from its cursor, identical to
 * the journal, ending with the terminal event when it stayed to the end.
 */
final class ClientInvariants {
    private static final Set<String> TERMINAL = Set.of("done", "cancel", "apperror");
    private static final Set<String> CLOSING = Set.of("stream_end", "cancel", "apperror");

    private final StoreSnapshot s;
    private final Ledger ledger;
    private final String when;
    private boolean severalInstances;

    private ClientInvariants(StoreSnapshot s, Ledger ledger, String when) {
        this.s = s;
        this.ledger = ledger;
        this.when = when;
    }

    /** What was answered before {@code cutoff} must be durable in {@code snapshot}. */
    /**
     * What was answered before a kill is in the store read after it. {@code turnsBefore}: the turns
     * answered before the snapshot was read (other instances go on answering while it is).
     */
    static void durable(StoreSnapshot snapshot, Ledger ledger, long cutoff, String when, Map<String, String> turnsBefore) {
        ClientInvariants c = new ClientInvariants(snapshot, ledger, when);
        c.acceptedMessages(cutoff, false);
        turnsBefore.forEach((turn, session) -> c.turnExists(turn, session));
    }

    /**
     * Everything, against the final store after the run went quiet. {@code severalInstances}: the
     * run spread its requests over instances (a stream may then end on one for a deletion made
     * through another).
     */
    static void all(StoreSnapshot snapshot, Ledger ledger, boolean severalInstances) {
        ClientInvariants c = new ClientInvariants(snapshot, ledger, "final");
        c.severalInstances = severalInstances;
        c.acceptedMessages(Long.MAX_VALUE, true);
        ledger.turns.forEach(c::turnExists);
        ledger.cancelled.forEach(turn -> c.endedAs(turn, "cancelled", "a cancel answered cancelled:true"));
        ledger.reportedTerminal.forEach((turn, state) -> c.endedAs(turn, state, "stream status reported it"));
        ledger.runs.forEach(c::subscriberRun);
    }

    private void violation(String what) {
        ledger.violation(when + ": " + what);
    }

    private boolean sessionGone(String sessionId) {
        return !s.sessions().containsKey(sessionId)
                && (ledger.deleted.containsKey(sessionId) || ledger.maybeDeleted.contains(sessionId));
    }

    private void acceptedMessages(long cutoff, boolean quiescent) {
        Map<String, Map<String, Integer>> counts = new HashMap<>();
        for (Ledger.Accepted m : ledger.accepted) {
            if (m.answeredAt() >= cutoff || counts.containsKey(m.sessionId() + "\u0000" + m.content())) {
                continue;
            }
            counts.put(m.sessionId() + "\u0000" + m.content(), Map.of());
            if (!s.sessions().containsKey(m.sessionId())) {
                if (!sessionGone(m.sessionId())) {
                    violation("session " + m.sessionId() + " vanished without a delete");
                }
                continue;
            }
            long inTranscript = s.messagesOf(m.sessionId()).stream()
                    .filter(x -> x.role().equals("user") && x.content().equals(m.content())).count();
            boolean waiting = s.queued().getOrDefault(m.sessionId(), List.of()).contains(m.content());
            if (inTranscript > 1 || inTranscript == 1 && waiting) {
                violation("accepted message " + StoreInvariants.abbreviate(m.content()) + " is in session "
                        + m.sessionId() + " " + inTranscript + " times" + (waiting ? " and still queued" : ""));
            } else if (inTranscript == 0 && !waiting && !editedAfter(m)) {
                violation("accepted message " + StoreInvariants.abbreviate(m.content()) + " (answered "
                        + (m.queued() ? "202" : "200") + " at " + m.answeredAt() + " ms) is missing from session "
                        + m.sessionId());
            } else if (waiting && quiescent) {
                violation("queued message " + StoreInvariants.abbreviate(m.content()) + " never started");
            }
        }
    }

    /** An edit answered after the message was sent may have replaced it. */
    private boolean editedAfter(Ledger.Accepted m) {
        return ledger.edits.stream().anyMatch(e -> e.sessionId().equals(m.sessionId()) && e.answeredAt() > m.sentAt());
    }

    private void turnExists(String turn, String session) {
        if (!s.turns().containsKey(turn) && !sessionGone(session) && s.sessions().containsKey(session)) {
            violation("turn " + turn + " was answered 200 but is not in the store");
        }
    }

    private void endedAs(String turn, String state, String why) {
        TurnRow t = s.turns().get(turn);
        if (t != null && !t.state().equals(state)) {
            violation("turn " + turn + " ended " + t.state() + " though " + why + " (" + state + ")");
        }
    }

    private void subscriberRun(SseRun.Result r) {
        if (r.status() != 200) {
            if (r.status() == 404 && s.turns().containsKey(r.turnId())) {
                violation("subscribe to " + r.turnId() + " answered 404 though the turn exists");
            }
            return;
        }
        String where = "subscriber of " + r.turnId() + " (cursor " + r.cursor().kind() + " after "
                + r.cursor().expectedAfter() + ")";
        List<SseRun.Frame> frames = r.frames();
        if (!sequence(where, r, frames)) {
            return;
        }
        List<EventRow> journal = s.turns().containsKey(r.turnId()) ? s.eventsOf(r.turnId()) : null;
        if (journal != null) {
            for (SseRun.Frame f : frames) {
                EventRow e = f.seq() <= journal.size() ? journal.get((int) f.seq() - 1) : null;
                if (e == null || !e.name().equals(f.name()) || !e.data().equals(f.data())) {
                    violation(where + ": received " + f.id() + " " + f.name() + " " + StoreInvariants.abbreviate(f.data())
                            + " but the journal has " + (e == null ? "nothing" : e.name() + " "
                            + StoreInvariants.abbreviate(e.data())) + " there");
                    return;
                }
            }
        }
        ending(where, r, journal);
    }

    /** Ids of this turn, seqs consecutive from the cursor, nothing after a closing event. */
    private boolean sequence(String where, SseRun.Result r, List<SseRun.Frame> frames) {
        long expected = r.cursor().expectedAfter() + 1;
        int terminals = 0;
        for (int i = 0; i < frames.size(); i++) {
            SseRun.Frame f = frames.get(i);
            if (f.id() == null || !f.id().equals(r.turnId() + ":" + f.seq())) {
                violation(where + ": frame with id " + f.id());
                return false;
            }
            if (f.seq() != expected) {
                violation(where + ": got seq " + f.seq() + " where " + expected + " was due (seqs "
                        + frames.stream().map(SseRun.Frame::seq).toList() + ")");
                return false;
            }
            expected++;
            terminals += TERMINAL.contains(f.name()) ? 1 : 0;
            if (CLOSING.contains(f.name()) && i != frames.size() - 1) {
                violation(where + ": events after " + f.name());
                return false;
            }
        }
        if (terminals > 1) {
            violation(where + ": " + terminals + " terminal events");
        }
        return true;
    }

    /** A subscriber that stayed saw the stream end right after the journal's last (closing) event. */
    private void ending(String where, SseRun.Result r, List<EventRow> journal) {
        if (r.acrossKill()) {
            return;
        }
        if (r.outcome() == SseRun.Outcome.TIMED_OUT) {
            violation(where + ": stayed " + SseRun.TO_END.toSeconds() + " s and the stream never ended (a spinner"
                    + " forever); received " + r.frames().size() + " events");
            return;
        }
        if (r.outcome() == SseRun.Outcome.BROKEN) {
            violation(where + ": the connection broke while the server was up");
            return;
        }
        if (r.outcome() != SseRun.Outcome.ENDED_BY_SERVER) {
            return;
        }
        if (!r.frames().isEmpty() && !CLOSING.contains(r.frames().getLast().name())) {
            if (journal == null && sessionGone(r.sessionId()) && severalInstances) {
                return; // deleted through another instance: docs/api.md says its stream closes without an event
            }
            violation(where + ": the server ended the stream after " + r.frames().getLast().name()
                    + ", without a terminal event" + (journal == null ? " (the turn is gone from the store)" : ""));
            return;
        }
        if (journal == null) {
            return;
        }
        if (r.outcome() == SseRun.Outcome.ENDED_BY_SERVER && r.frames().isEmpty() && r.cursor().expectedAfter() == 0) {
            violation(where + ": the server ended the stream without sending any event");
            return;
        }
        long last = r.lastSeq();
        if (journal.isEmpty() || last != journal.getLast().seq() || !CLOSING.contains(journal.getLast().name())) {
            violation(where + ": the stream ended after seq " + last + " but the journal ends with "
                    + (journal.isEmpty() ? "nothing" : journal.getLast().seq() + " " + journal.getLast().name()));
        }
    }
}
