package dev.tether.turn;

/** A position in a turn log, {@code <turnId>:<seq>} on the wire. */
public record Cursor(String turnId, long seq) {

    /** Parses {@code <turn>:<seq>}; null when it is not one (the caller then replays from the start). */
    public static Cursor parse(String eventId) {
        if (eventId == null) {
            return null;
        }
        int colon = eventId.lastIndexOf(':');
        if (colon <= 0 || colon == eventId.length() - 1) {
            return null;
        }
        try {
            return new Cursor(eventId.substring(0, colon).trim(), Long.parseLong(eventId.substring(colon + 1).trim()));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return turnId + ":" + seq;
    }
}
