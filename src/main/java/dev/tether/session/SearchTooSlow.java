package dev.tether.session;

/** A search ran out of its time limit and was stopped by the database; nothing was changed. */
public final class SearchTooSlow extends RuntimeException {
    public SearchTooSlow(Throwable cause) {
        super("the search ran out of time", cause);
    }
}
