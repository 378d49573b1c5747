package dev.tether.session;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The port through which sessions, transcripts, turns and turn journals are kept.
 *
 * <p>Every method that changes a session's or a turn's state is one atomic transaction whose write
 * is conditional on the state it expects (compare-and-set on {@code active_turn} and turn state).
 * Only {@link SessionLifecycle} calls those methods. Reads and transitions are always scoped by
 * owner where a caller's identity applies; the owner check lives in the query itself.
 */
public interface SessionStore {

    // ---- reads ----

    Optional<Session> findSession(String owner, String sessionId);

    /** Newest first, pinned on top; {@code query} (nullable) matches title or message content. */
    List<Session> listSessions(String owner, boolean includeArchived, String query);

    /** Up to {@code limit} messages with index below {@code before} (null: the latest), oldest first. */
    List<Message> messages(String owner, String sessionId, int limit, Integer before);

    /**
     * The session and its latest {@code limit} messages, the session row read first (see
     * {@link Transcript}); empty if there is no such session of {@code owner}.
     */
    Optional<Transcript> transcript(String owner, String sessionId, int limit);

    List<QueuedMessage> queued(String owner, String sessionId);

    /** A turn by id; {@code owner} null means any owner (internal use: recovery, streams). */
    Optional<Turn> findTurn(String owner, String turnId);

    /** Journal events with seq greater than {@code afterSeq}, in order, at most {@code limit}. */
    List<TurnEvent> journal(String turnId, long afterSeq, int limit);

    /** Highest journaled seq of a turn, 0 if none. */
    long lastSeq(String turnId);

    List<Turn> runningTurns();

    Counts counts();

    record Counts(long sessions, long runningTurns) {}

    // ---- plain writes (no turn state involved) ----

    Session createSession(String owner, String sessionId, String title, String model, Instant now);

    Optional<Session> updateSession(String owner, String sessionId, SessionPatch patch, Instant now);

    /** Writes a whole session (import) as idle; returns it. */
    Session importSession(Session session, List<Message> messages);

    /** Appends journal events of running turns (batched across turns, one transaction). */
    void appendJournal(List<TurnEvent> events);

    // ---- transitions: only SessionLifecycle calls these ----

    /** CAS {@code active_turn: null → turnId} with the user message and turn row, or an outcome saying why not. */
    StartOutcome startTurn(StartRequest request, Instant now);

    /**
     * CAS {@code active_turn: turnId → null} with the writeback, pending journal and closing events;
     * then, in the same transaction, starts the session's next queued message if there is one.
     */
    EndOutcome endTurn(TurnEnding ending, Instant now);

    /**
     * Deletes a session if its active turn is still {@code expectedActive} (null: idle), ending
     * that turn with {@code ending} in the same transaction.
     */
    DeleteOutcome deleteSession(String owner, String sessionId, String expectedActive,
                                TurnEnding ending, Instant now);
}
