package dev.tether.store;

import static dev.tether.support.TurnRequests.send;
import static dev.tether.support.TurnRequests.sendOrQueue;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.session.DeleteOutcome;
import dev.tether.session.Message;
import dev.tether.session.Session;
import dev.tether.session.SessionPatch;
import dev.tether.session.SessionStore;
import dev.tether.session.StartOutcome;
import dev.tether.session.Turn;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Sessions: create, find, list, update, import, messages. */
class StoreSessionsTest extends SessionStoreContract {
    @Test
    void createdSessionIsIdleEmptyAndFoundByItsOwner() {
        Session created = create("s1");

        assertThat(created.owner()).isEqualTo(ALICE);
        assertThat(created.activeTurn()).isNull();
        assertThat(created.messageCount()).isZero();
        assertThat(session("s1")).isEqualTo(created);
        assertThat(store.counts()).isEqualTo(new SessionStore.Counts(1, 0));
    }

    @Test
    void anotherOwnerNeverSeesOrChangesTheSession() {
        create("s1");
        Turn turn = started(send(ALICE, "s1", "t1", "secret plans"));

        assertThat(store.findSession(BOB, "s1")).isEmpty();
        assertThat(store.listSessions(BOB, true, null)).isEmpty();
        assertThat(store.listSessions(BOB, true, "secret")).isEmpty();
        assertThat(store.messages(BOB, "s1", 100, null)).isEmpty();
        assertThat(store.findTurn(BOB, turn.id())).isEmpty();
        assertThat(store.updateSession(BOB, "s1", new SessionPatch("mine", true, true, "m2"), now())).isEmpty();
        assertThat(transitions.start(sendOrQueue(BOB, "s1", "t2", "hi", null), now()))
                .isInstanceOf(StartOutcome.SessionGone.class);
        assertThat(store.queued(BOB, "s1")).isEmpty();
        assertThat(transitions.delete(BOB, "s1", turn.id(), null))
                .isInstanceOf(DeleteOutcome.NotFound.class);

        Session s = session("s1");
        assertThat(s.title()).isEqualTo("secret plans");
        assertThat(s.pinned()).isFalse();
        assertThat(s.activeTurn()).isEqualTo("t1");
        assertThat(store.queued(ALICE, "s1")).isEmpty();
        assertThat(store.findTurn(ALICE, turn.id())).contains(turn);
        assertThat(store.findTurn(null, turn.id())).contains(turn);
    }

    @Test
    void listPutsPinnedOnTopThenNewestFirst() {
        create("old");
        create("pinned-old");
        create("new");
        store.updateSession(ALICE, "pinned-old", new SessionPatch(null, true, null, null), now());
        store.updateSession(ALICE, "new", new SessionPatch("touched", null, null, null), now());
        store.createSession(BOB, "bobs", "New chat", "m1", now());

        assertThat(store.listSessions(ALICE, false, null)).extracting(Session::id)
                .containsExactly("pinned-old", "new", "old");
    }

    @Test
    void archivedSessionsAreListedOnlyWhenAsked() {
        create("kept");
        create("archived");
        store.updateSession(ALICE, "archived", new SessionPatch(null, null, true, null), now());

        assertThat(store.listSessions(ALICE, false, null)).extracting(Session::id).containsExactly("kept");
        assertThat(store.listSessions(ALICE, true, null)).extracting(Session::id)
                .containsExactlyInAnyOrder("kept", "archived");
    }

    @Test
    void searchMatchesTitleOrMessageContentIgnoringAsciiCase() {
        store.createSession(ALICE, "by-title", "Holiday PLANS", "m1", now());
        create("by-message");
        started(send(ALICE, "by-message", "t1", "what about the plans for friday?"));
        create("neither");
        started(send(ALICE, "neither", "t2", "unrelated"));

        assertThat(store.listSessions(ALICE, false, "plans")).extracting(Session::id)
                .containsExactlyInAnyOrder("by-title", "by-message");
        assertThat(store.listSessions(ALICE, false, "  plans  ")).hasSize(2);
        assertThat(store.listSessions(ALICE, false, "   ")).hasSize(3);
    }

