package dev.tether.session;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The rows of one store transaction, as the lifecycle's rules ({@link Transitions}) see them: plain
 * reads and writes plus the compare-and-sets every state change goes through. It holds no policy:
 * what to read, check and write, and in which order, is decided by the rules. A store implements
 * this once per transaction ({@link SessionStore#transact}); nothing here outlives it.
 */
public interface SessionRecords {

    // ---- reads inside the transaction ----

    Optional<Session> session(String owner, String sessionId);

    /** A turn by id, whoever owns it. */
    Optional<Turn> turn(String turnId);

    /** The turn started by {@code clientMessageId} in this session, if any. */
    Optional<Turn> turnOfMessage(String sessionId, String clientMessageId);

    /** The queued message with {@code clientMessageId} in this session, if any. */
    Optional<QueuedMessage> queuedOfMessage(String sessionId, String clientMessageId);

    /** 1-based place of {@code q} among its session's waiting messages. */
    int queuePlace(QueuedMessage q);

    /** The session's next waiting message (lowest position). */
    Optional<QueuedMessage> queueHead(String sessionId);

    /** Index of the session's last user message. */
    Optional<Integer> lastUserMessage(String sessionId);

    /** Role of the message at {@code index}. */
    Optional<String> roleAt(String sessionId, int index);

    /** Highest seq journaled for the turn, 0 if none. */
    long lastSeq(String turnId);

    /** The turn's events from the first one whose name is in {@code names} on, in order. */
    List<TurnEvent> eventsFrom(String turnId, Set<String> names);

    /**
     * The instance's current epoch, -1 if it has no row; where instances run side by side the row
     * is held against fencing until the transaction ends.
     */
    long instanceEpoch(String instanceId);

    // ---- compare-and-sets: the row count decides ----

    /**
     * Writes the session's state fields (active turn, message and turn counts, title, updated and
     * last-message instants) as {@code next} has them, only if its active turn is still
     * {@code expectedActive} (null: idle). False if it was not (or the session is gone).
     */
    boolean replaceActive(String expectedActive, Session next);

    /** Ends the turn row as {@code state} at {@code endedAt}, only if it is still running. */
    boolean endTurnRow(String turnId, TurnState state, Instant endedAt);

    /** Deletes the session with everything of it, only if its active turn is still {@code expectedActive}. */
    boolean deleteSession(String owner, String sessionId, String expectedActive);

    // ---- plain writes ----

    /** A new running turn row (the store assigns whatever keys it needs for the journal). */
    void insertTurn(Turn turn);

    void insertMessage(String sessionId, Message message);

    /** Deletes the session's messages from {@code index} on. */
    void deleteMessagesFrom(String sessionId, int index);

    /** Takes the session's next queue position (positions only grow) and stamps it updated at {@code now}. */
    long claimQueuePosition(String sessionId, Instant now);

    void insertQueued(QueuedMessage message);

    void removeQueued(String queuedId);

    /** Appends events of one turn in this transaction (the caller decided they may be written). */
    void appendEvents(String turnId, List<TurnEvent> events);
}
