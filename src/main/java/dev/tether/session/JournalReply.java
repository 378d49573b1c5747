package dev.tether.session;

import java.util.List;

/** A turn's reply as its journal tells it: the text of its tokens, of its reasoning, and its last usage. */
final class JournalReply {
    private JournalReply() {}

    static TurnEnding.Reply of(List<TurnEvent> events, String error, String hint) {
        StringBuilder text = new StringBuilder();
        StringBuilder reasoning = new StringBuilder();
        String usage = null;
        for (TurnEvent e : events) {
            switch (e.name()) {
                case "token" -> text.append(EventPayloads.textOf(e));
                case "reasoning" -> reasoning.append(EventPayloads.textOf(e));
                case "usage" -> usage = e.json();
                default -> { }
            }
        }
        return new TurnEnding.Reply(text.toString(), reasoning.toString(), usage, error, hint);
    }
}
