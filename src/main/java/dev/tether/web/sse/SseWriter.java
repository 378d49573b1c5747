package dev.tether.web.sse;

import io.javalin.http.Context;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes one SSE response on the request's own (virtual) thread: {@code id}, {@code event},
 * one-line {@code data}, and {@code : heartbeat} comments. A failed write means the client is
 * gone; Jetty's idle timeout bounds a write that blocks on a dead connection.
 *
 * <p>Threading: confined to the request thread.
 */
public final class SseWriter {
    static final int SMALL_JETTY_BUFFER = 1024;

    private final OutputStream out;

    private SseWriter(OutputStream out) {
        this.out = out;
    }

    /** Commits the SSE headers and returns a writer for the body. */
    public static SseWriter open(Context ctx) throws IOException {
        ctx.status(200);
        ctx.res().setContentType("text/event-stream;charset=utf-8");
        ctx.header("Cache-Control", "no-cache");
        ctx.header("X-Accel-Buffering", "no");
        // Jetty's own aggregation buffer (32 KiB by default, pooled direct memory) would stay with
        // every idle subscriber; SseWriter already batches, so Jetty needs only a small one.
        ctx.res().setBufferSize(SMALL_JETTY_BUFFER);
        // The default size grows from 512 bytes to 8 KiB as needed: an idle subscriber holds 512
        // bytes, not a fixed 16 KiB (10,000 idle subscribers: 160 MiB less heap).
        SseWriter writer = new SseWriter(new BufferedOutputStream(ctx.res().getOutputStream()));
        writer.comment("connected");
        writer.flush();
        return writer;
    }

    public void event(String id, String name, String json) throws IOException {
        StringBuilder sb = new StringBuilder(json.length() + 64);
        if (id != null) {
            sb.append("id: ").append(id).append('\n');
        }
        sb.append("event: ").append(name).append('\n');
        sb.append("data: ").append(json).append("\n\n");
        out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    public void comment(String text) throws IOException {
        out.write((": " + text + "\n\n").getBytes(StandardCharsets.UTF_8));
    }

    public void flush() throws IOException {
        out.flush();
    }
}
