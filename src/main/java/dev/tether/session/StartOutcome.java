package dev.tether.session;

/** What a start did. Routes map each case to HTTP in one switch. */
public sealed interface StartOutcome {

    /** The user message is durable and {@code turn} is the session's active turn. */
    record Started(Turn turn, Session session) implements StartOutcome {}

    /** The same client_message_id was seen before: the earlier answer, nothing new written. */
    record Duplicate(Turn turn, Session session) implements StartOutcome {}

    /** A turn was running; the message waits durably at {@code position} (1 = next). */
    record Queued(QueuedMessage message, int position) implements StartOutcome {}

    /** The same client_message_id is already waiting in the queue. */
    record AlreadyQueued(QueuedMessage message, int position) implements StartOutcome {}

    record TurnActive(String activeTurn) implements StartOutcome {}

    /** The caller's view of the transcript is out of date (another tab changed it). */
    record StaleView(int messageCount, String reason) implements StartOutcome {}

    /** The reply a regenerate named is not the last reply any more (a stale Retry): nothing changed. */
    record NotLastReply(int messageCount, String reason) implements StartOutcome {}

    /** The request does not fit the transcript (e.g. nothing to regenerate). */
    record Rejected(String reason) implements StartOutcome {}

    record SessionGone() implements StartOutcome {}
}
