package dev.tether.store.migrate;

/**
 * The migration did not happen, for the reason the message gives in one line (a server holds the
 * data dir or the database, the target is not empty, the source is not Tether's, a row did not
 * fit); nothing was written to the target.
 */
public final class MigrationFailed extends RuntimeException {
    MigrationFailed(String message) {
        super(message);
    }

    MigrationFailed(String message, Throwable cause) {
        super(message, cause);
    }
}
