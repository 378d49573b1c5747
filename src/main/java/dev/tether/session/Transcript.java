package dev.tether.session;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A session and its latest messages, as one snapshot saw them (a store must read both at one
 * commit). Any change to the transcript comes with a turn's start (see {@link Session#turnCount}),
 * so {@link #historyOf} can tell whether these messages are still the history of a turn whose start
 * was decided after the read.
 */
public record Transcript(Session session, List<Message> messages) {

    public Transcript {
        messages = List.copyOf(messages);
    }

    /**
     * The started turn's whole history from this read ({@code user} is its user message as the
     * start wrote it), or empty if the read cannot prove it is that:
     * <ul>
     *   <li>read before the start was decided: the session was idle, the user message went right
     *       after these messages, and exactly one turn (this one) started since; a turn that ended
     *       since must have started since, too;
     *   <li>read after: the session already showed this turn running, so these messages end in its
     *       user message, and only this turn can change them (if it ends meanwhile, its sealed log
     *       takes nothing more, and a provider call whose stop already fired sends nothing).
     * </ul>
     */
    public Optional<List<Message>> historyOf(StartOutcome.Started started, Message user) {
        Turn turn = started.turn();
        if (!messages.isEmpty() && messages.getLast().index() != session.messageCount() - 1) {
            return Optional.empty(); // not the messages the row counts: the proof below needs those
        }
        if (turn.id().equals(session.activeTurn()) && session.messageCount() == turn.userMessageIndex() + 1) {
            return Optional.of(messages);
        }
        if (session.activeTurn() == null && session.messageCount() == turn.userMessageIndex()
                && started.session().turnCount() == session.turnCount() + 1) {
            List<Message> history = new ArrayList<>(messages.size() + 1);
            history.addAll(messages);
            history.add(user);
            return Optional.of(history);
        }
        return Optional.empty();
    }
}
