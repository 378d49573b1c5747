package dev.tether.session;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Port: what may be read about sessions, transcripts, turns and their journals. Reading never
 * changes anything, so any layer may hold this port. Owner-scoped reads check the owner in the
 * query itself.
 */
public interface SessionReads {

    Optional<Session> findSession(String owner, String sessionId);

    /** Newest first, pinned on top; {@code query} (nullable) matches title or message content. */
    List<Session> listSessions(String owner, boolean includeArchived, String query);

    /**
     * {@link #listSessions(String, boolean, String)} that gives up after {@code timeLimit} with
     * {@link SearchTooSlow}; a store whose reads cannot run long may ignore the limit.
     */
    default List<Session> listSessions(String owner, boolean includeArchived, String query, Duration timeLimit) {
        return listSessions(owner, includeArchived, query);
    }

    /** What {@code owner}'s messages (content and reasoning, as UTF-8) and attachments take, in bytes. */
    long storedBytes(String owner);

    /** Up to {@code limit} messages with index below {@code before} (null: the latest), oldest first. */
    List<Message> messages(String owner, String sessionId, int limit, Integer before);

    /**
     * The session and its latest {@code limit} messages from one snapshot (see {@link Transcript});
     * empty if there is no such session of {@code owner}.
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

    /** Sessions with no active turn whose queue holds a message (left so by a clean stop). */
    List<Session> idleWithWaitingMessages();

    Counts counts();

    /** Which database this is, as /health reports it ({@code sqlite}, ...). */
    String kind();

    /** How much the store holds, for /health. */
    record Counts(long sessions, long runningTurns) {}
}
