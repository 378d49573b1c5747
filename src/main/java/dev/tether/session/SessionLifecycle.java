package dev.tether.session;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The only place where session and turn state changes. Every method here is one compare-and-set
 * transition in the store, and returns a sealed outcome; nothing else calls the store's
 * transition methods.
 *
 * <p>Threading: stateless apart from its collaborators; safe to call from any thread. Atomicity
 * comes from the store's conditional writes, never from locks held here.
 */
public final class SessionLifecycle {

    private final SessionStore store;
    private final RunningTurns running;
    private final SessionChanges changes;
    private final Clock clock;

    public SessionLifecycle(SessionStore store, RunningTurns running, SessionChanges changes, Clock clock) {
        this.store = store;
        this.running = running;
        this.changes = changes;
        this.clock = clock;
    }

    /**
     * Start: user message, turn row and {@code active_turn: null → T} in one transaction
     * (idempotent by client_message_id), or a durable queue entry, or the reason it can't.
     */
    public StartOutcome start(StartRequest request) {
        StartOutcome outcome = store.startTurn(request, clock.instant());
        switch (outcome) {
            case StartOutcome.Started s -> {
                changes.turnStarted(s.session(), s.turn());
                changes.sessionUpdated(s.session(), "turn_started");
            }
            case StartOutcome.Queued q -> store.findSession(request.owner(), request.sessionId())
                    .ifPresent(session -> changes.sessionUpdated(session, "queued"));
            default -> { }
        }
        return outcome;
    }

    /** Appends journal events of running turns; never changes state. */
    public void journal(List<TurnEvent> events) {
        if (!events.isEmpty()) {
            store.appendJournal(events);
        }
    }

    /**
     * End: writeback, closing events and {@code active_turn: T → null} in one transaction. A turn
     * that is no longer active writes nothing. A queued message may start in the same step.
     */
    public EndOutcome end(TurnEnding ending) {
        EndOutcome outcome = store.endTurn(ending, clock.instant());
        if (outcome instanceof EndOutcome.Ended ended) {
            ended.promoted().ifPresent(next -> changes.turnStarted(ended.session(), next));
            changes.sessionUpdated(ended.session(), "turn_ended");
        }
        return outcome;
    }

    /**
     * Clear-stale: ends turn {@code turnId} only if it is not running, by
     * {@code CAS(active_turn: turnId → null)}. If a newer turn took the session meanwhile, the
     * CAS fails and nothing changes (the founding race of SCENARIOS.md 1).
     */
    public ClearOutcome clearStale(String turnId, Supplier<TurnEnding> ending) {
        if (running.isRunning(turnId)) {
            return new ClearOutcome.StillRunning();
        }
        Optional<Turn> turn = store.findTurn(null, turnId);
        if (turn.isEmpty() || turn.get().state().isTerminal()) {
            return new ClearOutcome.NotActive();
        }
        return switch (end(ending.get())) {
            case EndOutcome.Ended ended -> new ClearOutcome.Cleared(ended);
            case EndOutcome.NotActive notActive -> new ClearOutcome.NotActive();
        };
    }

    /**
     * Delete: the session goes only if its active turn is still {@code expectedActive}; that turn
     * ends with {@code ending} in the same transaction, so its worker can never write it back.
     */
    public DeleteOutcome delete(String owner, String sessionId, String expectedActive, TurnEnding ending) {
        DeleteOutcome outcome = store.deleteSession(owner, sessionId, expectedActive, ending, clock.instant());
        if (outcome instanceof DeleteOutcome.Deleted) {
            changes.sessionDeleted(owner, sessionId);
        }
        return outcome;
    }

    public Optional<Session> update(String owner, String sessionId, SessionPatch patch) {
        Optional<Session> updated = store.updateSession(owner, sessionId, patch, clock.instant());
        updated.ifPresent(s -> changes.sessionUpdated(s, "updated"));
        return updated;
    }

    public Session create(String owner, String sessionId, String title, String model) {
        Session created = store.createSession(owner, sessionId, title, model, clock.instant());
        changes.sessionUpdated(created, "created");
        return created;
    }

    public Session importSession(Session session, List<Message> messages) {
        Session imported = store.importSession(session, messages);
        changes.sessionUpdated(imported, "imported");
        return imported;
    }
}
