package dev.tether.turn;

import dev.tether.session.TurnEnding;
import java.util.List;

/**
 * The ending of a turn that is not running in this process (its instance died, or runs it
 * elsewhere): no worker holds its reply, so the end rule rebuilds it from the journal inside the
 * ending's transaction ({@link TurnEnding.Reply#fromJournal}).
 */
final class DetachedEnding {
    private DetachedEnding() {}

    static TurnEnding of(String turnId, EndReason why, String nextTurnId) {
        return new TurnEnding(turnId, why.state(), TurnEnding.Reply.fromJournal(why.error(), why.hint()), List.of(),
                why.closing(), nextTurnId);
    }
}
