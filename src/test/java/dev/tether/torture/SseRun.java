package dev.tether.torture;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One subscriber connection to {@code /api/chat/stream}: opens it with a cursor, records every
 * event frame, and leaves after a while or reads to the end. What it saw is checked later against
 * the journal (gapless from the cursor, identical to the journal, ending with the terminal event).
 *
 * <p>Threading: each run reads on its own virtual thread; the calling thread waits and may close.
 */
final class SseRun {
    /** Longest a turn may take before a reader that stays to the end calls it stuck. */
    static final Duration TO_END = Duration.ofSeconds(30);

    enum Outcome { ENDED_BY_SERVER, LEFT, BROKEN, NOT_OPENED, TIMED_OUT }

    /** Where the subscriber starts: query and headers to send, and after which seq replay must begin. */
    record Cursor(String kind, String query, Map<String, String> headers, long expectedAfter) {}

    record Frame(String id, long seq, String name, String data) {}

    record Result(String turnId, String sessionId, Cursor cursor, boolean toEnd, int status, Outcome outcome,
                  List<Frame> frames, boolean acrossKill, long openedAt, long closedAt) {

        long lastSeq() {
            return frames.isEmpty() ? cursor.expectedAfter() : frames.getLast().seq();
        }

        String lastEventId() {
            return frames.isEmpty() ? null : frames.getLast().id();
        }
    }

    private final List<Frame> frames = new ArrayList<>(); // Guarded by this.
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile boolean leaving;
    private volatile boolean endedByServer;

    private SseRun() {}

    /** Subscribes; {@code readFor} null means stay until the server ends the stream. */
    static Result run(Http http, Target target, Ledger ledger, String turnId, String sessionId, Cursor cursor,
                      Duration readFor) {
        int epoch = target.epoch();
        boolean upBefore = target.isUp();
        long openedAt = Ledger.now();
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(target.baseUrl() + "/api/chat/stream?stream_id="
                + turnId + cursor.query())).header("Accept", "text/event-stream").timeout(Http.REQUEST_TIMEOUT);
        cursor.headers().forEach(b::header);
        ledger.request();
        HttpResponse<InputStream> response;
        try {
            response = http.client().send(b.GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            boolean acrossKill = !upBefore || !target.isUp() || target.epoch() != epoch;
            if (!acrossKill) {
                ledger.violation("subscribe to " + turnId + ": connection failed while the server was up: " + e);
            }
            return new Result(turnId, sessionId, cursor, readFor == null, -1, Outcome.NOT_OPENED, List.of(), true,
                    openedAt, Ledger.now());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(turnId, sessionId, cursor, readFor == null, -1, Outcome.NOT_OPENED, List.of(), true,
                    openedAt, Ledger.now());
        }
        if (response.statusCode() != 200) {
            closeQuietly(response.body());
            if (response.statusCode() != 404) { // 404: its session was deleted
                ledger.violation("subscribe to " + turnId + " answered " + response.statusCode());
            }
            return new Result(turnId, sessionId, cursor, readFor == null, response.statusCode(), Outcome.NOT_OPENED,
                    List.of(), false, openedAt, Ledger.now());
        }
        SseRun run = new SseRun();
        Outcome outcome = run.read(response.body(), readFor == null ? TO_END : readFor, readFor == null);
        boolean acrossKill = !upBefore || !target.isUp() || target.epoch() != epoch;
        List<Frame> seen = run.frames();
        seen.forEach(f -> ledger.sawSeq(turnId, f.seq()));
        return new Result(turnId, sessionId, cursor, readFor == null, 200, outcome, seen, acrossKill, openedAt,
                Ledger.now());
    }

    private Outcome read(InputStream body, Duration wait, boolean toEnd) {
        Thread reader = Thread.ofVirtual().name("torture-sse").start(() -> readFrames(body));
        boolean done;
        try {
            done = finished.await(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            done = false;
        }
        if (!done) {
            leaving = true;
            closeQuietly(body);
            try {
                reader.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return toEnd ? Outcome.TIMED_OUT : Outcome.LEFT;
        }
        return endedByServer ? Outcome.ENDED_BY_SERVER : Outcome.BROKEN;
    }

    private void readFrames(InputStream body) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            String id = null;
            String event = null;
            String data = null;
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isEmpty()) {
                    if (event != null) {
                        add(id, event, data);
                    }
                    id = null;
                    event = null;
                    data = null;
                } else if (line.startsWith("id: ")) {
                    id = line.substring(4);
                } else if (line.startsWith("event: ")) {
                    event = line.substring(7);
                } else if (line.startsWith("data: ")) {
                    data = data == null ? line.substring(6) : data + "\n" + line.substring(6);
                }
            }
            endedByServer = !leaving;
        } catch (IOException e) {
            // we left, or the connection broke (a kill)
        } finally {
            finished.countDown();
        }
    }

    private synchronized void add(String id, String event, String data) {
        long seq = -1;
        if (id != null && id.lastIndexOf(':') > 0) {
            try {
                seq = Long.parseLong(id.substring(id.lastIndexOf(':') + 1));
            } catch (NumberFormatException e) {
                seq = -1;
            }
        }
        frames.add(new Frame(id, seq, event, data));
    }

    private synchronized List<Frame> frames() {
        return List.copyOf(frames);
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException e) {
            // already closed
        }
    }
}
