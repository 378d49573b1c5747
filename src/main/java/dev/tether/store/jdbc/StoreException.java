package dev.tether.store.jdbc;

/** A database failure no caller can repair; surfaces as a 503/500 answer, never as a wrong one. */
public final class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
