package dev.tether.store;

import static dev.tether.support.TurnRequests.completed;
import static dev.tether.support.TurnRequests.send;
import static dev.tether.support.TurnRequests.token;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.session.SessionStore;
import dev.tether.session.Turn;
import dev.tether.session.TurnEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** The journal: events of running turns only, gapless pages, and the counts. */
class StoreJournalTest extends SessionStoreContract {
    @Test
    void onlyRunningTurnsAreJournaled() {
        create("s1");
        converse("s1", 1);
        create("s2");
        started(send(ALICE, "s2", "t1", "hi"));
        List<TurnEvent> batch = new ArrayList<>(tokens("t1", 1, 2));
        batch.add(token("s1-t0", 3, "late"));
        batch.add(token("no-such-turn", 1, "x"));

        store.appendJournal(batch);

        assertThat(seqs("t1")).containsExactly(1L, 2L);
        assertThat(names("s1-t0")).containsExactly("done", "stream_end");
        assertThat(store.journal("no-such-turn", 0, 10)).isEmpty();
    }

    @Test
    void theJournalPagesInSeqOrder() {
        create("s1");
        started(send(ALICE, "s1", "t1", "hi"));
        store.appendJournal(tokens("t1", 1, 12));
        store.appendJournal(tokens("t1", 13, 25));

        assertThat(store.journal("t1", 0, 10)).extracting(TurnEvent::seq)
                .containsExactlyElementsOf(LongStream.rangeClosed(1, 10).boxed().toList());
        assertThat(store.journal("t1", 10, 10)).extracting(TurnEvent::seq)
                .containsExactlyElementsOf(LongStream.rangeClosed(11, 20).boxed().toList());
        assertThat(store.journal("t1", 20, 10)).extracting(TurnEvent::seq).containsExactly(21L, 22L, 23L, 24L, 25L);
        assertThat(store.journal("t1", 25, 10)).isEmpty();
        assertThat(store.journal("t1", 0, 1).getFirst()).isEqualTo(token("t1", 1, "w1"));
        assertThat(store.lastSeq("t1")).isEqualTo(25);
        assertThat(store.lastSeq("unknown")).isZero();
    }

    @Test
    void runningTurnsAndCountsFollowStartsAndEnds() {
        create("s1");
        create("s2");
        Turn t1 = started(send(ALICE, "s1", "t1", "a"));
        Turn t2 = started(send(ALICE, "s2", "t2", "b"));
        assertThat(store.runningTurns()).containsExactly(t1, t2);
        assertThat(store.counts()).isEqualTo(new SessionStore.Counts(2, 2));

        ended(completed("t1", "x"));

        assertThat(store.runningTurns()).containsExactly(t2);
        assertThat(store.counts()).isEqualTo(new SessionStore.Counts(2, 1));
    }
}
