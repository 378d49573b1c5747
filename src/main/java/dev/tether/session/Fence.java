package dev.tether.session;

/**
 * A fencing token: the instance that runs a turn's worker and that instance's epoch when the turn
 * started. The worker's writes (journal rows, its ending) land only while the instance's row still
 * holds this epoch; fencing a dead instance bumps it, so an instance that was paused past its lease
 * and comes back writes nothing.
 */
public record Fence(String instance, long epoch) {}
