package dev.tether.turn;

import static dev.tether.support.TurnRequests.token;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.session.TurnEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The tail of a turn another instance runs: readers share one fetch per wake-up, a reader far
 * behind reads page after page without waiting for a wake-up, and a lost wake-up costs one wait.
 */
class RemoteTailTest {
    /** Long enough that a read that waits instead of fetching would be obvious (and then answer Nothing). */
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final List<TurnEvent> journal = new ArrayList<>();
    private final AtomicInteger fetches = new AtomicInteger();

    private List<TurnEvent> fetch(long after) {
        fetches.incrementAndGet();
        synchronized (journal) {
            return journal.stream().filter(e -> e.seq() > after).limit(TurnReader.PAGE).toList();
        }
    }

    private void journal(long from, long to) {
        synchronized (journal) {
            for (long s = from; s <= to; s++) {
                journal.add(token("t1", s, "w" + s));
            }
        }
    }

    @Test
    void aReaderFarBehindReadsEveryPageWithoutWaitingForAWakeUp() throws Exception {
        journal(1, 2 * TurnReader.PAGE + 500);
        RemoteTail tail = new RemoteTail();
        long after = 0;
        while (after < 2 * TurnReader.PAGE + 500) {
            RemoteTail.Read read = tail.read(after, WAIT, this::fetch);
            assertThat(read).as("after " + after).isInstanceOf(RemoteTail.Read.Events.class);
            List<TurnEvent> events = ((RemoteTail.Read.Events) read).events();
            assertThat(events.getFirst().seq()).isEqualTo(after + 1);
            after = events.getLast().seq();
        }
        assertThat(fetches.get()).isEqualTo(3);
    }

    @Test
    void subscribersAtTheTailShareOneFetchPerWakeUp() throws Exception {
        journal(1, 10);
        RemoteTail tail = new RemoteTail();
        assertThat(tail.read(0, WAIT, this::fetch)).isInstanceOf(RemoteTail.Read.Events.class);
        int before = fetches.get();
        CountDownLatch waiting = new CountDownLatch(3);
        List<Thread> readers = new ArrayList<>();
        List<RemoteTail.Read> got = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < 3; i++) {
            readers.add(Thread.ofVirtual().start(() -> {
                waiting.countDown();
                try {
                    got.add(tail.read(10, WAIT, this::fetch));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        waiting.await();
        journal(11, 15);
        tail.heard(15, false);
        for (Thread t : readers) {
            t.join();
        }
        assertThat(got).hasSize(3).allSatisfy(r -> assertThat(((RemoteTail.Read.Events) r).events())
                .extracting(TurnEvent::seq).containsExactly(11L, 12L, 13L, 14L, 15L));
        assertThat(fetches.get() - before).as("one fetch for three readers").isEqualTo(1);
    }

    @Test
    void aLostWakeUpCostsOneWaitNotAnEvent() throws Exception {
        journal(1, 3);
        RemoteTail tail = new RemoteTail();
        assertThat(tail.read(0, WAIT, this::fetch)).isInstanceOf(RemoteTail.Read.Events.class);
        journal(4, 5); // written elsewhere; its wake-up never comes
        assertThat(tail.read(3, Duration.ofMillis(1), this::fetch)).isInstanceOf(RemoteTail.Read.Nothing.class);
        RemoteTail.Read next = tail.read(3, WAIT, this::fetch);
        assertThat(((RemoteTail.Read.Events) next).events()).extracting(TurnEvent::seq).containsExactly(4L, 5L);
    }
}
