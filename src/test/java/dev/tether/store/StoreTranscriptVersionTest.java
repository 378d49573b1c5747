package dev.tether.store;

import static dev.tether.support.TurnRequests.completed;
import static dev.tether.support.TurnRequests.send;
import static dev.tether.support.TurnRequests.sendOrQueue;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.session.EndOutcome;
import dev.tether.session.Message;
import dev.tether.session.Session;
import dev.tether.session.StartOutcome;
import dev.tether.session.Transcript;
import dev.tether.session.Turn;
import dev.tether.session.TurnEnding;
import dev.tether.session.TurnState;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The turn count that versions an idle session's transcript, and the read that uses it. */
class StoreTranscriptVersionTest extends SessionStoreContract {
    @Test
    void everyStartCountsAQueuedOnePromotedByAnEndToo() {
        create("s1");
        assertThat(session("s1").turnCount()).isZero();
        converse("s1", 2);
        assertThat(session("s1").turnCount()).isEqualTo(2);

        StartOutcome.Started first = (StartOutcome.Started) transitions.start(send(ALICE, "s1", "t1", "a"), now());
        assertThat(first.session()).isEqualTo(session("s1"));
        assertThat(first.session().turnCount()).isEqualTo(3);
        assertThat(transitions.start(sendOrQueue(ALICE, "s1", "t9", "b", null), now()))
                .isInstanceOf(StartOutcome.Queued.class);
        assertThat(session("s1").turnCount()).as("queueing starts nothing").isEqualTo(3);

        EndOutcome.Ended ended = ended(new TurnEnding("t1", TurnState.COMPLETED,
                new TurnEnding.Reply("x", "", null, null), List.of(), after -> List.of(), "t2"));

        assertThat(ended.promoted()).map(Turn::id).contains("t2");
        assertThat(ended.session()).isEqualTo(session("s1"));
        assertThat(ended.session().turnCount()).isEqualTo(4);
        ended(completed("t2", "y"));
        assertThat(session("s1").turnCount()).as("ends count nothing").isEqualTo(4);
    }

    @Test
    void aTranscriptIsTheSessionAndItsLatestMessages() {
        create("s1");
        converse("s1", 3);

        Transcript read = store.transcript(ALICE, "s1", 4).orElseThrow();

        assertThat(read.session()).isEqualTo(session("s1"));
        assertThat(read.messages()).extracting(Message::content)
                .containsExactly("question 1", "answer 1", "question 2", "answer 2");
        assertThat(store.transcript(BOB, "s1", 4)).isEmpty();
        assertThat(store.transcript(ALICE, "nope", 4)).isEmpty();
    }

    /**
     * The session row and the messages come from one snapshot, even while a start commits: a
     * row counting two messages with three read after it once fed the model the user message
     * twice (a send's worker read while its own start was committing).
     */
    @Test
    void aTranscriptIsOneSnapshotWhileStartsCommit() throws Exception {
        int rounds = 300;
        List<Transcript> reads = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
            for (int i = 0; i < rounds; i++) {
                String id = "s" + i;
                create(id);
                CyclicBarrier together = new CyclicBarrier(2);
                Future<?> start = pool.submit(() -> {
                    together.await();
                    return transitions.start(send(ALICE, id, id + "-t", "q"), now());
                });
                Future<Transcript> read = pool.submit(() -> {
                    together.await();
                    return store.transcript(ALICE, id, 100).orElseThrow();
                });
                start.get(10, TimeUnit.SECONDS);
                reads.add(read.get(10, TimeUnit.SECONDS));
            }
        }

        assertThat(reads).allSatisfy(t -> assertThat(t.messages()).as("messages the row counts")
                .hasSize(t.session().messageCount()));
        assertThat(reads).as("both orders happened").anyMatch(t -> t.session().activeTurn() == null)
                .anyMatch(t -> t.session().activeTurn() != null);
    }

    @Test
    void messagesNewerThanTheirRowAreNoOnesHistory() {
        create("s1");
        converse("s1", 1);
        Session before = session("s1");
        StartOutcome.Started next = (StartOutcome.Started) transitions.start(send(ALICE, "s1", "t1", "q"), now());
        Transcript torn = new Transcript(before, store.messages(ALICE, "s1", 100, null)); // ends in "q" already

        assertThat(torn.historyOf(next, userMessage(next))).as("would hold the user message twice").isEmpty();
        assertThat(new Transcript(before, store.messages(ALICE, "s1", 100, before.messageCount()))
                .historyOf(next, userMessage(next))).isPresent();
    }

    @Test
    void aReadIsTheHistoryOfTheNextStartOnlyIfNoOtherTurnStartedBetween() {
        create("s1");
        converse("s1", 1);
        Transcript read = store.transcript(ALICE, "s1", 100).orElseThrow();
        StartOutcome.Started next = (StartOutcome.Started) transitions.start(send(ALICE, "s1", "t1", "q"), now());
        assertThat(read.historyOf(next, userMessage(next))).map(h -> h.stream().map(Message::content).toList())
                .contains(List.of("question 0", "answer 0", "q"));
        Transcript during = store.transcript(ALICE, "s1", 100).orElseThrow();
        assertThat(during.historyOf(next, userMessage(next))).as("read after the start: it shows t1 running")
                .map(h -> h.stream().map(Message::content).toList()).contains(List.of("question 0", "answer 0", "q"));
        ended(completed("t1", "a"));

        Transcript stale = store.transcript(ALICE, "s1", 100).orElseThrow();
        started(send(ALICE, "s1", "t-other", "q")); // another tab's whole turn in between
        ended(completed("t-other", "a"));
        StartOutcome.Started later = (StartOutcome.Started) transitions.start(send(ALICE, "s1", "t2", "q"), now());
        assertThat(stale.historyOf(later, userMessage(later))).isEmpty();
        assertThat(during.historyOf(later, userMessage(later))).as("showed another turn running").isEmpty();

        Transcript busy = store.transcript(ALICE, "s1", 100).orElseThrow(); // t2 running
        ended(completed("t2", "a"));
        StartOutcome.Started after = (StartOutcome.Started) transitions.start(send(ALICE, "s1", "t3", "q"), now());
        assertThat(busy.historyOf(after, userMessage(after))).as("read while a turn ran: its reply came after")
                .isEmpty();
    }

    private Message userMessage(StartOutcome.Started s) {
        return new Message(s.turn().userMessageIndex(), Message.USER, "q", null, null, null, null, null, List.of(),
                null, s.turn().startedAt());
    }
}
