package dev.tether.session;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The lifecycle's rules: every change of a session's active turn or a turn's state, each decided
 * in one store transaction over {@link SessionRecords} and written by compare-and-set. A store only
 * executes what is decided here. Instants are kept to the millisecond, so the rows a transition
 * computes (rather than reads back) are what a later read returns.
 *
 * <p>Threading: stateless; atomicity comes from {@link SessionStore#transact}.
 */
public final class Transitions {

    private final SessionStore store;

    public Transitions(SessionStore store) {
        this.store = store;
    }

    /** A start whose turn carries no fence (a store used without instances). */
    public StartOutcome start(StartRequest request, Instant now) {
        return start(request, null, now);
    }

    /** An ending without a runner fence for the turn it may promote. */
    public EndOutcome end(TurnEnding ending, Instant now) {
        return end(ending, null, now);
    }

    /** As {@link #startWaiting(String, String, String, Fence, Instant)}, with no fence on the turn. */
    public Optional<StartOutcome.Started> startWaiting(String owner, String sessionId, String turnId, Instant now) {
        return startWaiting(owner, sessionId, turnId, null, now);
    }

    /**
     * A user message and turn row with {@code active_turn: null → T}, a queue entry, or why not (see
     * {@link StartRules}). {@code runner}: the fence of the instance that will run the turn's worker.
     */
    public StartOutcome start(StartRequest request, Fence runner, Instant now) {
        Instant at = now.truncatedTo(ChronoUnit.MILLIS);
        return store.transact(rows -> StartRules.start(rows, request, runner, at));
    }

    /**
     * The end: {@code active_turn: T → null} with the turn's reply, its last journal events and its
     * closing events; then, in the same transaction, the session's next queued message starts as
     * {@code ending.nextTurnId()}, run by {@code runner}. A turn that is no longer active writes
     * nothing, and neither does a worker's own ending whose fence no longer holds.
     */
    public EndOutcome end(TurnEnding ending, Fence runner, Instant now) {
        Instant stamp = now.truncatedTo(ChronoUnit.MILLIS);
        return store.transact(rows -> {
            Optional<Turn> found = rows.turn(ending.turnId());
            if (found.isEmpty()) {
                return new EndOutcome.NotActive(List.of());
            }
            Turn turn = found.get();
            if (turn.state().isTerminal()) {
                return new EndOutcome.NotActive(rows.eventsFrom(turn.id(), TurnEvent.TERMINAL));
            }
            if (ending.writer() != null && !holds(rows, turn, ending.writer())) {
                return new EndOutcome.NotActive(List.of()); // fenced: the instance that took over ends it
            }
            Optional<Session> session = rows.session(turn.owner(), turn.sessionId());
            if (session.isEmpty()) {
                return new EndOutcome.NotActive(List.of());
            }
            Session s = session.get();
            Instant at = s.stampAfter(stamp);
            long[] tokens = EventPayloads.tokensOf(ending.reply().usageJson());
            Session after = s.changed(null, s.messageCount() + 1, s.title(), at, at).plusTokens(tokens[0], tokens[1]);
            if (!rows.replaceActive(turn.id(), after)) {
                return new EndOutcome.NotActive(List.of());
            }
            rows.endTurnRow(turn.id(), ending.state(), at);
            rows.appendEvents(turn.id(), ending.pending());
            TurnEnding.Reply r = ending.reply().fromJournal()
                    ? JournalReply.of(rows.events(turn.id()), ending.reply().error(), ending.reply().hint()) : ending.reply();
            rows.insertMessage(s.id(), reply(turn, ending.state(), r, s.messageCount(), at));
            List<TurnEvent> closing = numbered(turn.id(), rows.lastSeq(turn.id()), ending.closing().after(after));
            rows.appendEvents(turn.id(), closing);
            Optional<StartOutcome.Started> promoted = promoteQueued(rows, after, ending.nextTurnId(), runner, at);
            return new EndOutcome.Ended(closing, promoted.map(StartOutcome.Started::session).orElse(after),
                    promoted.map(StartOutcome.Started::turn));
        });
    }

    /**
     * Deletes a session if its active turn is still {@code expectedActive} (null: idle); that turn
     * ends with {@code ending} in the same transaction (its closing events are numbered for the live
     * log only: the journal goes with the session).
     */
    public DeleteOutcome delete(String owner, String sessionId, String expectedActive, TurnEnding ending) {
        return store.transact(rows -> {
            Optional<Session> found = rows.session(owner, sessionId);
            if (found.isEmpty()) {
                return new DeleteOutcome.NotFound();
            }
            if (!Objects.equals(found.get().activeTurn(), expectedActive)) {
                return new DeleteOutcome.ActiveChanged(found.get().activeTurn());
            }
            List<TurnEvent> closing = List.of();
            if (expectedActive != null && ending != null) {
                long last = Math.max(rows.lastSeq(expectedActive),
                        ending.pending().isEmpty() ? 0 : ending.pending().getLast().seq());
                closing = numbered(expectedActive, last, ending.closing().after(found.get()));
            }
            return rows.deleteSession(owner, sessionId, expectedActive)
                    ? new DeleteOutcome.Deleted(closing) : new DeleteOutcome.ActiveChanged(null);
        });
    }

    /**
     * Starts the head of an idle session's queue as turn {@code turnId} (a clean stop leaves the
     * queue waiting for the next start); empty if the session is gone, busy, or has nothing waiting.
     */
    public Optional<StartOutcome.Started> startWaiting(String owner, String sessionId, String turnId, Fence runner,
                                                       Instant now) {
        Instant stamp = now.truncatedTo(ChronoUnit.MILLIS);
        return store.transact(rows -> rows.session(owner, sessionId)
                .filter(s -> s.activeTurn() == null)
                .flatMap(s -> promoteQueued(rows, s, turnId, runner, s.stampAfter(stamp))));
    }

    /**
     * True while {@code writer} may write for {@code turn}: the turn carries that fence and the
     * instance's row still holds its epoch (held against fencing until this transaction ends).
     */
    static boolean holds(SessionRecords rows, Turn turn, Fence writer) {
        return writer.equals(turn.fence()) && rows.instanceEpoch(writer.instance()) == writer.epoch();
    }

    /** The assistant message an ending writes: what was said so far, marked by how it ended if not completed. */
    static Message reply(Turn turn, TurnState state, TurnEnding.Reply r, int index, Instant at) {
        Message.Mark mark = Message.Mark.endedAs(state);
        String reasoning = r.reasoning() == null || r.reasoning().isEmpty() ? null : r.reasoning();
        return new Message(index, Message.ASSISTANT, r.text() == null ? "" : r.text(), reasoning, mark, r.error(),
                r.hint(), r.usageJson(), List.of(), turn.id(), at);
    }

    /** Starts the head of the session's queue as the next active turn, in the caller's transaction. */
    private static Optional<StartOutcome.Started> promoteQueued(SessionRecords rows, Session s, String nextTurnId,
                                                                Fence runner, Instant at) {
        if (nextTurnId == null) {
            return Optional.empty();
        }
        return rows.queueHead(s.id()).map(q -> {
            rows.removeQueued(q.id());
            Session next = StartRules.appendUser(rows, s, q.content(), q.attachments(), at);
            return StartRules.activate(rows, next, nextTurnId, q.clientMessageId(), q.model(), runner, at);
        });
    }

    private static List<TurnEvent> numbered(String turnId, long lastSeq, List<TurnEnding.Draft> drafts) {
        List<TurnEvent> out = new ArrayList<>(drafts.size());
        long seq = lastSeq;
        for (TurnEnding.Draft d : drafts) {
            out.add(new TurnEvent(turnId, ++seq, d.name(), d.json()));
        }
        return out;
    }
}
