package dev.tether.session;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What a store of sessions implements: the reads, the journal, plain edits, and transactions in
 * which {@link Transitions} decide every change of a session's or turn's state. A store brings SQL
 * (or maps), never policy: which row may change how is decided in this package.
 *
 * <p>Contract of {@link #transact}: the work runs in one transaction that commits only if it
 * returns, and steps on the same session are serialised (a single writer, or the session row
 * locked when the step reads it), so what a step read still holds when it writes. Only
 * {@link SessionLifecycle} (through {@link Transitions}) calls it.
 */
public interface SessionStore extends SessionReads, TurnJournal {

    Session createSession(String owner, String sessionId, String title, String model, Instant now);

    Optional<Session> updateSession(String owner, String sessionId, SessionPatch patch, Instant now);

    /** Writes a whole session (import) as idle; returns it. */
    Session importSession(Session session, List<Message> messages);

    /** Runs {@code work} in one transaction and returns what it returned (see the contract above). */
    <T> T transact(Transaction<T> work);

    /** A step over the rows of one transaction. */
    @FunctionalInterface
    interface Transaction<T> {
        T run(SessionRecords records);
    }
}
