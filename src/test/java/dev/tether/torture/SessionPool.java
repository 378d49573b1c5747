package dev.tether.torture;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The small set of sessions every client works on (so they collide), and the turns started on
 * them recently (so clients subscribe to and cancel each other's turns). A deleted session's slot
 * is refilled with a new session by the client that deleted it.
 *
 * <p>Threading: slots are an atomic array; the recent-turn ring is guarded by {@code this}.
 */
final class SessionPool {
    static final int RECENT = 64;

    /** A turn some client started, with the session it belongs to. */
    record TurnRef(String turnId, String sessionId) {}

    private final AtomicReferenceArray<String> slots;
    private final List<TurnRef> recent = new ArrayList<>(); // Guarded by this.

    SessionPool(List<String> sessionIds) {
        slots = new AtomicReferenceArray<>(sessionIds.toArray(String[]::new));
    }

    String pick(Random random) {
        return slots.get(random.nextInt(slots.length()));
    }

    int size() {
        return slots.length();
    }

    String at(int slot) {
        return slots.get(slot);
    }

    /** Puts {@code replacement} where {@code deleted} was, if no one did already. */
    void replace(String deleted, String replacement) {
        for (int i = 0; i < slots.length(); i++) {
            if (slots.compareAndSet(i, deleted, replacement)) {
                return;
            }
        }
    }

    boolean contains(String sessionId) {
        for (int i = 0; i < slots.length(); i++) {
            if (sessionId.equals(slots.get(i))) {
                return true;
            }
        }
        return false;
    }

    synchronized void started(String turnId, String sessionId) {
        if (recent.size() == RECENT) {
            recent.removeFirst();
        }
        recent.add(new TurnRef(turnId, sessionId));
    }

    /** A recent turn, biased to the newest (most likely still running); null before any started. */
    synchronized TurnRef recentTurn(Random random) {
        if (recent.isEmpty()) {
            return null;
        }
        int back = Math.min(recent.size() - 1, (int) Math.abs(random.nextGaussian() * 6));
        return recent.get(recent.size() - 1 - back);
    }
}
