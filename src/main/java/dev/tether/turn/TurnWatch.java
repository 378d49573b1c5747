package dev.tether.turn;

import dev.tether.session.TurnState;
import java.time.Duration;

/**
 * What the live machinery tells whoever watches it (the metrics): a port, so that {@code turn}
 * knows no metrics library. Calls come from turn workers, the journal's flusher and any thread that
 * ends a turn; an implementation must be thread-safe and must not block.
 */
public interface TurnWatch {

    /** A turn's worker began (a start, a queued message promoted, a recovery's restart). */
    void started();

    /** The first text or reasoning of a turn, {@code wait} after it was reserved. */
    void firstToken(Duration wait);

    /** A turn ended in {@code state} after {@code lasted}, having logged {@code events} events in all. */
    void ended(TurnState state, Duration lasted, long events);

    /** The provider refused or broke a turn; {@code type} is the error's type (e.g. {@code rate_limited}). */
    void providerFailed(String type);

    /** One journal pass wrote {@code events} events in {@code took}. */
    void journalFlushed(int events, Duration took);

    /** Watches nothing. */
    TurnWatch NONE = new TurnWatch() {
        @Override
        public void started() {}

        @Override
        public void firstToken(Duration wait) {}

        @Override
        public void ended(TurnState state, Duration lasted, long events) {}

        @Override
        public void providerFailed(String type) {}

        @Override
        public void journalFlushed(int events, Duration took) {}
    };
}
