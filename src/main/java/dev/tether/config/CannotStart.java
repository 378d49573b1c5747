package dev.tether.config;

/**
 * The start is refused for a reason outside the settings' own validity: the data dir belongs to
 * another process, the port is taken. The message is one line for the operator, printed without a
 * stack trace, and says what to do.
 */
public class CannotStart extends RuntimeException {
    public CannotStart(String message) {
        super(message);
    }

    public CannotStart(String message, Throwable cause) {
        super(message, cause);
    }
}
