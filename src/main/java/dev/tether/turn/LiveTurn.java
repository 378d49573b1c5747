package dev.tether.turn;

import dev.tether.model.ModelDelta;
import dev.tether.model.StopSignal;
import dev.tether.session.EventPayloads;
import dev.tether.session.Fence;
import dev.tether.session.Turn;
import dev.tether.session.TurnEnding;
import dev.tether.session.TurnEvent;
import java.util.List;

/**
 * A turn running in this process: its {@link TurnLog}, the signal that stops its model call, and
 * the reply accumulated so far (what a stop or failure writes back).
 *
 * <p>Threading: the worker calls {@link #accept}; any thread may {@link #seal}. Both are
 * synchronized on this object so a sealed reply contains exactly the text of the logged events.
 * Guarded by {@code this}: {@code text}, {@code reasoning}, {@code usageJson}.
 */
final class LiveTurn {
    final String turnId;
    final TurnLog log;
    final StopSignal stop = new StopSignal();
    /** When this turn was reserved ({@link System#nanoTime}): its time to first token and its duration count from here. */
    final long reservedAt = System.nanoTime();

    private final StringBuilder text = new StringBuilder();
    private final StringBuilder reasoning = new StringBuilder();
    private String usageJson;
    /** Who may read this turn without asking the store; null until the store has started it (a reservation proves nothing). */
    private volatile String owner;
    /** The fence the store's turn row carries: the worker's writes land only while it holds. */
    private volatile Fence fence;
    /** The session the store started it in, for the line its ending logs; null until then. */
    private volatile String sessionId;

    LiveTurn(String turnId) {
        this.turnId = turnId;
        this.log = new TurnLog(turnId);
    }

    /** Logs one model delta; false once the turn is ending (the caller should stop). */
    synchronized boolean accept(ModelDelta delta) {
        return switch (delta) {
            case ModelDelta.Text t -> log.append("token", EventPayloads.text(t.text())) && append(text, t.text());
            case ModelDelta.Reasoning r -> log.append("reasoning", EventPayloads.text(r.text())) && append(reasoning, r.text());
            case ModelDelta.ToolCall c -> log.append("tool", EventPayloads.tool(c.id(), c.name(), c.arguments()));
            case ModelDelta.ToolResult r -> log.append("tool_complete",
                    EventPayloads.toolComplete(r.id(), r.name(), r.result(), r.isError(), r.durationMs()));
            case ModelDelta.Usage u -> {
                String json = EventPayloads.usage(u.inputTokens(), u.outputTokens());
                boolean ok = log.append("usage", json);
                if (ok) {
                    usageJson = json;
                }
                yield ok;
            }
        };
    }

    /** Logs that the model called a tool of {@code server} (null: no server has it); false once the turn is ending. */
    synchronized boolean toolCalled(ModelDelta.ToolCall call, String name, String server) {
        return log.append("tool", EventPayloads.tool(call.id(), name, call.arguments(), server));
    }

    private static boolean append(StringBuilder sb, String s) {
        sb.append(s);
        return true;
    }

    /** Records that the store started this turn as {@code row}; from now on it proves the turn exists. */
    void started(Turn row) {
        this.fence = row.fence();
        this.sessionId = row.sessionId();
        this.owner = row.owner();
    }

    String sessionId() {
        return sessionId;
    }

    /** The fence of the worker's writes; null until started, or for a turn started without one. */
    Fence fence() {
        return fence;
    }

    /** True once the store started this turn (a reservation may still be refused). */
    boolean isStarted() {
        return owner != null;
    }

    /** True once the store started this turn for {@code who}. */
    boolean readableBy(String who) {
        String o = owner;
        return o != null && o.equals(who);
    }

    /** Seals the log; null if another caller is already ending this turn. Caller holds log.flushLock. */
    synchronized Sealed seal() {
        List<TurnEvent> pending = log.seal();
        return pending == null ? null : new Sealed(pending, text.toString(), reasoning.toString(), usageJson);
    }

    synchronized String usageJson() {
        return usageJson;
    }

    /** What the log held when it was sealed. */
    record Sealed(List<TurnEvent> pending, String text, String reasoning, String usageJson) {
        TurnEnding.Reply reply(String error, String hint) {
            return new TurnEnding.Reply(text, reasoning, usageJson, error, hint);
        }
    }

    /**
     * Lets go of a turn that this process no longer runs (ended elsewhere, or this instance was
     * fenced): stops the worker and closes the log without events, so readers go on in the journal.
     * False if an ending here got to it first. Caller holds log.flushLock.
     */
    boolean release() {
        if (seal() == null) {
            return false;
        }
        stop.fire();
        log.abandon();
        return true;
    }
}
