package dev.tether.turn;

import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The turns running in this process, by id: a cache derived from the store's truth. An entry is
 * reserved before the turn can become active (so a cancel can always find a running turn) and
 * dropped after its closing events are durable and published.
 *
 * <p>Threading: a concurrent map; entries are {@link LiveTurn}s with their own locking.
 */
public final class LiveTurns {
    private final ConcurrentHashMap<String, LiveTurn> byId = new ConcurrentHashMap<>();

    LiveTurn reserve(String turnId) {
        LiveTurn live = new LiveTurn(turnId);
        if (byId.putIfAbsent(turnId, live) != null) {
            throw new IllegalStateException("turn id reused: " + turnId);
        }
        return live;
    }

    void drop(String turnId) {
        byId.remove(turnId);
    }

    Optional<LiveTurn> find(String turnId) {
        return Optional.ofNullable(byId.get(turnId));
    }

    Collection<LiveTurn> all() {
        return byId.values();
    }

    public int size() {
        return byId.size();
    }

    public boolean isRunning(String turnId) {
        return byId.containsKey(turnId);
    }
}
