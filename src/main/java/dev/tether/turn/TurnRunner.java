package dev.tether.turn;

import dev.tether.model.ChatModel;
import dev.tether.model.ModelCatalog;
import dev.tether.model.ModelDelta;
import dev.tether.model.ModelException;
import dev.tether.model.ModelRequest;
import dev.tether.session.AttachmentStore;
import dev.tether.session.Message;
import dev.tether.session.Session;
import dev.tether.session.SessionLifecycle;
import dev.tether.session.SessionReads;
import dev.tether.session.StartOutcome;
import dev.tether.session.StartRequest;
import dev.tether.session.Transcript;
import dev.tether.session.Turn;
import java.time.Duration;
import dev.tether.tool.McpConfig;
import dev.tether.tool.ToolBox;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs turns: starts them and streams each on its own virtual thread. Every ending goes through
 * {@link TurnEnds}, the worker's own (completed, failed) included.
 *
 * <p>Threading: stateless apart from {@link LiveTurns}; safe from any thread.
 */
public final class TurnRunner {
    private static final Logger LOG = LoggerFactory.getLogger(TurnRunner.class);
    private static final int MAX_HISTORY = 10_000;

    private final SessionLifecycle lifecycle;
    private final SessionReads store;
    private final AttachmentStore attachments;
    private final LiveTurns live;
    private final ModelCatalog models;
    private final JournalFlusher journal;
    private final TurnEnds ends;
    private final ProviderText providerText;
    private final TurnWatch watch;
    private final ToolLoop tools;

    /** As below, for a server whose provider errors carry nothing to hide. */
    public TurnRunner(SessionLifecycle lifecycle, SessionReads store, AttachmentStore attachments, LiveTurns live,
                      ModelCatalog models, JournalFlusher journal) {
        this(lifecycle, store, attachments, live, models, journal, ProviderText.NONE);
    }

    /** As below, unwatched. */
    public TurnRunner(SessionLifecycle lifecycle, SessionReads store, AttachmentStore attachments, LiveTurns live,
                      ModelCatalog models, JournalFlusher journal, ProviderText providerText) {
        this(lifecycle, store, attachments, live, models, journal, providerText, TurnWatch.NONE, ToolBox.none(), 1);
    }

    /**
     * {@code journal} is told of every event a worker logs, so that a pass makes it durable soon;
     * {@code watch} of every start, first token, provider failure and ending. A turn runs the MCP
     * tools its session enabled ({@code tools}), at most {@code maxToolSteps} rounds.
     */
    public TurnRunner(SessionLifecycle lifecycle, SessionReads store, AttachmentStore attachments, LiveTurns live,
                      ModelCatalog models, JournalFlusher journal, ProviderText providerText, TurnWatch watch,
                      ToolBox tools, int maxToolSteps) {
        this.watch = watch;
        this.tools = new ToolLoop(tools, maxToolSteps, journal);
        this.lifecycle = lifecycle;
        this.providerText = providerText;
        this.store = store;
        this.attachments = attachments;
        this.live = live;
        this.models = models;
        this.journal = journal;
        this.ends = new TurnEnds(lifecycle, store, live, (reserved, row) -> launch(reserved, row, null, null), watch);
    }

    /** The door through which the turns this runner starts end (stop, delete, recovery, shutdown). */
    public TurnEnds ends() {
        return ends;
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
                    reserved.started(started.turn()); // before start() returns, as launch does
                }
                decided.complete(started);
            } else if (started != null) {
                launch(reserved, started.turn(), null, started.session().tools());
            }
        }
        return outcome;
    }

    private void launch(LiveTurn turn, Turn row, ModelRequest history, List<String> enabled) {
        turn.started(row);
        Thread.ofVirtual().name("turn-" + row.id()).start(() -> run(turn, row, history, enabled));
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
        Message user = new Message(row.userMessageIndex(), Message.USER, content, null, null, null, null, null,
                request.attachments(), null, row.startedAt());
        ModelRequest history = read.flatMap(t -> t.historyOf(started, user))
                .map(messages -> request(row, messages.subList(Math.max(0, messages.size() - MAX_HISTORY),
                        messages.size())))
                .orElse(null);
        run(turn, row, history, started.session().tools());
    }

    /**
     * The life of one turn, top to bottom: history → model stream → completed, or failed.
     * {@code history} is null when it is still to be read.
     */
    private void run(LiveTurn turn, Turn row, ModelRequest history, List<String> enabled) {
        watch.started();
        boolean[] said = {false}; // confined to this worker, which alone calls the delta callback
        try {
            ChatModel model = models.find(row.model()).orElseThrow(() -> new ModelException("model_not_found",
                    "The model '" + row.model() + "' is not available on this server.",
                    "Pick another model; /api/models lists the available ones."));
            ModelRequest request = history != null ? history : history(row);
            tools.run(model, request, tools.offered(enabledTools(row, enabled)), turn, delta -> {
                if (!said[0] && (delta instanceof ModelDelta.Text || delta instanceof ModelDelta.Reasoning)) {
                    said[0] = true;
                    watch.firstToken(Duration.ofNanos(System.nanoTime() - turn.reservedAt));
                }
            });
            ends.end(turn, EndReason.completed(turn.usageJson()));
        } catch (ModelException.Stopped stopped) {
            // Whoever fired the stop is ending (or has ended) the turn.
        } catch (ModelException e) {
            watch.providerFailed(e.type());
            ends.end(turn, EndReason.failed(e, providerText, row.owner()));
        } catch (RuntimeException e) {
            LOG.error("turn {} failed unexpectedly", row.id(), e);
            ends.end(turn, EndReason.internalError());
        }
    }

    /**
     * The session's enabled tools: as the start read them, else read now (a queued message's turn).
     * The demo model also gets the built-in server's tools, so a new user sees the loop with no setup.
     */
    private List<String> enabledTools(Turn row, List<String> known) {
        List<String> enabled = known != null ? known
                : store.findSession(row.owner(), row.sessionId()).map(Session::tools).orElse(List.of());
        boolean demo = models.models().stream().anyMatch(m -> m.id().equals(row.model()) && m.demo());
        if (!demo) {
            return enabled;
        }
        List<String> withBuiltin = new ArrayList<>(enabled);
        withBuiltin.add(McpConfig.BUILTIN + "/*");
        return withBuiltin;
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
}
