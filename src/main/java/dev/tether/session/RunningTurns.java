package dev.tether.session;

/** Port: whether a turn's worker is alive in this process (the live machinery answers). */
@FunctionalInterface
public interface RunningTurns {
    boolean isRunning(String turnId);
}
