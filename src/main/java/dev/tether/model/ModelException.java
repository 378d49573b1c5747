package dev.tether.model;

/**
 * A provider fault, already phrased for the user: {@link #getMessage()} says what happened and
 * {@link #hint()} what to do about it. {@link #type()} is the machine code sent in {@code apperror}.
 */
public class ModelException extends Exception {
    private final String type;
    private final String hint;

    public ModelException(String type, String message, String hint) {
        super(message);
        this.type = type;
        this.hint = hint;
    }

    public ModelException(String type, String message, String hint, Throwable cause) {
        super(message, cause);
        this.type = type;
        this.hint = hint;
    }

    public String type() {
        return type;
    }

    public String hint() {
        return hint;
    }

    /** Thrown when the call ended because its {@link StopSignal} fired. */
    public static final class Stopped extends ModelException {
        public Stopped() {
            super("stopped", "The reply was stopped.", null);
        }
    }
}
