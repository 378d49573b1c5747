package dev.tether.web;

/**
 * Who is calling. Every store call is scoped by {@link #owner()}. {@code ambient} is true when the
 * browser sends the credential by itself (login cookie, or the no-login local mode): such requests
 * must prove they come from Tether's own pages (CSRF). {@code readOnly}: a read-only API token,
 * refused on every state-changing request.
 */
public record Principal(String owner, String name, boolean admin, boolean ambient, boolean readOnly) {
    /** The one user of a server bound to loopback without login. */
    public static final Principal LOCAL = new Principal("local", "local", true, true);

    public Principal(String owner, String name, boolean admin, boolean ambient) {
        this(owner, name, admin, ambient, false);
    }
}
