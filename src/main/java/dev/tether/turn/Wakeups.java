package dev.tether.turn;

import dev.tether.session.InstanceBus;
import dev.tether.session.SessionReads;
import dev.tether.session.Turn;
import java.util.List;
import java.util.Optional;

/**
 * What this instance does with the other instances' wake-ups: a turn's journal grew (its tail here
 * fetches), a turn running here was ended or deleted elsewhere (its worker stops, its readers go on
 * in the journal), a session changed (the session channels here hear of it). The bus's thread only
 * hands work on: anything that may wait (a flush lock, a read) runs on a virtual thread.
 *
 * <p>Threading: stateless apart from its collaborators, which are thread-safe.
 */
public final class Wakeups implements InstanceBus.Listener {

    /** Where a session change heard from another instance goes. */
    @FunctionalInterface
    public interface SessionHeard {
        void heard(String owner, String sessionId, String reason);
    }

    private final RemoteTurns remote;
    private final LiveTurns live;
    private final TurnEnds ends;
    private final SessionReads reads;
    private final SessionHeard sessions;

    public Wakeups(RemoteTurns remote, LiveTurns live, TurnEnds ends, SessionReads reads, SessionHeard sessions) {
        this.remote = remote;
        this.live = live;
        this.ends = ends;
        this.reads = reads;
        this.sessions = sessions;
    }

    @Override
    public void journaled(String turnId, long seq, boolean ended) {
        remote.heard(turnId, seq, ended);
        if (ended && live.isRunning(turnId)) {
            Thread.ofVirtual().start(() -> ends.endedElsewhere(turnId));
        }
    }

    @Override
    public void sessionChanged(String owner, String sessionId, String reason) {
        Thread.ofVirtual().start(() -> sessions.heard(owner, sessionId, reason));
    }

    /** Lost wake-ups: every tail fetches again, and every turn running here is checked against the store. */
    @Override
    public void missed() {
        remote.pokeAll();
        List<String> running = live.all().stream().filter(LiveTurn::isStarted).map(t -> t.turnId).toList();
        Thread.ofVirtual().start(() -> {
            for (String turnId : running) {
                Optional<Turn> row = reads.findTurn(null, turnId);
                if (row.isEmpty() || row.get().state().isTerminal()) {
                    ends.endedElsewhere(turnId);
                }
            }
        });
    }
}
