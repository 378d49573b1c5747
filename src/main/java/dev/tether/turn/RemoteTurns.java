package dev.tether.turn;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;

/**
 * The tails of turns that subscribers here follow while another instance runs them, by turn id;
 * wake-ups from the other instances go to them. A tail no one read for a minute is forgotten (a
 * reader still waiting keeps its own reference; the next read makes a new one).
 *
 * <p>Threading: a concurrent cache; tails have their own locking.
 */
public final class RemoteTurns {
    private final Cache<String, RemoteTail> tails = Caffeine.newBuilder()
            .expireAfterAccess(Duration.ofMinutes(1)).maximumSize(100_000).build();

    RemoteTail tail(String turnId) {
        return tails.get(turnId, id -> new RemoteTail());
    }

    /** A wake-up: turn {@code turnId}'s journal holds its events up to {@code seq}. */
    public void heard(String turnId, long seq, boolean ended) {
        RemoteTail tail = tails.getIfPresent(turnId);
        if (tail != null) {
            tail.heard(seq, ended);
        }
    }

    /** Wake-ups may have been lost: every tail fetches on its next read. */
    public void pokeAll() {
        tails.asMap().values().forEach(RemoteTail::poke);
    }
}
