package dev.tether.turn;

import dev.tether.session.EventPayloads;
import dev.tether.session.SessionReads;
import dev.tether.session.TurnEnding;
import dev.tether.session.TurnEvent;
import java.util.List;

/**
 * Builds the ending of a turn that is not running in this process (crash leftovers, stale turns):
 * its reply is rebuilt from the journal, since no worker holds it in memory.
 */
final class DetachedEnding {
    private static final int PAGE = 2000;

    private DetachedEnding() {}

    static TurnEnding of(SessionReads store, String turnId, EndReason why, String nextTurnId) {
        StringBuilder text = new StringBuilder();
        StringBuilder reasoning = new StringBuilder();
        String usage = null;
        long after = 0;
        while (true) {
            List<TurnEvent> page = store.journal(turnId, after, PAGE);
            for (TurnEvent e : page) {
                switch (e.name()) {
                    case "token" -> text.append(EventPayloads.textOf(e));
                    case "reasoning" -> reasoning.append(EventPayloads.textOf(e));
                    case "usage" -> usage = e.json();
                    default -> { }
                }
            }
            if (page.size() < PAGE) {
                break;
            }
            after = page.getLast().seq();
        }
        return new TurnEnding(turnId, why.state(),
                new TurnEnding.Reply(text.toString(), reasoning.toString(), usage, why.error(), why.hint()), List.of(),
                why.closing(), nextTurnId);
    }
}
