package dev.tether.turn;

import dev.tether.model.ModelException;
import dev.tether.session.EventPayloads;
import dev.tether.session.TurnEnding;
import dev.tether.session.TurnState;

/**
 * Why a turn ends, as {@link TurnEnds} needs it: the terminal state, the closing events the
 * subscribers get, and the error and its hint written with the reply (null unless it failed or was
 * interrupted): the same words as the apperror event's, so a reloaded error card reads as the live one.
 */
record EndReason(TurnState state, TurnEnding.ClosingEvents closing, String error, String hint) {

    static final String INTERRUPTED_MESSAGE =
            "This reply was interrupted: the server stopped while it was being written.";
    static final String INTERRUPTED_HINT = "Retry to generate the reply again; the text shown so far was kept.";
    static final String INTERNAL_MESSAGE = "Tether hit an internal error while writing this reply.";
    static final String INTERNAL_HINT = "Retry the reply.";

    static EndReason completed(String usageJson) {
        return new EndReason(TurnState.COMPLETED, EventPayloads.done(usageJson), null, null);
    }

    /** The provider's fault, its text cleaned for {@code owner} ({@link ProviderText}) before anyone sees or stores it. */
    static EndReason failed(ModelException e, ProviderText text, String owner) {
        String message = text.clean(e.getMessage(), owner);
        String hint = text.clean(e.hint(), owner);
        return new EndReason(TurnState.FAILED, EventPayloads.appError(message, e.type(), hint, "retry"), message, hint);
    }

    /** A fault of Tether's own, not the model's: the reply says so, without the details (those go to the log). */
    static EndReason internalError() {
        return new EndReason(TurnState.FAILED, EventPayloads.appError(INTERNAL_MESSAGE, "internal", INTERNAL_HINT,
                "retry"), INTERNAL_MESSAGE, INTERNAL_HINT);
    }

    /** The user's Stop, or the session deleted under it. */
    static EndReason cancelled() {
        return new EndReason(TurnState.CANCELLED, EventPayloads.cancel(), null, null);
    }

    /** The server stopped (or died) while the turn ran. */
    static EndReason interrupted() {
        return new EndReason(TurnState.INTERRUPTED, EventPayloads.appError(INTERRUPTED_MESSAGE, "interrupted",
                INTERRUPTED_HINT, "retry"), INTERRUPTED_MESSAGE, INTERRUPTED_HINT);
    }
}
