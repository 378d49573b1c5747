package dev.tether.web;

/** Who is calling. Every store call is scoped by {@link #owner()}. */
public record Principal(String owner) {
    /** The one user of a server bound to loopback without login. */
    public static final Principal LOCAL = new Principal("local");
}
