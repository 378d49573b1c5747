package dev.tether.bench;

import java.io.IOException;
import java.net.SocketTimeoutException;

/**
 * One virtual user's side of a turn over its keep-alive connection, as a browser does it:
 * {@code POST /api/chat/start}, then {@code GET /api/chat/stream} until {@code stream_end}.
 * Records into {@link TurnMetrics}; a failure is counted by kind and leaves the connection closed.
 *
 * <p>A direct client skips Tether: it posts the completion to the provider and reads its chunks
 * until {@code [DONE]}, measured the same way. That is the machine's floor (see {@link Target}).
 */
final class TurnClient {
    private static final String DIRECT_PATH = "/v1/chat/completions";

    private final int port;
    private final int readTimeoutMs;
    private final boolean direct;
    private HttpConn conn;
    /** What the current turn is doing, for naming a failure: start, stream or direct. */
    private String phase;

    TurnClient(int port, int readTimeoutMs) {
        this(port, readTimeoutMs, false);
    }

    TurnClient(int port, int readTimeoutMs, boolean direct) {
        this.port = port;
        this.readTimeoutMs = readTimeoutMs;
        this.direct = direct;
    }

    /** Connects now (before a burst fires, as a browser's connection is already open). */
    void connect() throws IOException {
        if (conn == null || !conn.reusable()) {
            conn = HttpConn.open(port, readTimeoutMs);
        }
    }

    HttpConn conn() throws IOException {
        connect();
        return conn;
    }

    /** Creates a session and returns its id. */
    String newSession(String model) throws IOException {
        String body = conn().exchange("POST", "/api/session/new", "{\"title\":\"bench\",\"model\":\"" + model + "\"}");
        if (conn.status() != 200) {
            throw new IOException("session/new answered " + conn.status() + ": " + body);
        }
        return HttpConn.jsonString(body, "session_id");
    }

    /** Runs one turn; returns its stream id, or null if it failed (counted in {@code m}). */
    String run(String sessionId, String model, int expectTokens, TurnMetrics m, boolean measured) {
        m.attempted.increment();
        phase = direct ? "direct" : "start";
        long t0 = System.nanoTime();
        try {
            connect();
            String streamId = direct ? openCompletion(model, m) : openTurn(sessionId, model, m, measured, t0);
            return streamId != null && follow(expectTokens, m, measured, t0) ? streamId : null;
        } catch (SocketTimeoutException e) {
            m.error("timeout_" + phase);
        } catch (IOException | RuntimeException e) {
            m.error("io_" + phase + ":" + e.getClass().getSimpleName());
        }
        close();
        return null;
    }

    /** Starts the turn, then asks for its stream; returns the stream id with its head read, or null (counted). */
    private String openTurn(String sessionId, String model, TurnMetrics m, boolean measured, long t0)
            throws IOException {
        conn.send("POST", "/api/chat/start", "{\"session_id\":\"" + sessionId + "\",\"message\":\"Hello bench\",\"model\":\""
                + model + "\"}", null);
        int status = conn.readHead();
        String body = conn.readBody();
        if (measured) {
            m.startLatency.add((System.nanoTime() - t0) / 1000);
        }
        if (status != 200) {
            m.error("start_http_" + status + codeOf(body));
            return null;
        }
        String streamId = HttpConn.jsonString(body, "stream_id");
        phase = "stream";
        conn.send("GET", "/api/chat/stream?stream_id=" + streamId, null, null);
        status = conn.readHead();
        if (status != 200) {
            m.error("stream_http_" + status + codeOf(conn.readBody()));
            return null;
        }
        return streamId;
    }

    /** Posts the completion to the provider itself (the floor); returns "direct" with its head read, or null. */
    private String openCompletion(String model, TurnMetrics m) throws IOException {
        conn.send("POST", DIRECT_PATH, "{\"model\":\"" + model
                + "\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hello bench\"}]}", null);
        int status = conn.readHead();
        if (status != 200) {
            m.error("direct_http_" + status);
            close();
            return null;
        }
        return "direct";
    }

    /** Reads a stream whose head was read to its end; false (counted) if it failed. */
    private boolean follow(int expectTokens, TurnMetrics m, boolean measured, long t0) throws IOException {
        Reading r = new Reading(m, measured, t0);
        if (!conn.readSse(r) || r.error != null) {
            m.error(r.error != null ? r.error : "stream_truncated");
            close();
            return false;
        }
        if (r.tokens < expectTokens) {
            m.error("missing_tokens");
            close();
            return false;
        }
        m.lastEndNanos.accumulateAndGet(System.nanoTime(), Math::max);
        if (measured) {
            m.turnTime.add((System.nanoTime() - t0) / 1000);
        }
        m.completed.increment();
        return true;
    }

    private static String codeOf(String body) {
        String code = HttpConn.jsonString(body, "code");
        return code == null ? "" : ":" + code;
    }

    void close() {
        if (conn != null) {
            conn.close();
            conn = null;
        }
    }

    /** Reads one turn's SSE events: first-token time, stamps of every token, the terminal event. */
    private static final class Reading implements HttpConn.SseListener {
        private final TurnMetrics m;
        private final boolean measured;
        private final long t0;
        int tokens;
        String error;

        Reading(TurnMetrics m, boolean measured, long t0) {
            this.m = m;
            this.measured = measured;
            this.t0 = t0;
        }

        @Override
        public boolean event(String name, byte[] buf, int from, int to) {
            switch (name) {
                case "token" -> token(buf, from, to);
                case "stream_end" -> {
                    return false;
                }
                case "message" -> { // a provider chunk (direct): its token, if any, or [DONE]
                    if (to > from && buf[from] == '[') {
                        return false;
                    }
                    token(buf, from, to);
                }
                case "apperror" -> {
                    String data = new String(buf, from, to - from, java.nio.charset.StandardCharsets.UTF_8);
                    error = "apperror:" + HttpConn.jsonString(data, "type");
                    return false;
                }
                case "cancel" -> {
                    error = "cancelled";
                    return false;
                }
                default -> { }
            }
            return true;
        }

        private void token(byte[] buf, int from, int to) {
            long now = BenchProvider.epochMicros();
            boolean inWindow = now >= m.measureFrom && now < m.measureTo;
            for (int i = from; i < to; i++) {
                if (buf[i] == '@') {
                    if (tokens == 0 && measured) { // at the first stamp: a provider's role chunk has none
                        m.ttftOverhead.add((System.nanoTime() - t0) / 1000 - m.firstTokenDelayMicros);
                    }
                    long stamp = 0;
                    int j = i + 1;
                    while (j < to && buf[j] >= '0' && buf[j] <= '9') {
                        stamp = stamp * 10 + (buf[j++] - '0');
                    }
                    tokens++;
                    m.tokens.increment();
                    if (inWindow && measured) {
                        m.relay.record(now - stamp);
                        m.windowTokens.increment();
                    }
                    i = j;
                }
            }
        }
    }
}
