package dev.tether.support;

import dev.tether.session.StartRequest;
import dev.tether.session.TurnEnding;
import dev.tether.session.TurnEvent;
import dev.tether.session.TurnState;
import java.util.List;

/** Starts and endings as the live machinery would build them, in a few words for tests. */
public final class TurnRequests {
    private TurnRequests() {}

    public static StartRequest send(String owner, String sessionId, String turnId, String content) {
        return start(owner, sessionId, turnId, content, null, new StartRequest.Kind.Send(), null);
    }

    public static StartRequest send(String owner, String sessionId, String turnId, String content, String cmid) {
        return start(owner, sessionId, turnId, content, cmid, new StartRequest.Kind.Send(), null);
    }

    public static StartRequest sendOrQueue(String owner, String sessionId, String turnId, String content,
                                           String cmid) {
        return start(owner, sessionId, turnId, content, cmid, new StartRequest.Kind.SendOrQueue(), null);
    }

    public static StartRequest regenerate(String owner, String sessionId, String turnId) {
        return start(owner, sessionId, turnId, null, null, new StartRequest.Kind.Regenerate(), null);
    }

    public static StartRequest edit(String owner, String sessionId, String turnId, int index, String content) {
        return start(owner, sessionId, turnId, content, null, new StartRequest.Kind.Edit(index), null);
    }

    public static StartRequest start(String owner, String sessionId, String turnId, String content, String cmid,
                                     StartRequest.Kind kind, Integer expectedMessageCount) {
        return new StartRequest(owner, sessionId, turnId, content, null, cmid, List.of(), kind,
                expectedMessageCount);
    }

    /** Completed with {@code text}, closing with {@code done} then {@code stream_end}. */
    public static TurnEnding completed(String turnId, String text) {
        return ending(turnId, TurnState.COMPLETED, text, List.of(), null);
    }

    /** Ends in {@code state}; the terminal event is named for it (done, cancel or apperror). */
    public static TurnEnding ending(String turnId, TurnState state, String text, List<TurnEvent> pending,
                                    String nextTurnId) {
        return new TurnEnding(turnId, state, new TurnEnding.Reply(text, "", null,
                state == TurnState.FAILED || state == TurnState.INTERRUPTED ? "it broke" : null),
                pending, closing(state), nextTurnId);
    }

    public static TurnEnding.ClosingEvents closing(TurnState state) {
        return session -> switch (state) {
            case COMPLETED -> List.of(new TurnEnding.Draft("done", "{\"messages\":" + session.messageCount() + "}"),
                    new TurnEnding.Draft("stream_end", "{}"));
            case CANCELLED -> List.of(new TurnEnding.Draft("cancel", "{}"));
            default -> List.of(new TurnEnding.Draft("apperror", "{\"type\":\"" + state.wire() + "\"}"));
        };
    }

    public static TurnEvent token(String turnId, long seq, String text) {
        return new TurnEvent(turnId, seq, "token", "{\"text\":\"" + text + "\"}");
    }
}
