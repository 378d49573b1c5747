package dev.tether.web.sse;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes one SSE response on the request's own (virtual) thread: {@code id}, {@code event},
 * one-line {@code data}, and {@code : heartbeat} comments. {@code id} and {@code event} are written
 * without CR and LF, so a value can never add a line. A failed write means the client is
 * gone; Jetty's idle timeout bounds a write that blocks on a dead connection.
 *
 * <p>Threading: confined to the request thread.
 */
public final class SseWriter {
    static final int SMALL_JETTY_BUFFER = 1024;

    private static final byte[] ID = "id: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EVENT = "event: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] COMMENT = ": ".getBytes(StandardCharsets.US_ASCII);
    /** Where a writer's buffer starts; it doubles as needed (an idle subscriber keeps only this). */
    static final int INITIAL_BUFFER = 256;
    /** A batch this large is sent before the batch ends. */
    static final int SEND_AT = 64 << 10;
    /** Larger buffers are dropped after a flush. */
    static final int KEEP_BUFFER = 16 << 10;

    private final OutputStream out;
    private byte[] buffer = new byte[INITIAL_BUFFER];
    private int count;

    SseWriter(OutputStream out) {
        this.out = out;
    }

    /** Commits the SSE headers and returns a writer for the body. */
    public static SseWriter open(Context ctx) throws IOException {
        ctx.status(200);
        ctx.res().setContentType("text/event-stream;charset=utf-8");
        ctx.header("Cache-Control", "no-cache, no-store");
        ctx.header("X-Accel-Buffering", "no");
        // Jetty's own aggregation buffer (32 KiB by default, pooled direct memory) would stay with
        // every idle subscriber; this writer batches itself, so Jetty needs only a small one.
        ctx.res().setBufferSize(SMALL_JETTY_BUFFER);
        SseWriter writer = new SseWriter(ctx.res().getOutputStream());
        writer.comment("connected");
        writer.flush();
        return writer;
    }

    /**
     * Appends one event to the batch. Written as bytes into the writer's own doubling buffer: a
     * JDK BufferedOutputStream that starts small grew by what each write needed, copying itself on
     * nearly every token (the largest single cost of relaying a token in a 2,000-stream burst).
     */
    public void event(String id, String name, String json) throws IOException {
        if (id != null) {
            field(ID, id);
        }
        field(EVENT, name);
        put(DATA);
        put(json.getBytes(StandardCharsets.UTF_8));
        put((byte) '\n');
        put((byte) '\n');
        if (count >= SEND_AT) {
            out.write(buffer, 0, count); // a long replay goes out in pieces, not all in memory
            count = 0;
        }
    }

    public void comment(String text) throws IOException {
        put(COMMENT);
        put(text.getBytes(StandardCharsets.UTF_8));
        put((byte) '\n');
        put((byte) '\n');
    }

    /** Sends the batch: one write and one flush to the connection. */
    public void flush() throws IOException {
        if (count > 0) {
            out.write(buffer, 0, count);
            count = 0;
        }
        out.flush();
        if (buffer.length > KEEP_BUFFER) {
            buffer = new byte[INITIAL_BUFFER]; // a long-lived channel does not keep a replay's buffer
        }
    }

    /**
     * Writes one {@code field: value} line. A CR or LF in the value would end the line and let the
     * rest pass as fields of its own (another id, another event), so both are dropped. The check
     * is first because values (cursors and event names) are normally clean.
     */
    private void field(byte[] field, String value) {
        put(field);
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        if (hasLineBreak(bytes)) {
            ensure(bytes.length);
            for (byte b : bytes) {
                if (b != '\r' && b != '\n') {
                    buffer[count++] = b;
                }
            }
        } else {
            put(bytes);
        }
        put((byte) '\n');
    }

    /** In UTF-8 the bytes of CR and LF stand only for themselves, never inside another character. */
    private static boolean hasLineBreak(byte[] bytes) {
        for (byte b : bytes) {
            if (b == '\r' || b == '\n') {
                return true;
            }
        }
        return false;
    }

    private void put(byte[] bytes) {
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buffer, count, bytes.length);
        count += bytes.length;
    }

    private void put(byte b) {
        ensure(1);
        buffer[count++] = b;
    }

    private void ensure(int more) {
        if (count + more > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, count + more));
        }
    }
}
