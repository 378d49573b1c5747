package dev.tether.web;

import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * What the HTTP face tells whoever watches it (the metrics), and the page it serves them on: a
 * port, so that {@code web} knows no metrics library. Calls come from request threads; an
 * implementation must be thread-safe and must not block.
 */
public interface WebWatch {

    /** An SSE stream of {@code kind} ({@code turn}, {@code session}, {@code sidebar}, {@code shared}) opened. */
    void streamOpened(String kind);

    /** One opened by {@link #streamOpened} closed. */
    void streamClosed(String kind);

    /** Events were written to a subscriber {@code nanos} after the newest of them became durable. */
    void relayed(long nanos);

    /** A login was refused ({@code refused}: wrong name or password; {@code throttled}: too many of those). */
    void loginFailed(String reason);

    /** Jetty's server and its one connector are built (not yet started): meters of connections and threads may attach. */
    void serving(Server jetty, ServerConnector connector);

    /** The metrics page in Prometheus's text format. */
    String scrape();

    /** Watches nothing; its page is empty. */
    WebWatch NONE = new WebWatch() {
        @Override
        public void streamOpened(String kind) {}

        @Override
        public void streamClosed(String kind) {}

        @Override
        public void relayed(long nanos) {}

        @Override
        public void loginFailed(String reason) {}

        @Override
        public void serving(Server jetty, ServerConnector connector) {}

        @Override
        public String scrape() {
            return "";
        }
    };
}
