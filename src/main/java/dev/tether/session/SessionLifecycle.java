package dev.tether.session;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Every change to sessions and turns, with its announcement once committed. The rules of each
 * transition are in {@link Transitions}; this class stamps them with the clock and tells
 * {@link SessionChanges} what happened. Nothing else changes a session.
 *
 * <p>Threading: stateless apart from its collaborators; safe to call from any thread. Atomicity
 * comes from the store's transactions, never from locks held here.
 */
public final class SessionLifecycle {

    private final SessionStore store;
    private final Transitions transitions;
    private final SessionChanges changes;
    private final Clock clock;
    private final Supplier<Fence> runner;

    /** A lifecycle whose turns carry no fence (one process, no instances registered). */
    public SessionLifecycle(SessionStore store, SessionChanges changes, Clock clock) {
        this(store, changes, clock, () -> null);
    }

    /**
     * {@code runner}: the current fence of this instance, which runs the workers of the turns this
     * lifecycle starts (a start, or the queue's head promoted by an ending).
     */
    public SessionLifecycle(SessionStore store, SessionChanges changes, Clock clock, Supplier<Fence> runner) {
        this.store = store;
        this.transitions = new Transitions(store);
        this.changes = changes;
        this.clock = clock;
        this.runner = runner;
    }

    /**
     * Start: user message, turn row and {@code active_turn: null → T} in one transaction
     * (idempotent by client_message_id), or a durable queue entry, or the reason it can't.
     */
    public StartOutcome start(StartRequest request) {
        StartOutcome outcome = transitions.start(request, runner.get(), clock.instant());
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

    /**
     * End: writeback, closing events and {@code active_turn: T → null} in one transaction. A turn
     * that is no longer active writes nothing; a stale ending (the founding race of SCENARIOS.md 1)
     * therefore fails harmlessly. A queued message may start in the same step.
     */
    public EndOutcome end(TurnEnding ending) {
        EndOutcome outcome = transitions.end(ending, runner.get(), clock.instant());
        if (outcome instanceof EndOutcome.Ended ended) {
            ended.promoted().ifPresent(next -> changes.turnStarted(ended.session(), next));
            changes.sessionUpdated(ended.session(), "turn_ended");
        }
        return outcome;
    }

    /** Starts the head of an idle session's queue as turn {@code turnId}, if there is one (see {@link Transitions#startWaiting}). */
    public Optional<StartOutcome.Started> startWaiting(String owner, String sessionId, String turnId) {
        Optional<StartOutcome.Started> started = transitions.startWaiting(owner, sessionId, turnId, runner.get(), clock.instant());
        started.ifPresent(s -> {
            changes.turnStarted(s.session(), s.turn());
            changes.sessionUpdated(s.session(), "turn_started");
        });
        return started;
    }

    /**
     * Delete: the session goes only if its active turn is still {@code expectedActive}; that turn
     * ends with {@code ending} in the same transaction, so its worker can never write it back.
     */
    public DeleteOutcome delete(String owner, String sessionId, String expectedActive, TurnEnding ending) {
        DeleteOutcome outcome = transitions.delete(owner, sessionId, expectedActive, ending);
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

    /** Import: a new idle session {@code sessionId} of {@code owner}, on {@code model}, holding the file's transcript. */
    public ImportOutcome importSession(String owner, String sessionId, SessionImport file, String model) {
        String refusal = file.refusal();
        if (refusal != null) {
            return new ImportOutcome.Refused(refusal);
        }
        Instant now = clock.instant();
        List<Message> messages = file.messages(now);
        Session imported = store.importSession(file.session(sessionId, owner, model, messages.size(), now), messages);
        changes.sessionUpdated(imported, "imported");
        return new ImportOutcome.Imported(imported);
    }
}
