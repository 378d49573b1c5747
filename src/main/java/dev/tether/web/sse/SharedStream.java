package dev.tether.web.sse;

import dev.tether.session.TurnEvent;
import dev.tether.turn.Cursor;
import dev.tether.turn.TurnReader;
import dev.tether.web.WebWatch;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * One SSE connection carrying several feeds at once (GET /api/events): the sidebar, some session
 * channels and some turns, so a browser needs one connection per origin however many tabs it has
 * open (HTTP/1.1 allows six). Feed events arrive through {@link #feed()}; each turn is read by a
 * pump thread of its own from its cursor, and everything is written by the connection's thread.
 *
 * <p>Threading: pumps and feed listeners only put into the queue; the connection thread alone
 * writes. Turn pumps wait for room (a long replay is paced by the client, not dropped); feed
 * events never wait: when the queue is full the connection closes and the client reconnects
 * with its cursors, as a single feed does.
 */
public final class SharedStream {
    static final int QUEUE = 1024;

    /** {@code durableAt}: for a turn's event, when it became durable (0: a feed event or a replay). */
    private record Frame(String id, String name, String json, long durableAt) {
        Frame(String id, String name, String json) {
            this(id, name, json, 0);
        }
    }

    private final LinkedBlockingQueue<Frame> queue = new LinkedBlockingQueue<>(QUEUE);
    private final AtomicBoolean overflowed = new AtomicBoolean();
    private final ExecutorService pumps = Executors.newVirtualThreadPerTaskExecutor();
    private final TurnReader reader;
    private final Duration heartbeat;
    private final WebWatch watch;

    public SharedStream(TurnReader reader, Duration heartbeat, WebWatch watch) {
        this.reader = reader;
        this.heartbeat = heartbeat;
        this.watch = watch;
    }

    /** Where session and sidebar listeners deliver; never blocks. */
    public Consumer<FeedEvent> feed() {
        return e -> {
            if (!queue.offer(new Frame(null, e.name(), e.json()))) {
                overflowed.set(true);
            }
        };
    }

    /**
     * Follows turn {@code turnId} from {@code cursor} (null: from its start) until its closing
     * event; a turn that ended with nothing after the cursor sends {@code stream_gone}.
     */
    public void follow(String turnId, Cursor cursor) {
        pumps.execute(() -> {
            try {
                long after = reader.startAfter(turnId, cursor);
                while (true) {
                    TurnReader.Batch batch = reader.next(turnId, after, heartbeat);
                    if (batch.finished()) {
                        queue.put(new Frame(null, "stream_gone", FeedEvent.turnGone("stream_gone", turnId).json()));
                        return;
                    }
                    for (TurnEvent e : batch.events()) {
                        queue.put(new Frame(e.eventId(), e.name(), e.json(), batch.durableAt()));
                        after = e.seq();
                        if (e.closesStream()) {
                            return;
                        }
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // the connection ended
            }
        });
    }

    /**
     * Writes the opening frames, then everything queued until the client goes or the queue
     * overflows; a heartbeat comment goes out when nothing did for a while. Stops the pumps.
     */
    public void run(SseWriter sse, List<FeedEvent> opening) throws IOException, InterruptedException {
        try {
            for (FeedEvent e : opening) {
                sse.event(null, e.name(), e.json());
            }
            sse.flush();
            List<Frame> batch = new ArrayList<>();
            while (!overflowed.get()) {
                Frame first = queue.poll(heartbeat.toMillis(), TimeUnit.MILLISECONDS);
                if (first == null) {
                    sse.comment("heartbeat");
                } else {
                    batch.add(first);
                    queue.drainTo(batch, 256); // one flush for what has piled up
                    long newest = 0;
                    for (Frame f : batch) {
                        sse.event(f.id(), f.name(), f.json());
                        newest = Math.max(newest, f.durableAt());
                    }
                    batch.clear();
                    sse.flush();
                    if (newest != 0) {
                        watch.relayed(System.nanoTime() - newest);
                    }
                    continue;
                }
                sse.flush();
            }
        } finally {
            pumps.shutdownNow();
        }
    }
}
