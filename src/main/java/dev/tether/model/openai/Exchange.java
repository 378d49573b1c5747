package dev.tether.model.openai;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * One request and its response on a {@link ProviderHttp} connection: the response head, and the
 * body framed by {@code Content-Length}, chunked encoding or the end of the connection. A body read
 * to its end gives the connection back to the pool; anything else closes it.
 *
 * <p>Threading: the sending thread does everything but {@link #abort}, which any thread may call
 * (a stop or timeout): it closes the socket, which unblocks the sender wherever it waits. {@code
 * state} and {@code connection} are guarded by {@code this}; once released, an exchange no longer
 * owns its socket, so a late abort cannot close a connection another exchange now uses.
 */
final class Exchange implements AutoCloseable {
    private enum State { OPEN, RELEASED, CLOSED }

    static final int DRAIN_WAIT_MS = 100;
    static final int DRAIN_MAX_BYTES = 64 << 10;

    private final ProviderHttp http;
    private Connection connection; // guarded by this
    private State state = State.OPEN;           // guarded by this
    private boolean reusable;
    private ResponseHead head;
    private InputStream body;
    private boolean responseStarted;

    Exchange(ProviderHttp http, Connection reused) {
        this.http = http;
        this.connection = reused;
    }

    /** Opens a new connection for this exchange; an abort meanwhile closes it at once. */
    void connect() throws IOException {
        Connection c = http.open();
        synchronized (this) {
            if (state == State.OPEN) {
                connection = c;
                return;
            }
        }
        c.closeQuietly();
        throw new IOException("aborted while connecting");
    }

    /**
     * Writes the request and reads the response head; false if the connection ended before any byte.
     *
     * <p>A provider may answer before it has read the whole request, then close or reset the
     * connection, so the write fails although the answer already sits in the socket's receive
     * buffer (Linux hands out those bytes before it reports the reset). So a failed write is
     * followed by a read: an answer found there is this request's answer; without one, the write's
     * failure is what went wrong.
     */
    boolean exchange(String method, byte[] requestHead, byte[] requestBody) throws IOException {
        Connection c = connection();
        IOException sendFailure = null;
        try {
            c.out.write(requestHead);
            if (requestBody != null) {
                c.out.write(requestBody);
            }
            c.out.flush();
        } catch (IOException e) {
            if (isAborted()) {
                throw e;
            }
            sendFailure = e;
        }
        try {
            do {
                String text = readHead(c.in);
                if (text == null) {
                    if (sendFailure != null) {
                        throw sendFailure;
                    }
                    return false;
                }
                head = ResponseHead.parse(text);
            } while (head.status() >= 100 && head.status() < 200);
        } catch (IOException e) {
            if (sendFailure != null && e != sendFailure && !responseStarted) {
                sendFailure.addSuppressed(e);
                throw sendFailure;
            }
            throw e;
        }
        body = framedBody(c, method);
        if (sendFailure != null) {
            reusable = false; // the rest of the request may still be on its way
        }
        return true;
    }

    /** Whether any byte of a response arrived (a request that got none may be sent again elsewhere). */
    boolean responseStarted() {
        return responseStarted;
    }

    int status() {
        return head.status();
    }

    /** A response header by case-insensitive name (repeated field lines joined, RFC 9110), or {@code fallback}. */
    String header(String name, String fallback) {
        return head.header(name, fallback);
    }

    InputStream body() {
        return body;
    }

    synchronized boolean isAborted() {
        return state == State.CLOSED;
    }

    /** Closes the connection unless the exchange already gave it back to the pool. */
    void abort() {
        Connection c;
        synchronized (this) {
            if (state != State.OPEN) {
                return;
            }
            state = State.CLOSED;
            c = connection;
        }
        if (c != null) {
            c.closeQuietly();
        }
    }

    /**
     * The reader has all it wanted: read what is left of the body (see {@link #drainTail}) and give
     * the connection back to the pool if the provider keeps it open. Otherwise it is closed.
     */
    void reuse() {
        if (!(body instanceof FramedBody framed) || !reusable) {
            abort();
            return;
        }
        if (!framed.finished()) {
            drainTail(framed);
        }
        Connection c;
        synchronized (this) {
            if (state != State.OPEN || !framed.finished()) {
                c = null;
            } else {
                state = State.RELEASED;
                c = connection;
            }
        }
        if (c != null) {
            http.release(c);
        } else {
            abort();
        }
    }

    /** Closes the connection unless {@link #reuse} gave it back to the pool. */
    @Override
    public void close() {
        abort();
    }

    /**
     * A stream's reader stops at {@code [DONE]}, usually just before the body's last chunk: read
     * that tail, waiting at most {@link #DRAIN_WAIT_MS}, so the connection can be reused. A provider
     * that is slower than that (or still sending) loses the connection instead.
     */
    private void drainTail(FramedBody framed) {
        try {
            Connection c = connection();
            c.socket.setSoTimeout(DRAIN_WAIT_MS);
            framed.drain(DRAIN_MAX_BYTES);
            c.socket.setSoTimeout(0);
        } catch (IOException e) {
            abort();
        }
    }

    private synchronized Connection connection() throws IOException {
        if (state != State.OPEN || connection == null) {
            throw new IOException("aborted");
        }
        return connection;
    }

    /** Reads up to the blank line; null at a clean end of stream before the first byte. */
    private String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream(512);
        int matched = 0; // of "\r\n\r\n"
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                if (head.size() == 0) {
                    return null;
                }
                throw new EOFException("the provider closed the connection in the middle of the response head");
            }
            head.write(b);
            responseStarted = true;
            if (head.size() > ProviderHttp.MAX_HEAD_BYTES) {
                throw new IOException("the provider's response head is larger than "
                        + ProviderHttp.MAX_HEAD_BYTES + " bytes");
            }
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
                    ? matched + 1 : b == '\r' ? 1 : 0;
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    private InputStream framedBody(Connection c, String method) throws IOException {
        reusable = head.keepsAlive() && !head.hasConflictingFraming();
        return switch (head.framing(method)) {
            case NONE -> new FramedBody.Length(c.in, 0);
            case CHUNKED -> new FramedBody.Chunked(c.in);
            case LENGTH -> new FramedBody.Length(c.in, head.contentLength());
            case UNTIL_CLOSE -> {
                reusable = false;
                yield new FramedBody.UntilClose(c.in);
            }
        };
    }
}
