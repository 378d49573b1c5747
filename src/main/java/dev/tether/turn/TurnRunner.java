package dev.tether.turn;

import dev.tether.model.ChatModel;
import dev.tether.model.ModelCatalog;
import dev.tether.model.ModelException;
import dev.tether.model.ModelRequest;
import dev.tether.session.AttachmentStore;
import dev.tether.session.ClearOutcome;
import dev.tether.session.DeleteOutcome;
import dev.tether.session.EndOutcome;
import dev.tether.session.Message;
import dev.tether.session.SessionLifecycle;
import dev.tether.session.SessionStore;
import dev.tether.session.StartOutcome;
import dev.tether.session.StartRequest;
import dev.tether.session.TimeOrderedId;
import dev.tether.session.Transcript;
import dev.tether.session.Turn;
import dev.tether.session.TurnEnding;
import dev.tether.session.TurnState;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs turns: starts them, streams each on its own virtual thread, and ends them. Every ending of
 * a live turn goes through {@link #end}, where sealing the turn's log decides who ends it; the
 * lifecycle's compare-and-set decides whether the ending is still allowed to write.
 *
 * <p>Threading: stateless apart from {@link LiveTurns}; safe from any thread.
 */
public final class TurnRunner {
    private static final Logger LOG = LoggerFactory.getLogger(TurnRunner.class);
    private static final int MAX_HISTORY = 10_000;

    private final SessionLifecycle lifecycle;
    private final SessionStore store;
    private final AttachmentStore attachments;
    private final LiveTurns live;
    private final ModelCatalog models;
    private final JournalFlusher journal;

    /** {@code journal} is told of every event a worker logs, so that a pass makes it durable soon. */
    public TurnRunner(SessionLifecycle lifecycle, SessionStore store, AttachmentStore attachments, LiveTurns live,
                      ModelCatalog models, JournalFlusher journal) {
        this.lifecycle = lifecycle;
        this.store = store;
        this.attachments = attachments;
        this.live = live;
        this.models = models;
        this.journal = journal;
    }

    /**
     * Starts a turn: reserve it here, compare-and-set it active in the store, then run it. A send's
     * worker starts at once and reads the history while the store decides (see {@link #runAhead}).
     */
    public StartOutcome start(StartRequest request) {
        LiveTurn reserved = live.reserve(request.turnId());
        boolean ahead = request.kind() instanceof StartRequest.Kind.Send
                || request.kind() instanceof StartRequest.Kind.SendOrQueue;
        CompletableFuture<StartOutcome.Started> decided = new CompletableFuture<>(); // null: not started
        if (ahead) {
            Thread.ofVirtual().name("turn-" + request.turnId()).start(() -> runAhead(reserved, request, decided));
        }
        StartOutcome outcome = null;
        try {
            outcome = lifecycle.start(request);
        } finally { // also when the store failed: a worker waiting ahead must learn it is not started
            StartOutcome.Started started = outcome instanceof StartOutcome.Started s ? s : null;
            if (started == null) {
                live.drop(request.turnId());
            }
            if (ahead) {
                if (started != null) {
                    reserved.started(started.turn().owner()); // before start() returns, as launch does
                }
                decided.complete(started);
            } else if (started != null) {
                launch(reserved, started.turn(), null);
            }
        }
        return outcome;
    }

    private void launch(LiveTurn turn, Turn row, ModelRequest history) {
        turn.started(row.owner());
        Thread.ofVirtual().name("turn-" + row.id()).start(() -> run(turn, row, history));
    }

    /**
     * A send's worker, started before the store decides the start: it reads the transcript
     * meanwhile, so once the start is admitted the model call goes out without another trip to the
     * store (on a burst of starts that trip queued behind all of them). The history read is used
     * only if it provably is this turn's ({@link Transcript#historyOf}); otherwise it is read again.
     * If the start is refused, the worker ends having written nothing.
     */
    private void runAhead(LiveTurn turn, StartRequest request, CompletableFuture<StartOutcome.Started> decided) {
        Optional<Transcript> read;
        try {
            read = store.transcript(request.owner(), request.sessionId(), MAX_HISTORY);
        } catch (RuntimeException e) {
            read = Optional.empty(); // the ordinary read after the start reports what is wrong
        }
        StartOutcome.Started started = decided.join();
        if (started == null) {
            return;
        }
        Turn row = started.turn();
        String content = request.content() == null ? "" : request.content(); // as the store writes it
        Message user = new Message(row.userMessageIndex(), Message.USER, content, null, null, null, null,
                request.attachments(), null, row.startedAt());
        ModelRequest history = read.flatMap(t -> t.historyOf(started, user))
                .map(messages -> request(row, messages.subList(Math.max(0, messages.size() - MAX_HISTORY),
                        messages.size())))
                .orElse(null);
        run(turn, row, history);
    }

    /**
     * The life of one turn, top to bottom: history → model stream → completed, or failed.
     * {@code history} is null when it is still to be read.
     */
    private void run(LiveTurn turn, Turn row, ModelRequest history) {
        try {
            ChatModel model = models.find(row.model()).orElseThrow(() -> new ModelException("model_not_found",
                    "The model '" + row.model() + "' is not available on this server.",
                    "Pick another model; /api/models lists the available ones."));
            ModelRequest request = history != null ? history : history(row);
            model.stream(request, delta -> {
                if (!turn.accept(delta)) {
                    turn.stop.fire();
                } else {
                    journal.appended();
                }
            }, turn.stop);
            end(turn, TurnState.COMPLETED, EventJson.done(turn.usageJson()), null);
        } catch (ModelException.Stopped stopped) {
            // Whoever fired the stop is ending (or has ended) the turn.
        } catch (ModelException e) {
            end(turn, TurnState.FAILED, EventJson.appError(e.getMessage(), e.type(), e.hint(), "retry"),
                    e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("turn {} failed unexpectedly", row.id(), e);
            String message = "Tether hit an internal error while writing this reply.";
            end(turn, TurnState.FAILED, EventJson.appError(message, "internal", "Retry the reply.", "retry"), message);
        }
    }

    private ModelRequest history(Turn row) {
        return request(row, store.messages(row.owner(), row.sessionId(), MAX_HISTORY, row.userMessageIndex() + 1));
    }

    private ModelRequest request(Turn row, List<Message> messages) {
        List<ModelRequest.ChatMessage> chat = new ArrayList<>(messages.size());
        for (Message m : messages) {
            String content = m.content() + AttachedFiles.describe(attachments, row.owner(), m.attachments());
            if (!content.isEmpty()) {
                chat.add(new ModelRequest.ChatMessage(m.role(), content));
            }
        }
        return new ModelRequest(row.model(), chat);
    }

    /**
     * Ends a live turn. Sealing its log under the flush lock makes this caller the only one ending
     * it, with every event not yet durable; the lifecycle then writes the ending by CAS. Returns
     * empty if another caller is ending it.
     */
    Optional<EndOutcome> end(LiveTurn turn, TurnState state, TurnEnding.ClosingEvents closing, String error) {
        String nextId = TimeOrderedId.next();
        LiveTurn next = live.reserve(nextId);
        boolean nextLaunched = false;
        turn.log.flushLock.lock();
        try {
            LiveTurn.Sealed sealed = turn.seal();
            if (sealed == null) {
                return Optional.empty();
            }
            turn.stop.fire();
            EndOutcome outcome;
            try {
                outcome = lifecycle.end(new TurnEnding(turn.turnId, state, sealed.reply(error), sealed.pending(),
                        closing, nextId));
            } catch (RuntimeException e) {
                turn.log.abandon();
                throw e;
            }
            switch (outcome) {
                case EndOutcome.Ended ended -> {
                    turn.log.close(ended.closing());
                    if (ended.promoted().isPresent()) {
                        launch(next, ended.promoted().get(), null);
                        nextLaunched = true;
                    }
                }
                // Someone else ended it; what this log held undurably was not written: readers go to the journal.
                case EndOutcome.NotActive notActive -> turn.log.abandon();
            }
            return Optional.of(outcome);
        } finally {
            turn.log.flushLock.unlock();
            live.drop(turn.turnId);
            if (!nextLaunched) {
                live.drop(nextId);
            }
        }
    }

    /**
     * Deletes a session whose active turn runs here: sealed like any ending, then the delete's CAS
     * ends the turn and removes the session in one transaction.
     */
    DeleteOutcome deleteWithLiveTurn(String owner, String sessionId, LiveTurn turn) {
        turn.log.flushLock.lock();
        try {
            LiveTurn.Sealed sealed = turn.seal();
            if (sealed == null) {
                return new DeleteOutcome.ActiveChanged(null); // someone else ended it; look again
            }
            turn.stop.fire();
            DeleteOutcome outcome = lifecycle.delete(owner, sessionId, turn.turnId,
                    new TurnEnding(turn.turnId, TurnState.CANCELLED, sealed.reply(null), sealed.pending(),
                            EventJson.cancel(), null));
            if (outcome instanceof DeleteOutcome.Deleted deleted) {
                turn.log.close(deleted.closing());
            } else {
                turn.log.abandon();
            }
            return outcome;
        } finally {
            turn.log.flushLock.unlock();
            live.drop(turn.turnId);
        }
    }

    /**
     * Ends a turn that is not running here (crash leftover or stale) by clear-stale's CAS, with the
     * reply rebuilt from its journal; starts the session's next queued message if there is one.
     */
    ClearOutcome endDetached(String turnId, TurnState state, TurnEnding.ClosingEvents closing, String error) {
        String nextId = TimeOrderedId.next();
        LiveTurn next = live.reserve(nextId);
        boolean nextLaunched = false;
        try {
            ClearOutcome outcome = lifecycle.clearStale(turnId,
                    () -> DetachedEnding.of(store, turnId, state, closing, error, nextId));
            if (outcome instanceof ClearOutcome.Cleared cleared && cleared.ended().promoted().isPresent()) {
                launch(next, cleared.ended().promoted().get(), null);
                nextLaunched = true;
            }
            return outcome;
        } finally {
            if (!nextLaunched) {
                live.drop(nextId);
            }
        }
    }

    /** Ends a turn whose process died (or that no process runs) as interrupted. */
    public ClearOutcome interrupt(String turnId) {
        return endDetached(turnId, TurnState.INTERRUPTED, EventJson.appError(DetachedEnding.INTERRUPTED_MESSAGE,
                "interrupted", DetachedEnding.INTERRUPTED_HINT, "retry"), DetachedEnding.INTERRUPTED_MESSAGE);
    }

    /**
     * Ends every turn running here as interrupted (a clean shutdown): each ending is journaled now,
     * so the next start has nothing to recover and clients see the reason at once.
     */
    public void interruptAll() {
        for (LiveTurn turn : List.copyOf(live.all())) {
            try {
                end(turn, TurnState.INTERRUPTED, EventJson.appError(DetachedEnding.INTERRUPTED_MESSAGE, "interrupted",
                        DetachedEnding.INTERRUPTED_HINT, "retry"), DetachedEnding.INTERRUPTED_MESSAGE);
            } catch (RuntimeException e) {
                LOG.warn("could not end turn {} at shutdown; the next start recovers it: {}", turn.turnId, e.toString());
            }
        }
    }

    LiveTurns live() {
        return live;
    }

    SessionLifecycle lifecycle() {
        return lifecycle;
    }

    SessionStore store() {
        return store;
    }
}
