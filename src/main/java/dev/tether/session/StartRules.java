package dev.tether.session;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What a start may do, decided inside one store transaction: a repeated client_message_id gets the
 * earlier answer, a stale view or a Retry of a reply that is no longer the last is refused, a running turn means 409 or the queue, and otherwise
 * the transcript is prepared and the turn activated by compare-and-set. Also used for the head of
 * the queue when an ending promotes it.
 */
final class StartRules {
    static final String STALE_VIEW = "the conversation changed since you loaded it; reload and try again";
    static final String NOT_LAST_REPLY = "that reply is no longer the last one, so it cannot be replaced; reload to see the latest";

    private StartRules() {}

    static StartOutcome start(SessionRecords rows, StartRequest r, Fence runner, Instant now) {
        Optional<Session> found = rows.session(r.owner(), r.sessionId());
        if (found.isEmpty()) {
            return new StartOutcome.SessionGone();
        }
        Session session = found.get();
        Instant at = session.stampAfter(now);
        if (r.clientMessageId() != null) {
            Optional<StartOutcome> seen = seenBefore(rows, session, r.clientMessageId());
            if (seen.isPresent()) {
                return seen.get();
            }
        }
        if (r.expectedMessageCount() != null && r.expectedMessageCount() != session.messageCount()) {
            return new StartOutcome.StaleView(session.messageCount(), STALE_VIEW);
        }
        if (r.kind() instanceof StartRequest.Kind.Regenerate(Integer reply) && reply != null
                && !isLastReply(rows, session, reply)) {
            return new StartOutcome.NotLastReply(session.messageCount(), NOT_LAST_REPLY);
        }
        if (session.activeTurn() != null) {
            return r.kind() instanceof StartRequest.Kind.SendOrQueue
                    ? enqueue(rows, session, r, at)
                    : new StartOutcome.TurnActive(session.activeTurn());
        }
        Optional<Session> prepared = prepareTranscript(rows, session, r, at);
        if (prepared.isEmpty()) {
            return new StartOutcome.Rejected(r.kind() instanceof StartRequest.Kind.Regenerate
                    ? "there is no user message to answer again"
                    : "edit_index must point at a user message");
        }
        String model = r.model() != null ? r.model() : session.model();
        return activate(rows, prepared.get(), r.turnId(), r.clientMessageId(), model, runner, at);
    }

    /**
     * CAS {@code active_turn: null → turnId}, writing the row as {@code next} has it (its last
     * message is the user message to answer), then the turn row. The caller read the session in
     * this transaction and found it idle, so the CAS cannot lose; if it does, the store broke its
     * contract and the transaction must not commit. {@code runner} (nullable) is the fence the turn
     * row carries: the instance that runs its worker.
     */
    static StartOutcome.Started activate(SessionRecords rows, Session next, String turnId, String clientMessageId,
                                         String model, Fence runner, Instant at) {
        Session started = next.started(turnId, at);
        if (!rows.replaceActive(null, started)) {
            throw new IllegalStateException("active_turn of " + next.id() + " changed inside a transaction");
        }
        Turn turn = new Turn(turnId, next.id(), next.owner(), TurnState.RUNNING, clientMessageId,
                next.messageCount() - 1, model, at, null, runner);
        rows.insertTurn(turn);
        return new StartOutcome.Started(turn, started);
    }

    /** True when {@code reply} is the reply a regenerate would replace: right after the last user message, and present. */
    private static boolean isLastReply(SessionRecords rows, Session s, int reply) {
        return reply < s.messageCount() && rows.lastUserMessage(s.id()).map(user -> user + 1 == reply).orElse(false);
    }

    /** Writes the messages so the transcript ends in the user message to answer; empty if the kind does not fit. */
    private static Optional<Session> prepareTranscript(SessionRecords rows, Session s, StartRequest r, Instant at) {
        return switch (r.kind()) {
            case StartRequest.Kind.Send k -> Optional.of(appendUser(rows, s, r.content(), r.attachments(), at));
            case StartRequest.Kind.SendOrQueue k -> Optional.of(appendUser(rows, s, r.content(), r.attachments(), at));
            case StartRequest.Kind.Regenerate k -> rows.lastUserMessage(s.id())
                    .map(lastUser -> truncate(rows, s, lastUser + 1, at));
            case StartRequest.Kind.Edit k -> rows.roleAt(s.id(), k.index()).filter(Message.USER::equals)
                    .map(user -> appendUser(rows, truncate(rows, s, k.index(), at), r.content(), r.attachments(), at));
        };
    }

    /** Appends a user message; returns the session as that leaves it (its row is written by the activation). */
    static Session appendUser(SessionRecords rows, Session s, String content, List<String> attachments, Instant at) {
        int index = s.messageCount();
        String text = content == null ? "" : content;
        rows.insertMessage(s.id(), new Message(index, Message.USER, text, null, null, null, null, attachments, null, at));
        return s.changed(s.activeTurn(), index + 1, s.titleWith(index, text), at, at);
    }

    /** Deletes the messages from {@code fromIndex} on; returns the session as that leaves it. */
    private static Session truncate(SessionRecords rows, Session s, int fromIndex, Instant at) {
        rows.deleteMessagesFrom(s.id(), fromIndex);
        return s.changed(s.activeTurn(), fromIndex, s.title(), at, s.lastMessageAt());
    }

    private static Optional<StartOutcome> seenBefore(SessionRecords rows, Session s, String clientMessageId) {
        Optional<Turn> turn = rows.turnOfMessage(s.id(), clientMessageId);
        if (turn.isPresent()) {
            return Optional.of(new StartOutcome.Duplicate(turn.get(), s));
        }
        return rows.queuedOfMessage(s.id(), clientMessageId)
                .map(q -> new StartOutcome.AlreadyQueued(q, rows.queuePlace(q)));
    }

    private static StartOutcome enqueue(SessionRecords rows, Session s, StartRequest r, Instant at) {
        long position = rows.claimQueuePosition(s.id(), at);
        QueuedMessage q = new QueuedMessage(TimeOrderedId.next(), s.id(), position,
                r.content() == null ? "" : r.content(), r.model() != null ? r.model() : s.model(),
                r.clientMessageId(), r.attachments(), at);
        rows.insertQueued(q);
        return new StartOutcome.Queued(q, rows.queuePlace(q));
    }
}
