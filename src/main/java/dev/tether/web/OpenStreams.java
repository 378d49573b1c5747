package dev.tether.web;

import io.javalin.http.Context;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * The live connections (SSE) that are open now, by whose they are: each holds one of its user's
 * stream slots ({@link RequestLimits#openStream}), and ends when its login ends. Logout ends the
 * streams opened with that login cookie; disabling a user or resetting their password ends all of
 * the user's (their logins and tokens are gone, so no stream of theirs may go on); a client that
 * closes the connection ends its stream at once ({@link ClientGone}), not at the next heartbeat. A
 * stream is ended by interrupting the request thread that writes it: the thread waits for events
 * in an interruptible wait, returns, and so closes the response and frees its slot.
 *
 * <p>Threading: a concurrent set of entries; each entry is immutable, and interrupting a thread
 * is safe from any thread.
 */
public final class OpenStreams {
    private final RequestLimits limits;
    private final int perUser;
    private final Set<Entry> open = ConcurrentHashMap.newKeySet();

    public OpenStreams(RequestLimits limits, int perUser) {
        this.limits = limits;
        this.perUser = perUser;
    }

    /** One open stream: whose, the login cookie it came with (null for a token or local mode), its thread. */
    private record Entry(String owner, String login, Thread thread) {}

    /**
     * Takes a stream slot of {@code who} for the calling (request) thread; 429 when none is left.
     * Close the handle when the stream ends, however it ends.
     */
    public Handle open(Context ctx, Principal who) {
        Runnable release = limits.openStream(who.owner(), perUser);
        Entry entry = new Entry(who.owner(), who.ambient() ? ctx.cookie(Gate.COOKIE) : null, Thread.currentThread());
        open.add(entry);
        ClientGone watch = ClientGone.watch(ctx, () -> end(e -> e == entry));
        return () -> {
            if (watch != null) {
                watch.stop();
            }
            open.remove(entry);
            release.run();
        };
    }

    /** Ends the streams opened with this login cookie (logout). */
    public void endLogin(String loginCookie) {
        if (loginCookie != null) {
            end(e -> loginCookie.equals(e.login()));
        }
    }

    /** Ends the streams of {@code owner}'s logins whose cookie {@code which} accepts (a login ended from another). */
    public void endLogins(String owner, Predicate<String> which) {
        end(e -> owner.equals(e.owner()) && e.login() != null && which.test(e.login()));
    }

    /** Ends every stream of {@code owner} (disabled, or their password reset). */
    public void endUser(String owner) {
        end(e -> owner.equals(e.owner()));
    }

    private void end(Predicate<Entry> which) {
        for (Entry e : open) {
            if (which.test(e) && open.remove(e)) { // removed once: a stream that ended meanwhile is not interrupted
                e.thread().interrupt();
            }
        }
    }

    /** Frees a stream's slot (closed once, when the stream ends). */
    @FunctionalInterface
    public interface Handle extends AutoCloseable {
        @Override
        void close();
    }
}
