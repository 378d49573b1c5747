package dev.tether.turn;

import static dev.tether.support.TurnRequests.send;
import static dev.tether.support.TurnRequests.token;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.session.SessionStore;
import dev.tether.session.Transitions;
import dev.tether.support.InMemorySessionStore;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Cursor parsing ({@code <turn>:<seq>}) and where a subscriber with a cursor starts (SCENARIOS.md 16). */
class CursorTest {

    @Test
    void parsesTurnAndSeqAndPrintsTheSame() {
        Cursor c = Cursor.parse("t-1:42");

        assertThat(c).isEqualTo(new Cursor("t-1", 42));
        assertThat(c.toString()).isEqualTo("t-1:42");
        assertThat(Cursor.parse(c.toString())).isEqualTo(c);
    }

    @Test
    void theLastColonSeparatesTheSeqSoTurnIdsMayContainColons() {
        assertThat(Cursor.parse("a:b:7")).isEqualTo(new Cursor("a:b", 7));
    }

    @Test
    void surroundingWhitespaceIsIgnored() {
        assertThat(Cursor.parse(" t1 : 5 ")).isEqualTo(new Cursor("t1", 5));
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "t1", ":5", "t1:", "t1:abc", "t1:5.0", "t1:0x10", "t1:99999999999999999999", "::"})
    void anythingElseIsNoCursor(String eventId) {
        assertThat(Cursor.parse(eventId)).isNull();
    }

    @Test
    void aNegativeSeqParsesButStartsFromTheBeginning() {
        Reader r = new Reader();

        assertThat(Cursor.parse("t1:-3")).isEqualTo(new Cursor("t1", -3));
        assertThat(r.reader.startAfter("t1", Cursor.parse("t1:-3"))).isZero();
    }

    @Test
    void aUsableCursorIsKeptAndAnUnusableOneReplaysFromTheStart() {
        Reader r = new Reader();

        assertThat(r.reader.startAfter("t1", Cursor.parse("t1:3"))).as("equal to the last event").isEqualTo(3);
        assertThat(r.reader.startAfter("t1", Cursor.parse("t1:2"))).isEqualTo(2);
        assertThat(r.reader.startAfter("t1", Cursor.parse("t1:0"))).isZero();
        assertThat(r.reader.startAfter("t1", Cursor.parse("t1:4"))).as("ahead of the log").isZero();
        assertThat(r.reader.startAfter("t1", Cursor.parse("t2:2"))).as("another turn's").isZero();
        assertThat(r.reader.startAfter("t1", Cursor.parse("garbage"))).isZero();
        assertThat(r.reader.startAfter("t1", null)).isZero();
    }

    /** A reader over a store holding turn t1 with three journaled events. */
    private static final class Reader {
        final TurnReader reader;

        Reader() {
            SessionStore store = new InMemorySessionStore();
            Instant now = Instant.parse("2025-01-01T00:00:00Z");
            store.createSession("alice", "s1", "New chat", "m1", now);
            new Transitions(store).start(send("alice", "s1", "t1", "hi"), now);
            store.appendJournal(List.of(token("t1", 1, "a"), token("t1", 2, "b"), token("t1", 3, "c")));
            reader = new TurnReader(store, new LiveTurns());
        }
    }
}
