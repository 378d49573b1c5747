package dev.tether.support;

import dev.tether.session.Fence;
import dev.tether.session.Message;
import dev.tether.session.QueuedMessage;
import dev.tether.session.Session;
import dev.tether.session.SessionPatch;
import dev.tether.session.SessionStore;
import dev.tether.session.Transcript;
import dev.tether.session.Turn;
import dev.tether.session.TurnEvent;
import dev.tether.session.TurnJournal.Appended;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Forwards every call to another store; tests override the calls they want to intercept. */
public class DelegatingSessionStore implements SessionStore {
    protected final SessionStore delegate;

    public DelegatingSessionStore(SessionStore delegate) {
        this.delegate = delegate;
    }

    @Override public Optional<Session> findSession(String owner, String sessionId) {
        return delegate.findSession(owner, sessionId);
    }

    @Override public List<Session> listSessions(String owner, boolean includeArchived, String query) {
        return delegate.listSessions(owner, includeArchived, query);
    }
    @Override public List<Session> listSessions(String owner, boolean includeArchived, String query,
                                                java.time.Duration timeLimit) {
        return delegate.listSessions(owner, includeArchived, query, timeLimit);
    }
    @Override public long storedBytes(String owner) {
        return delegate.storedBytes(owner);
    }

    @Override public Optional<Transcript> transcript(String owner, String sessionId, int limit) {
        return delegate.transcript(owner, sessionId, limit);
    }

    @Override public List<Message> messages(String owner, String sessionId, int limit, Integer before) {
        return delegate.messages(owner, sessionId, limit, before);
    }

    @Override public List<QueuedMessage> queued(String owner, String sessionId) {
        return delegate.queued(owner, sessionId);
    }

    @Override public Optional<Turn> findTurn(String owner, String turnId) {
        return delegate.findTurn(owner, turnId);
    }

    @Override public List<TurnEvent> journal(String turnId, long afterSeq, int limit) {
        return delegate.journal(turnId, afterSeq, limit);
    }

    @Override public long lastSeq(String turnId) {
        return delegate.lastSeq(turnId);
    }

    @Override public List<Turn> runningTurns() {
        return delegate.runningTurns();
    }

    @Override public List<Session> idleWithWaitingMessages() {
        return delegate.idleWithWaitingMessages();
    }

    @Override public Counts counts() {
        return delegate.counts();
    }

    @Override public Session createSession(String owner, String sessionId, String title, String model, Instant now) {
        return delegate.createSession(owner, sessionId, title, model, now);
    }

    @Override public Optional<Session> updateSession(String owner, String sessionId, SessionPatch patch, Instant now) {
        return delegate.updateSession(owner, sessionId, patch, now);
    }

    @Override public Session importSession(Session session, List<Message> messages) {
        return delegate.importSession(session, messages);
    }

    @Override public Appended appendJournal(List<TurnEvent> events, Fence writer) {
        return delegate.appendJournal(events, writer);
    }

    @Override public <T> T transact(Transaction<T> work) {
        return delegate.transact(work);
    }

    @Override public String kind() {
        return delegate.kind();
    }
}
