package dev.tether.session;

/** A turn is running until it reaches exactly one terminal state, once. */
public enum TurnState {
    RUNNING, COMPLETED, CANCELLED, FAILED, INTERRUPTED;

    public boolean isTerminal() {
        return this != RUNNING;
    }

    public String wire() {
        return name().toLowerCase();
    }

    public static TurnState fromWire(String s) {
        return valueOf(s.toUpperCase());
    }
}
