package dev.tether.store.postgres;

import dev.tether.session.InstanceBus;
import dev.tether.session.TurnEvent;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The wake-ups of one transaction that wrote journal rows, ended turns or deleted sessions: for each
 * turn, the last seq written and whether it ended. Sent with {@code pg_notify} inside that
 * transaction, so PostgreSQL delivers them exactly when the rows become visible (never before, and
 * not at all if it rolls back). Payload: entries {@code <turn>:<seq>} or {@code <turn>:<seq>:e}
 * separated by spaces, split below PostgreSQL's payload limit.
 *
 * <p>Threading: one per transaction, on that transaction's thread.
 */
final class TurnNotices {
    static final String CHANNEL = "tether_turns";
    /** PostgreSQL refuses payloads of 8000 bytes or more; ids and seqs are ASCII. */
    private static final int MAX_PAYLOAD = 7900;

    private record Mark(long seq, boolean ended) {}

    private final Map<String, Mark> byTurn = new LinkedHashMap<>();

    /** Notes events written for their turns. */
    void wrote(List<TurnEvent> events) {
        for (TurnEvent e : events) {
            Mark m = byTurn.get(e.turnId());
            byTurn.put(e.turnId(), new Mark(Math.max(e.seq(), m == null ? 0 : m.seq()),
                    e.isTerminal() || (m != null && m.ended())));
        }
    }

    /** Notes a turn that ended with its session (no journal rows remain). */
    void gone(String turnId) {
        byTurn.put(turnId, new Mark(0, true));
    }

    /** Sends what was noted, in the caller's transaction. */
    void send(JdbcNotify notify) throws SQLException {
        for (String payload : payloads()) {
            notify.send(CHANNEL, payload);
        }
    }

    List<String> payloads() {
        List<String> out = new ArrayList<>();
        StringBuilder p = new StringBuilder();
        byTurn.forEach((turn, mark) -> {
            String entry = turn + ":" + mark.seq() + (mark.ended() ? ":e" : "");
            if (p.length() + entry.length() + 1 > MAX_PAYLOAD) {
                out.add(p.toString());
                p.setLength(0);
            }
            if (!p.isEmpty()) {
                p.append(' ');
            }
            p.append(entry);
        });
        if (!p.isEmpty()) {
            out.add(p.toString());
        }
        return out;
    }

    /** Hands each entry of a received payload to {@code listener}; malformed entries are skipped. */
    static void deliver(String payload, InstanceBus.Listener listener) {
        for (String entry : payload.split(" ")) {
            String[] parts = entry.split(":");
            if (parts.length < 2) {
                continue;
            }
            try {
                listener.journaled(parts[0], Long.parseLong(parts[1]), parts.length > 2 && parts[2].equals("e"));
            } catch (NumberFormatException ignored) {
                // not ours: someone else notified on the channel
            }
        }
    }

    /** How a notification is sent inside a transaction. */
    @FunctionalInterface
    interface JdbcNotify {
        void send(String channel, String payload) throws SQLException;
    }
}
