package dev.tether.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * Writes the paced tokens of every stream of the bench provider from one platform thread, each when
 * it is due, one write per token. A virtual thread per stream sleeping between tokens cost the
 * provider about 12 µs of CPU per token at 50,000 tokens/s (a timer wake-up, a carrier wake-up and
 * a mount per token): a third of this two-core machine, taken from the server it measures. Here a
 * token costs its write.
 *
 * <p>Threading: {@link #pace} may be called from any thread (new streams go through
 * {@code arrivals}); everything else runs on the pacer thread, which alone touches {@code due}
 * and the streams' outputs until it completes their futures.
 */
final class TokenPacer implements AutoCloseable {
    private final ConcurrentLinkedQueue<Stream> arrivals = new ConcurrentLinkedQueue<>();
    private final PriorityQueue<Stream> due = new PriorityQueue<>((a, b) -> Long.compare(a.nextDue, b.nextDue));
    private final Thread thread = Thread.ofPlatform().daemon().name("provider-pacer").start(this::loop);
    private final byte[] buffer = new byte[512];
    private volatile boolean closed;

    /**
     * Writes token {@code i} of {@code tokens} at {@code first + i * interval} nanos ({@link System#nanoTime()}
     * clock) to {@code out}, then the closing chunks. The future completes when the stream is written
     * (or failed); until then the caller must not touch {@code out}.
     */
    CompletableFuture<Void> pace(OutputStream out, int tokens, long first, long interval) {
        Stream s = new Stream(out, tokens, first, interval);
        arrivals.add(s);
        LockSupport.unpark(thread);
        return s.written;
    }

    private void loop() {
        while (!closed) {
            for (Stream s = arrivals.poll(); s != null; s = arrivals.poll()) {
                due.add(s);
            }
            Stream next = due.peek();
            long wait = next == null ? Long.MAX_VALUE : next.nextDue - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(this, Math.min(wait, 1_000_000_000L));
                continue;
            }
            due.poll();
            if (writeNext(next)) {
                due.add(next);
            }
        }
    }

    /** Stops the thread; streams still pacing are left unfinished (their clients see the connection close). */
    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(thread);
    }

    /** Writes the stream's next token; true if more are to come. */
    private boolean writeNext(Stream s) {
        try {
            s.out.write(buffer, 0, token(s.sent));
            s.out.flush();
            s.sent++;
            if (s.sent < s.tokens) {
                s.nextDue = s.first + s.sent * s.interval;
                return true;
            }
            BenchProvider.close(s.out, s.tokens);
            s.written.complete(null);
        } catch (IOException | RuntimeException e) {
            s.written.completeExceptionally(e);
        }
        return false;
    }

    /** Token {@code i}'s chunk, as {@link BenchProvider} writes it, in {@code buffer}; returns its length. */
    private int token(int i) {
        byte[] data = ("data: " + BenchProvider.tokenData(i) + "\n\n").getBytes(StandardCharsets.UTF_8);
        byte[] size = (Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(size, 0, buffer, 0, size.length);
        System.arraycopy(data, 0, buffer, size.length, data.length);
        int end = size.length + data.length;
        buffer[end] = '\r';
        buffer[end + 1] = '\n';
        return end + 2;
    }

    /** One stream's progress. */
    private static final class Stream {
        final OutputStream out;
        final int tokens;
        final long first;
        final long interval;
        final CompletableFuture<Void> written = new CompletableFuture<>();
        int sent;
        long nextDue;

        Stream(OutputStream out, int tokens, long first, long interval) {
            this.out = out;
            this.tokens = tokens;
            this.first = first;
            this.interval = interval;
            this.nextDue = first;
        }
    }
}
