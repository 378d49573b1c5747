package dev.tether.tool;

/** What happens when the model calls a tool: run it at once, ask the user first, or refuse it. */
public enum ToolPolicy {
    AUTO, ASK, DENY;

    public String wire() {
        return name().toLowerCase();
    }

    /** The policy {@code wire} names, or null for anything else. */
    static ToolPolicy named(String wire) {
        for (ToolPolicy p : values()) {
            if (p.wire().equals(wire)) {
                return p;
            }
        }
        return null;
    }

    /** Without a configured policy: a tool its server marks read-only runs, any other asks. */
    static ToolPolicy byDefault(boolean readOnly) {
        return readOnly ? AUTO : ASK;
    }
}
