package dev.tether.turn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.session.TurnEvent;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The live log of one turn, as its subscribers see it. */
class TurnLogTest {
    private static final Duration LONG = Duration.ofSeconds(10);

    private final TurnLog log = new TurnLog("t1");

    private void append(int n) {
        for (int i = 0; i < n; i++) {
            assertThat(log.append("token", "{\"text\":\"x\"}")).isTrue();
        }
    }

    private List<Long> seqs(TurnLog.Read read) {
        assertThat(read).isInstanceOf(TurnLog.Read.Events.class);
        return ((TurnLog.Read.Events) read).events().stream().map(TurnEvent::seq).toList();
    }

    // Found by the torture suite (#4): an event shown before it was journaled was lost in a SIGKILL,
    // and recovery gave its seq to the interrupted apperror; the client resumed past the terminal event.
    @Test
    void readersSeeOnlyDurableEvents() throws Exception {
        append(3);

        assertThat(log.read(0, Duration.ZERO)).as("nothing is durable yet").isInstanceOf(TurnLog.Read.Nothing.class);
        assertThat(log.visibleSeq()).isZero();

        log.markDurable(2);

        assertThat(seqs(log.read(0, Duration.ZERO))).containsExactly(1L, 2L);
        assertThat(log.visibleSeq()).isEqualTo(2);
        assertThat(log.lastSeq()).isEqualTo(3);
    }

    @Test
    void aWaitingReaderWakesWhenEventsBecomeDurable() throws Exception {
        append(2);
        CompletableFuture<TurnLog.Read> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return log.read(0, LONG);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });

        Thread.sleep(50);
        assertThat(waiting).isNotDone();
        log.markDurable(2);

        assertThat(seqs(waiting.get(5, TimeUnit.SECONDS))).containsExactly(1L, 2L);
    }

    @Test
    void closingMakesThePendingAndClosingEventsVisible() throws Exception {
        append(2);
        log.markDurable(1);
        log.seal();

        log.close(List.of(new TurnEvent("t1", 3, "cancel", "{}")));

        assertThat(seqs(log.read(0, Duration.ZERO))).containsExactly(1L, 2L, 3L);
    }

    @Test
    void anAbandonedLogNeverShowsWhatWasNotDurable() throws Exception {
        append(3);
        log.markDurable(1);
        log.seal();

        log.abandon();

        assertThat(seqs(log.read(0, Duration.ZERO))).containsExactly(1L);
        assertThat(log.read(1, LONG)).as("closed: the rest is the journal's").isInstanceOf(TurnLog.Read.Ended.class);
    }
}