    @Test
    void searchTreatsLikeMetacharactersLiterally() {
        store.createSession(ALICE, "percent", "100% sure", "m1", now());
        store.createSession(ALICE, "digits", "1000 sure", "m1", now());
        store.createSession(ALICE, "underscore", "snake_case", "m1", now());
        store.createSession(ALICE, "letter", "snakeXcase", "m1", now());
        store.createSession(ALICE, "backslash", "C:\\temp", "m1", now());
        create("in-message");
        started(send(ALICE, "in-message", "t1", "rate is 5% per_year"));

        assertThat(store.listSessions(ALICE, false, "0%")).extracting(Session::id).containsExactly("percent");
        assertThat(store.listSessions(ALICE, false, "%")).extracting(Session::id)
                .containsExactlyInAnyOrder("percent", "in-message");
        assertThat(store.listSessions(ALICE, false, "e_c")).extracting(Session::id).containsExactly("underscore");
        assertThat(store.listSessions(ALICE, false, "_")).extracting(Session::id)
                .containsExactlyInAnyOrder("underscore", "in-message");
        assertThat(store.listSessions(ALICE, false, "\\t")).extracting(Session::id).containsExactly("backslash");
    }

    @Test
    void updateChangesOnlyTheGivenFields() {
        create("s1");
        Instant at = now();

        Session renamed = store.updateSession(ALICE, "s1", new SessionPatch("Renamed", null, null, null), at)
                .orElseThrow();
        assertThat(renamed.title()).isEqualTo("Renamed");
        assertThat(renamed.updatedAt()).isEqualTo(at);
        Session flagged = store.updateSession(ALICE, "s1", new SessionPatch(null, true, true, "m2"), now())
                .orElseThrow();

        assertThat(flagged.title()).isEqualTo("Renamed");
        assertThat(flagged.pinned()).isTrue();
        assertThat(flagged.archived()).isTrue();
        assertThat(flagged.model()).isEqualTo("m2");
        assertThat(session("s1")).isEqualTo(flagged);
        assertThat(store.updateSession(ALICE, "nope", new SessionPatch("x", null, null, null), now())).isEmpty();
    }

    @Test
    void aSessionsEnabledToolsAreKeptUntilChangedAndCanBeCleared() {
        create("s1");
        assertThat(session("s1").tools()).isEmpty();
        store.updateSession(ALICE, "s1", new SessionPatch(null, null, null, null,
                java.util.List.of("web/echo", "tether/*")), now());
        Session renamed = store.updateSession(ALICE, "s1", new SessionPatch("Renamed", null, null, null), now())
                .orElseThrow();
        assertThat(renamed.tools()).containsExactly("web/echo", "tether/*");
        assertThat(session("s1").tools()).containsExactly("web/echo", "tether/*");
        Session cleared = store.updateSession(ALICE, "s1", new SessionPatch(null, null, null, null, java.util.List.of()),
                now()).orElseThrow();
        assertThat(cleared.tools()).isEmpty();
    }

    @Test
    void importWritesTheWholeTranscriptAsIdle() {
        Instant at = now();
        Session source = new Session("imp", ALICE, "Imported", "m1", true, false, at, at, at, "ghost-turn", 99, 7, 0, 0);
        List<Message> messages = List.of(
                new Message(7, Message.USER, "hello", null, null, null, null, null, List.of("a1", "a2"), null, at),
                new Message(9, Message.ASSISTANT, "hi", "thought", Message.Mark.ERROR, "It failed.", "Try again later.",
                        "{\"output_tokens\":2}", null, null, at));

        Session imported = store.importSession(source, messages);

        assertThat(imported.activeTurn()).isNull();
        assertThat(imported.messageCount()).isEqualTo(2);
        assertThat(imported.turnCount()).isZero(); // no turn of this store started it
        assertThat(imported.pinned()).isTrue();
        assertThat(transcript("imp")).extracting(Message::index).containsExactly(0, 1);
        assertThat(transcript("imp").getFirst().attachments()).containsExactly("a1", "a2");
        assertThat(transcript("imp").get(1).mark()).isEqualTo(Message.Mark.ERROR);
        assertThat(transcript("imp").get(1).error()).isEqualTo("It failed.");
        assertThat(transcript("imp").get(1).hint()).as("the hint under the error (issue 17, 9)").isEqualTo("Try again later.");
        assertThat(transcript("imp").get(1).usageJson()).contains("output_tokens");
        assertThat(transcript("imp").get(1).reasoning()).isEqualTo("thought");
    }

    @Test
    void messagesPageBackwardsFromBefore() {
        create("s1");
        converse("s1", 3);

        assertThat(store.messages(ALICE, "s1", 2, null)).extracting(Message::index).containsExactly(4, 5);
        assertThat(store.messages(ALICE, "s1", 2, 4)).extracting(Message::index).containsExactly(2, 3);
        assertThat(store.messages(ALICE, "s1", 10, 1)).extracting(Message::index).containsExactly(0);
        assertThat(store.messages(ALICE, "s1", 10, 0)).isEmpty();
    }
}
