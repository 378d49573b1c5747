package dev.tether.web;

import io.javalin.http.Context;
import java.io.IOException;
import java.util.concurrent.CancellationException;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.io.AbstractEndPoint;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;

/**
 * Notices a client closing a live connection while the server has nothing to write to it. Jetty
 * reads a connection only when asked, and a streaming response asks for nothing, so a closed tab
 * was found only when the next heartbeat failed to write; this asks the connection to report when
 * it becomes readable, which for an SSE client (that sends nothing after its request) means it
 * closed. Anything the client sends instead is not a request Tether could answer after the stream
 * (it would have been consumed here), so the connection is closed then too.
 *
 * <p>Threading: {@link #succeeded}/{@link #failed} run on Jetty's threads, {@link #stop} on the
 * request's; the fill interest hands the callback over, and {@code gone} runs at most once
 * (guarded by the caller, {@link OpenStreams}).
 */
final class ClientGone implements Callback {
    private static final CancellationException STOPPED = new CancellationException("stream ended");

    private final EndPoint endPoint;
    private final Runnable gone;
    private volatile boolean stopped;

    private ClientGone(EndPoint endPoint, Runnable gone) {
        this.endPoint = endPoint;
        this.gone = gone;
    }

    /** Starts watching {@code ctx}'s connection; {@code gone} runs if the client closes it. Null if it cannot be watched. */
    static ClientGone watch(Context ctx, Runnable gone) {
        ServletContextRequest request = ServletContextRequest.getServletContextRequest(ctx.req());
        if (request == null) {
            return null;
        }
        EndPoint endPoint = request.getConnectionMetaData().getConnection().getEndPoint();
        ClientGone watch = new ClientGone(endPoint, gone);
        return endPoint.tryFillInterested(watch) ? watch : null; // someone reads it already: the heartbeat finds out
    }

    @Override
    public void succeeded() {
        if (stopped) {
            return;
        }
        int read;
        try {
            read = endPoint.fill(BufferUtil.allocate(64));
        } catch (IOException e) {
            read = -1;
        }
        if (read == 0 && endPoint.tryFillInterested(this)) {
            return; // readable without data: keep watching
        }
        if (read > 0) {
            endPoint.close();
        }
        gone.run();
    }

    @Override
    public void failed(Throwable x) {
        if (x != STOPPED && !stopped) {
            gone.run();
        }
    }

    /**
     * Stops watching, before the response completes: Jetty then asks to read the connection's next
     * request itself, which it may not while this interest is registered.
     */
    void stop() {
        stopped = true;
        if (endPoint instanceof AbstractEndPoint e && e.isFillInterested()) {
            e.getFillInterest().onFail(STOPPED);
        }
    }

    @Override
    public InvocationType getInvocationType() {
        return InvocationType.NON_BLOCKING; // a non-blocking read and an interrupt
    }
}
