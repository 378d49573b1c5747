package dev.tether.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The loopback hop itself: what it costs to move one paced token over TCP on this machine with the
 * leanest design Java has, and no HTTP, JSON or store. One platform thread writes token-sized
 * messages to {@code streams} connections on an absolute schedule ({@code rate} per stream per
 * second, each stamped with its due time); one thread reads all of them through a single selector.
 * Every token of a relay crosses such a hop twice (provider to server, server to client), so twice
 * this cost is a floor no server design can go below here.
 *
 * <p>Threading: the writer and the reader each own their channels' state; counters are atomic.
 */
final class Wire {
    /** About the size of one OpenAI chunk of one token on the wire (chunk header, data line, CRLF). */
    static final int MESSAGE_BYTES = 128;

    private final int streams;
    private final int rate;
    private final Histogram delay = new Histogram();
    private final AtomicLong received = new AtomicLong();
    private final AtomicBoolean stopWriting = new AtomicBoolean();
    private final AtomicBoolean stopReading = new AtomicBoolean();
    private volatile long measureFromNanos = Long.MAX_VALUE;
    private volatile long measureToNanos = Long.MAX_VALUE;

    private Wire(int streams, int rate) {
        this.streams = streams;
        this.rate = rate;
    }

    /** Runs {@code warmupS} seconds unmeasured, then {@code seconds} measured; returns the result. */
    static Map<String, Object> measure(int streams, int rate, int warmupS, int seconds) throws IOException {
        return new Wire(streams, rate).run(warmupS, seconds);
    }

    private Map<String, Object> run(int warmupS, int seconds) throws IOException {
        List<SocketChannel> near = new ArrayList<>(streams);
        List<SocketChannel> far = new ArrayList<>(streams);
        try (ServerSocketChannel listener = ServerSocketChannel.open();
             Selector selector = Selector.open()) {
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), streams);
            for (int i = 0; i < streams; i++) {
                SocketChannel c = SocketChannel.open(listener.getLocalAddress());
                c.setOption(StandardSocketOptions.TCP_NODELAY, true);
                c.configureBlocking(false);
                c.register(selector, SelectionKey.OP_READ, new Partial());
                far.add(c);
                SocketChannel s = listener.accept();
                s.setOption(StandardSocketOptions.TCP_NODELAY, true);
                near.add(s);
            }
            ThreadMXBean mx = ManagementFactory.getThreadMXBean();
            Thread writer = Thread.ofPlatform().name("wire-writer").start(() -> write(near));
            Thread reader = Thread.ofPlatform().name("wire-reader").start(() -> read(selector));
            long now = System.nanoTime();
            measureFromNanos = now + warmupS * 1_000_000_000L;
            measureToNanos = measureFromNanos + seconds * 1_000_000_000L;
            LockSupport.parkNanos(measureFromNanos - System.nanoTime());
            long writer0 = mx.getThreadCpuTime(writer.threadId());
            long reader0 = mx.getThreadCpuTime(reader.threadId());
            long got0 = received.get();
            LockSupport.parkNanos(Math.max(0, measureToNanos - System.nanoTime()));
            long writerNanos = mx.getThreadCpuTime(writer.threadId()) - writer0;
            long readerNanos = mx.getThreadCpuTime(reader.threadId()) - reader0;
            long tokens = received.get() - got0;
            stopWriting.set(true);
            join(writer); // the reader still drains, so a write that waits for room gets it
            stopReading.set(true);
            selector.wakeup();
            join(reader);
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("streams", streams);
            r.put("offered_tokens_per_s", (long) streams * rate);
            r.put("tokens_per_s", Math.round(tokens / (double) seconds));
            r.put("relay_delay", delay.summary());
            r.put("writer_cpu_s", Cpu.round(writerNanos / 1e9));
            r.put("reader_cpu_s", Cpu.round(readerNanos / 1e9));
            r.put("cpu_us_per_token_one_hop", Cpu.round((writerNanos + readerNanos) / 1000.0 / Math.max(1, tokens)));
            return r;
        } finally {
            for (SocketChannel c : near) {
                c.close();
            }
            for (SocketChannel c : far) {
                c.close();
            }
        }
    }

    /** Writes message j to stream j % streams when it is due: streams × rate messages a second in all. */
    private void write(List<SocketChannel> near) {
        long interval = 1_000_000_000L / ((long) streams * rate);
        long t0 = System.nanoTime();
        ByteBuffer message = ByteBuffer.allocateDirect(MESSAGE_BYTES);
        try {
            for (long j = 0; !stopWriting.get(); j++) {
                long due = t0 + j * interval;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                message.clear();
                message.putLong(0, due); // from its due time: a late writer counts against the hop
                SocketChannel c = near.get((int) (j % streams));
                while (message.hasRemaining()) {
                    c.write(message);
                }
            }
        } catch (IOException e) {
            if (!stopWriting.get()) {
                throw new IllegalStateException("wire write failed", e);
            }
        }
    }

    private void read(Selector selector) {
        ByteBuffer in = ByteBuffer.allocateDirect(64 << 10);
        try {
            while (!stopReading.get()) {
                selector.select();
                for (SelectionKey key : selector.selectedKeys()) {
                    SocketChannel c = (SocketChannel) key.channel();
                    in.clear();
                    if (c.read(in) > 0) {
                        in.flip();
                        ((Partial) key.attachment()).take(in);
                    }
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException e) {
            if (!stopReading.get()) {
                throw new IllegalStateException("wire read failed", e);
            }
        }
    }

    /** The part of a message a read left unfinished on one connection. Reader thread only. */
    private final class Partial {
        private final ByteBuffer bytes = ByteBuffer.allocate(MESSAGE_BYTES);

        void take(ByteBuffer in) {
            while (in.hasRemaining()) {
                int n = Math.min(bytes.remaining(), in.remaining());
                bytes.put(bytes.position(), in, in.position(), n);
                bytes.position(bytes.position() + n);
                in.position(in.position() + n);
                if (!bytes.hasRemaining()) {
                    long now = System.nanoTime();
                    long due = bytes.getLong(0);
                    bytes.clear();
                    if (now >= measureFromNanos && now < measureToNanos) {
                        delay.record((now - due) / 1000);
                        received.incrementAndGet();
                    }
                }
            }
        }
    }

    private static void join(Thread t) {
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
