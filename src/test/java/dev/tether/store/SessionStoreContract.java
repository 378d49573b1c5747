package dev.tether.store;

import static dev.tether.support.TurnRequests.completed;
import static dev.tether.support.TurnRequests.edit;
import static dev.tether.support.TurnRequests.ending;
import static dev.tether.support.TurnRequests.regenerate;
import static dev.tether.support.TurnRequests.send;
import static dev.tether.support.TurnRequests.sendOrQueue;
import static dev.tether.support.TurnRequests.start;
import static dev.tether.support.TurnRequests.token;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.session.DeleteOutcome;
import dev.tether.session.EndOutcome;
import dev.tether.session.Message;
import dev.tether.session.QueuedMessage;
import dev.tether.session.Session;
import dev.tether.session.SessionPatch;
import dev.tether.session.SessionStore;
import dev.tether.session.StartOutcome;
import dev.tether.session.StartRequest;
import dev.tether.session.Transcript;
import dev.tether.session.Turn;
import dev.tether.session.TurnEnding;
import dev.tether.session.TurnEvent;
import dev.tether.session.TurnState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What every {@link SessionStore} must do, whatever it stores into. A store's test extends this
 * and says how to open and close a fresh, empty store. The transitions are called directly here:
 * this is the port's contract, which {@code SessionLifecycle} relies on.
 */
public abstract class SessionStoreContract {
    protected static final String ALICE = "alice";
    protected static final String BOB = "bob";
    private static final Instant T0 = Instant.parse("2025-01-01T10:00:00Z");

    protected SessionStore store;
    private long ticks;

    /** A fresh, empty store. */
    protected abstract SessionStore openStore() throws Exception;

    protected void closeStore() throws Exception {}

    @BeforeEach
    final void open() throws Exception {
        store = openStore();
    }

    @AfterEach
    final void close() throws Exception {
        closeStore();
    }

    /** A later instant on each call, in whole milliseconds. */
    protected Instant now() {
        return T0.plusSeconds(++ticks);
    }

    private Session create(String id) {
        return store.createSession(ALICE, id, "New chat", "m1", now());
    }

    private Turn started(StartRequest r) {
        StartOutcome outcome = store.startTurn(r, now());
        assertThat(outcome).isInstanceOf(StartOutcome.Started.class);
        return ((StartOutcome.Started) outcome).turn();
    }

    private EndOutcome.Ended ended(TurnEnding e) {
        EndOutcome outcome = store.endTurn(e, now());
        assertThat(outcome).isInstanceOf(EndOutcome.Ended.class);
        return (EndOutcome.Ended) outcome;
    }

    /** A session with {@code exchanges} completed user/assistant pairs: u0 a1 u2 a3 ... */
    private void converse(String sessionId, int exchanges) {
        for (int i = 0; i < exchanges; i++) {
            String turn = sessionId + "-t" + i;
            started(send(ALICE, sessionId, turn, "question " + i));
            ended(completed(turn, "answer " + i));
        }
    }

    private List<Message> transcript(String sessionId) {
        return store.messages(ALICE, sessionId, 1000, null);
    }

    private List<String> contents(String sessionId) {
        return transcript(sessionId).stream().map(m -> m.role() + ":" + m.content()).toList();
    }

    private Session session(String id) {
        return store.findSession(ALICE, id).orElseThrow();
    }

    private List<Long> seqs(String turnId) {
        return store.journal(turnId, 0, 10_000).stream().map(TurnEvent::seq).toList();
    }

    private List<String> names(String turnId) {
        return store.journal(turnId, 0, 10_000).stream().map(TurnEvent::name).toList();
    }

    private static List<TurnEvent> tokens(String turnId, long from, long to) {
        return LongStream.rangeClosed(from, to).mapToObj(s -> token(turnId, s, "w" + s)).toList();
    }

    @Nested
    class Sessions {
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
            assertThat(store.startTurn(sendOrQueue(BOB, "s1", "t2", "hi", null), now()))
                    .isInstanceOf(StartOutcome.SessionGone.class);
            assertThat(store.queued(BOB, "s1")).isEmpty();
            assertThat(store.deleteSession(BOB, "s1", turn.id(), null, now()))
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
        void importWritesTheWholeTranscriptAsIdle() {
            Instant at = now();
            Session source = new Session("imp", ALICE, "Imported", "m1", true, false, at, at, at, "ghost-turn", 99, 7);
            List<Message> messages = List.of(
                    new Message(7, Message.USER, "hello", null, null, null, null, List.of("a1", "a2"), null, at),
                    new Message(9, Message.ASSISTANT, "hi", "thought", Message.Mark.STOPPED, null, null, null,
                            null, at));

            Session imported = store.importSession(source, messages);

            assertThat(imported.activeTurn()).isNull();
            assertThat(imported.messageCount()).isEqualTo(2);
            assertThat(imported.turnCount()).isZero(); // no turn of this store started it
            assertThat(imported.pinned()).isTrue();
            assertThat(transcript("imp")).extracting(Message::index).containsExactly(0, 1);
            assertThat(transcript("imp").getFirst().attachments()).containsExactly("a1", "a2");
            assertThat(transcript("imp").get(1).mark()).isEqualTo(Message.Mark.STOPPED);
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

    @Nested
    class Start {
        @Test
        void startOnIdleSessionWritesTheUserMessageAndMakesTheTurnActive() {
            create("s1");
            Instant at = now();

            StartOutcome outcome = store.startTurn(send(ALICE, "s1", "t1", "Hello there", "c1"), at);

            assertThat(outcome).isInstanceOf(StartOutcome.Started.class);
            StartOutcome.Started started = (StartOutcome.Started) outcome;
            assertThat(started.turn()).isEqualTo(
                    new Turn("t1", "s1", ALICE, TurnState.RUNNING, "c1", 0, "m1", at, null));
            assertThat(started.session().activeTurn()).isEqualTo("t1");
            assertThat(started.session().messageCount()).isEqualTo(1);
            assertThat(started.session().title()).isEqualTo("Hello there");
            assertThat(started.session()).isEqualTo(session("s1"));
            assertThat(contents("s1")).containsExactly("user:Hello there");
            assertThat(store.findTurn(ALICE, "t1")).contains(started.turn());
            assertThat(store.runningTurns()).containsExactly(started.turn());
            assertThat(store.counts()).isEqualTo(new SessionStore.Counts(1, 1));
        }

        @Test
        void theFirstMessageNamesAnUntitledSessionOnly() {
            create("long");
            started(send(ALICE, "long", "t1", "  word ".repeat(20)));
            store.createSession(ALICE, "named", "My title", "m1", now());
            started(send(ALICE, "named", "t2", "hello"));

            assertThat(session("long").title()).hasSize(60).endsWith("...").startsWith("word word");
            assertThat(session("named").title()).isEqualTo("My title");
        }

        @Test
        void startWhileATurnIsActiveAnswersTurnActiveAndWritesNothing() {
            create("s1");
            started(send(ALICE, "s1", "t1", "first"));

            StartOutcome outcome = store.startTurn(send(ALICE, "s1", "t2", "second"), now());

            assertThat(outcome).isEqualTo(new StartOutcome.TurnActive("t1"));
            assertThat(contents("s1")).containsExactly("user:first");
            assertThat(store.findTurn(null, "t2")).isEmpty();
            assertThat(session("s1").activeTurn()).isEqualTo("t1");
        }

        @Test
        void sendOrQueueWhileActiveQueuesDurablyInOrder() {
            create("s1");
            started(send(ALICE, "s1", "t1", "first"));

            StartOutcome q1 = store.startTurn(sendOrQueue(ALICE, "s1", "t2", "second", "c2"), now());
            StartOutcome q2 = store.startTurn(sendOrQueue(ALICE, "s1", "t3", "third", "c3"), now());

            assertThat(q1).isInstanceOf(StartOutcome.Queued.class);
            assertThat(((StartOutcome.Queued) q1).position()).isEqualTo(1);
            assertThat(((StartOutcome.Queued) q2).position()).isEqualTo(2);
            assertThat(store.queued(ALICE, "s1")).extracting(QueuedMessage::content, QueuedMessage::clientMessageId)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("second", "c2"),
                            org.assertj.core.groups.Tuple.tuple("third", "c3"));
            assertThat(contents("s1")).containsExactly("user:first");
            assertThat(session("s1").activeTurn()).isEqualTo("t1");
            assertThat(store.findTurn(null, "t2")).isEmpty();
        }

        @Test
        void sendOrQueueOnAnIdleSessionStarts() {
            create("s1");

            assertThat(store.startTurn(sendOrQueue(ALICE, "s1", "t1", "hi", "c1"), now()))
                    .isInstanceOf(StartOutcome.Started.class);
        }

        @Test
        void aRepeatedClientMessageIdAnswersTheFirstTurnAndWritesNothing() {
            create("s1");
            Turn first = started(send(ALICE, "s1", "t1", "hi", "c1"));

            StartOutcome whileRunning = store.startTurn(send(ALICE, "s1", "t2", "hi", "c1"), now());
            ended(completed("t1", "hello"));
            StartOutcome afterEnd = store.startTurn(sendOrQueue(ALICE, "s1", "t3", "hi", "c1"), now());

            assertThat(whileRunning).isInstanceOf(StartOutcome.Duplicate.class);
            assertThat(((StartOutcome.Duplicate) whileRunning).turn()).isEqualTo(first);
            assertThat(afterEnd).isInstanceOf(StartOutcome.Duplicate.class);
            assertThat(((StartOutcome.Duplicate) afterEnd).turn().id()).isEqualTo("t1");
            assertThat(contents("s1")).containsExactly("user:hi", "assistant:hello");
            assertThat(store.findTurn(null, "t2")).isEmpty();
            assertThat(store.findTurn(null, "t3")).isEmpty();
        }

        @Test
        void aRepeatedClientMessageIdOfAQueuedMessageAnswersItsPlace() {
            create("s1");
            started(send(ALICE, "s1", "t1", "first"));
            store.startTurn(sendOrQueue(ALICE, "s1", "t2", "second", "c2"), now());
            store.startTurn(sendOrQueue(ALICE, "s1", "t3", "third", "c3"), now());

            StartOutcome again = store.startTurn(sendOrQueue(ALICE, "s1", "t4", "third", "c3"), now());

            assertThat(again).isInstanceOf(StartOutcome.AlreadyQueued.class);
            StartOutcome.AlreadyQueued already = (StartOutcome.AlreadyQueued) again;
            assertThat(already.position()).isEqualTo(2);
            assertThat(already.message().content()).isEqualTo("third");
            assertThat(store.queued(ALICE, "s1")).hasSize(2);
        }

        @Test
        void aStaleViewIsRejectedAndACurrentOneStarts() {
            create("s1");
            converse("s1", 1);

            StartOutcome stale = store.startTurn(start(ALICE, "s1", "t2", "hi", null,
                    new StartRequest.Kind.Send(), 1), now());
            StartOutcome current = store.startTurn(start(ALICE, "s1", "t3", "hi", null,
                    new StartRequest.Kind.Send(), 2), now());

            assertThat(stale).isInstanceOf(StartOutcome.StaleView.class);
            assertThat(((StartOutcome.StaleView) stale).messageCount()).isEqualTo(2);
            assertThat(current).isInstanceOf(StartOutcome.Started.class);
            assertThat(contents("s1")).hasSize(3);
        }

        @Test
        void regenerateDropsTheLastReplyAndAnswersTheLastUserMessage() {
            create("s1");
            converse("s1", 2);

            Turn turn = started(regenerate(ALICE, "s1", "t-again"));

            assertThat(turn.userMessageIndex()).isEqualTo(2);
            assertThat(contents("s1")).containsExactly("user:question 0", "assistant:answer 0", "user:question 1");
            assertThat(session("s1").messageCount()).isEqualTo(3);
            ended(completed("t-again", "better answer"));
            assertThat(contents("s1")).containsExactly("user:question 0", "assistant:answer 0", "user:question 1",
                    "assistant:better answer");
        }

        @Test
        void regenerateWithoutAUserMessageIsRejected() {
            create("s1");

            assertThat(store.startTurn(regenerate(ALICE, "s1", "t1"), now()))
                    .isInstanceOf(StartOutcome.Rejected.class);
            assertThat(session("s1").activeTurn()).isNull();
            assertThat(store.findTurn(null, "t1")).isEmpty();
        }

        @Test
        void editReplacesTheMessageAndEverythingAfterIt() {
            create("s1");
            converse("s1", 3);

            Turn turn = started(edit(ALICE, "s1", "t-edit", 2, "question 1, rephrased"));

            assertThat(turn.userMessageIndex()).isEqualTo(2);
            assertThat(contents("s1")).containsExactly("user:question 0", "assistant:answer 0",
                    "user:question 1, rephrased");
            assertThat(session("s1").messageCount()).isEqualTo(3);
            assertThat(session("s1").activeTurn()).isEqualTo("t-edit");
        }

        @Test
        void editOfTheFirstMessageRetitlesNothing() {
            store.createSession(ALICE, "s1", "Kept", "m1", now());
            converse("s1", 1);

            started(edit(ALICE, "s1", "t-edit", 0, "new start"));

            assertThat(contents("s1")).containsExactly("user:new start");
            assertThat(session("s1").title()).isEqualTo("Kept");
        }

        @Test
        void editOfAnAssistantOrMissingIndexIsRejectedAndChangesNothing() {
            create("s1");
            converse("s1", 2);
            List<String> before = contents("s1");

            assertThat(store.startTurn(edit(ALICE, "s1", "t-a", 1, "x"), now())).isInstanceOf(StartOutcome.Rejected.class);
            assertThat(store.startTurn(edit(ALICE, "s1", "t-b", 4, "x"), now())).isInstanceOf(StartOutcome.Rejected.class);
            assertThat(store.startTurn(edit(ALICE, "s1", "t-c", -1, "x"), now())).isInstanceOf(StartOutcome.Rejected.class);

            assertThat(contents("s1")).isEqualTo(before);
            assertThat(session("s1").messageCount()).isEqualTo(4);
            assertThat(session("s1").activeTurn()).isNull();
        }

        @Test
        void editAndRegenerateWhileATurnIsActiveAnswerTurnActive() {
            create("s1");
            converse("s1", 1);
            started(send(ALICE, "s1", "t1", "running"));

            assertThat(store.startTurn(edit(ALICE, "s1", "t2", 0, "x"), now()))
                    .isEqualTo(new StartOutcome.TurnActive("t1"));
            assertThat(store.startTurn(regenerate(ALICE, "s1", "t3"), now()))
                    .isEqualTo(new StartOutcome.TurnActive("t1"));
            assertThat(contents("s1")).hasSize(3);
        }

        @Test
        void startOnAMissingSessionAnswersSessionGone() {
            assertThat(store.startTurn(send(ALICE, "nope", "t1", "hi"), now()))
                    .isInstanceOf(StartOutcome.SessionGone.class);
        }
    }

    @Nested
    class End {
        @Test
        void completedTurnWritesItsReplyAndClosingEventsAndLeavesTheSessionIdle() {
            create("s1");
            started(send(ALICE, "s1", "t1", "hi"));
            store.appendJournal(tokens("t1", 1, 3));
            Instant at = now();

            EndOutcome.Ended ended = (EndOutcome.Ended) store.endTurn(
                    ending("t1", TurnState.COMPLETED, "w1w2w3w4w5", tokens("t1", 4, 5), null), at);

            assertThat(ended.closing()).extracting(TurnEvent::seq, TurnEvent::name).containsExactly(
                    org.assertj.core.groups.Tuple.tuple(6L, "done"),
                    org.assertj.core.groups.Tuple.tuple(7L, "stream_end"));
            assertThat(ended.closing().getFirst().json()).as("drafts see the transcript after the writeback")
                    .isEqualTo("{\"messages\":2}");
            assertThat(seqs("t1")).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
            assertThat(ended.session().activeTurn()).isNull();
            assertThat(ended.session()).isEqualTo(session("s1"));
            assertThat(ended.promoted()).isEmpty();
            Message reply = transcript("s1").getLast();
            assertThat(reply.role()).isEqualTo(Message.ASSISTANT);
            assertThat(reply.content()).isEqualTo("w1w2w3w4w5");
            assertThat(reply.mark()).isNull();
            assertThat(reply.turnId()).isEqualTo("t1");
            Turn turn = store.findTurn(ALICE, "t1").orElseThrow();
            assertThat(turn.state()).isEqualTo(TurnState.COMPLETED);
            assertThat(turn.endedAt()).isEqualTo(at);
            assertThat(store.runningTurns()).isEmpty();
            assertThat(store.counts()).isEqualTo(new SessionStore.Counts(1, 0));
        }

        @ParameterizedTest
        @EnumSource(value = TurnState.class, names = {"COMPLETED", "CANCELLED", "FAILED", "INTERRUPTED"})
        void theReplyIsMarkedByHowTheTurnEnded(TurnState state) {
            create("s1");
            started(send(ALICE, "s1", "t1", "hi"));

            ended(ending("t1", state, "partial", List.of(), null));

            Message reply = transcript("s1").getLast();
            Message.Mark expected = switch (state) {
                case CANCELLED -> Message.Mark.STOPPED;
                case FAILED -> Message.Mark.ERROR;
                case INTERRUPTED -> Message.Mark.INTERRUPTED;
                default -> null;
            };
            assertThat(reply.mark()).isEqualTo(expected);
            assertThat(reply.content()).isEqualTo("partial");
            assertThat(reply.error()).isEqualTo(expected == Message.Mark.ERROR || expected == Message.Mark.INTERRUPTED
                    ? "it broke" : null);
            assertThat(store.findTurn(ALICE, "t1").orElseThrow().state()).isEqualTo(state);
            assertThat(names("t1").stream().filter(n -> TurnEvent.TERMINAL.contains(n))).hasSize(1);
        }

        @Test
        void aSecondEndIsNotActiveWritesNothingAndAnswersTheFirstEndsClosingEvents() {
            create("s1");
            started(send(ALICE, "s1", "t1", "hi"));
            store.appendJournal(tokens("t1", 1, 2));
            EndOutcome.Ended first = ended(completed("t1", "done right"));

            EndOutcome second = store.endTurn(ending("t1", TurnState.CANCELLED, "late", List.of(), null), now());

            assertThat(second).isEqualTo(new EndOutcome.NotActive(first.closing()));
            assertThat(contents("s1")).containsExactly("user:hi", "assistant:done right");
            assertThat(store.findTurn(ALICE, "t1").orElseThrow().state()).isEqualTo(TurnState.COMPLETED);
            assertThat(names("t1")).containsExactly("token", "token", "done", "stream_end");
        }

        // The torture suite (#4) checks "one active turn at a time" from the turn rows' times; callers
        // read the clock before their write waits in the queue, so the rows must follow commit order.
        @Test
        void aTurnIsNeverStampedAsStartingBeforeThePreviousOneEnded() {
            create("s1");
            Instant readEarly = now();
            started(send(ALICE, "s1", "t1", "hi"));
            Instant endedAt = now();
            store.endTurn(completed("t1", "done"), endedAt);

            store.startTurn(send(ALICE, "s1", "t2", "again"), readEarly);

            Turn t1 = store.findTurn(ALICE, "t1").orElseThrow();
            Turn t2 = store.findTurn(ALICE, "t2").orElseThrow();
            assertThat(t2.startedAt()).isAfterOrEqualTo(t1.endedAt()).isEqualTo(endedAt);
            assertThat(t1.endedAt()).isAfterOrEqualTo(t1.startedAt());
        }

        @Test
        void endingAnUnknownTurnIsNotActive() {
            assertThat(store.endTurn(completed("nope", "x"), now())).isEqualTo(new EndOutcome.NotActive(List.of()));
        }

        @Test
        void theQueueHeadStartsInTheSameStepWithTheReservedId() {
            create("s1");
            started(send(ALICE, "s1", "t1", "first"));
            store.startTurn(sendOrQueue(ALICE, "s1", "t-unused", "second", "c2"), now());
            store.startTurn(sendOrQueue(ALICE, "s1", "t-unused2", "third", "c3"), now());

            EndOutcome.Ended ended = ended(ending("t1", TurnState.COMPLETED, "one", List.of(), "t-next"));

            Turn next = ended.promoted().orElseThrow();
            assertThat(next.id()).isEqualTo("t-next");
            assertThat(next.state()).isEqualTo(TurnState.RUNNING);
            assertThat(next.clientMessageId()).isEqualTo("c2");
            assertThat(next.userMessageIndex()).isEqualTo(2);
            assertThat(ended.session().activeTurn()).isEqualTo("t-next");
            assertThat(session("s1").activeTurn()).isEqualTo("t-next");
            assertThat(contents("s1")).containsExactly("user:first", "assistant:one", "user:second");
            assertThat(store.queued(ALICE, "s1")).extracting(QueuedMessage::content).containsExactly("third");
            assertThat(store.findTurn(ALICE, "t-next")).contains(next);
            assertThat(store.startTurn(sendOrQueue(ALICE, "s1", "t-x", "third", "c3"), now()))
                    .isInstanceOf(StartOutcome.AlreadyQueued.class)
                    .extracting(o -> ((StartOutcome.AlreadyQueued) o).position()).isEqualTo(1);
            assertThat(store.startTurn(sendOrQueue(ALICE, "s1", "t-y", "second", "c2"), now()))
                    .isInstanceOf(StartOutcome.Duplicate.class);
        }

        @Test
        void withoutAReservedIdTheQueueWaitsAndTheSessionIsIdle() {
            create("s1");
            started(send(ALICE, "s1", "t1", "first"));
            store.startTurn(sendOrQueue(ALICE, "s1", "t2", "second", "c2"), now());

            EndOutcome.Ended ended = ended(completed("t1", "one"));

            assertThat(ended.promoted()).isEmpty();
            assertThat(session("s1").activeTurn()).isNull();
            assertThat(store.queued(ALICE, "s1")).hasSize(1);
        }

        @Test
        void aLateJournalBatchAfterTheEndWritesNothing() {
            create("s1");
            started(send(ALICE, "s1", "t1", "hi"));
            store.appendJournal(tokens("t1", 1, 2));
            ended(completed("t1", "w1w2"));

            store.appendJournal(tokens("t1", 5, 6));

            assertThat(names("t1")).containsExactly("token", "token", "done", "stream_end");
            assertThat(store.lastSeq("t1")).isEqualTo(4);
        }
    }

    @Nested
    class Delete {
        @Test
        void anIdleSessionIsDeletedWhenExpectedIdle() {
            create("s1");
            converse("s1", 1);

            assertThat(store.deleteSession(ALICE, "s1", null, null, now()))
                    .isEqualTo(new DeleteOutcome.Deleted(List.of()));
            assertThat(store.findSession(ALICE, "s1")).isEmpty();
            assertThat(store.findTurn(null, "s1-t0")).isEmpty();
            assertThat(store.journal("s1-t0", 0, 100)).isEmpty();
            assertThat(store.counts()).isEqualTo(new SessionStore.Counts(0, 0));
            assertThat(store.deleteSession(ALICE, "s1", null, null, now())).isInstanceOf(DeleteOutcome.NotFound.class);
        }

        @Test
        void anUnexpectedActiveTurnAnswersActiveChangedAndKeepsEverything() {
            create("s1");
            started(send(ALICE, "s1", "t1", "hi"));

            assertThat(store.deleteSession(ALICE, "s1", null, null, now()))
                    .isEqualTo(new DeleteOutcome.ActiveChanged("t1"));
            assertThat(store.deleteSession(ALICE, "s1", "t-other", completed("t-other", ""), now()))
                    .isEqualTo(new DeleteOutcome.ActiveChanged("t1"));
            store.endTurn(completed("t1", "x"), now());
            assertThat(store.deleteSession(ALICE, "s1", "t1", completed("t1", ""), now()))
                    .isEqualTo(new DeleteOutcome.ActiveChanged(null));
            assertThat(contents("s1")).containsExactly("user:hi", "assistant:x");
        }

        @Test
        void deletingWithTheActiveTurnEndsItAndCascades() {
            create("s1");
            converse("s1", 1);
            started(send(ALICE, "s1", "t1", "hi"));
            store.startTurn(sendOrQueue(ALICE, "s1", "t2", "queued", "c2"), now());
            store.appendJournal(tokens("t1", 1, 3));

            DeleteOutcome outcome = store.deleteSession(ALICE, "s1", "t1",
                    ending("t1", TurnState.CANCELLED, "w1", tokens("t1", 4, 5), null), now());

            assertThat(outcome).isInstanceOf(DeleteOutcome.Deleted.class);
            assertThat(((DeleteOutcome.Deleted) outcome).closing()).extracting(TurnEvent::seq, TurnEvent::name)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(6L, "cancel"));
            assertThat(store.findSession(ALICE, "s1")).isEmpty();
            assertThat(store.findTurn(null, "t1")).isEmpty();
            assertThat(store.findTurn(null, "s1-t0")).isEmpty();
            assertThat(store.journal("t1", 0, 100)).isEmpty();
            assertThat(store.messages(ALICE, "s1", 100, null)).isEmpty();
            assertThat(store.queued(ALICE, "s1")).isEmpty();
            assertThat(store.runningTurns()).isEmpty();
            assertThat(store.counts()).isEqualTo(new SessionStore.Counts(0, 0));
        }

        @Test
        void theWorkerOfADeletedSessionCannotWriteItBack() {
            create("s1");
            started(send(ALICE, "s1", "t1", "hi"));
            store.deleteSession(ALICE, "s1", "t1", ending("t1", TurnState.CANCELLED, "", List.of(), null), now());

            assertThat(store.endTurn(completed("t1", "late reply"), now())).isInstanceOf(EndOutcome.NotActive.class);
            store.appendJournal(tokens("t1", 1, 2));

            assertThat(store.findSession(ALICE, "s1")).isEmpty();
            assertThat(store.journal("t1", 0, 100)).isEmpty();
            assertThat(store.counts()).isEqualTo(new SessionStore.Counts(0, 0));
        }
    }

    @Nested
    class Journal {
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

    /** The turn count that versions an idle session's transcript, and the read that uses it. */
    @Nested
    class TranscriptVersion {
        @Test
        void everyStartCountsAQueuedOnePromotedByAnEndToo() {
            create("s1");
            assertThat(session("s1").turnCount()).isZero();
            converse("s1", 2);
            assertThat(session("s1").turnCount()).isEqualTo(2);

            StartOutcome.Started first = (StartOutcome.Started) store.startTurn(send(ALICE, "s1", "t1", "a"), now());
            assertThat(first.session()).isEqualTo(session("s1"));
            assertThat(first.session().turnCount()).isEqualTo(3);
            assertThat(store.startTurn(sendOrQueue(ALICE, "s1", "t9", "b", null), now()))
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

        @Test
        void aReadIsTheHistoryOfTheNextStartOnlyIfNoOtherTurnStartedBetween() {
            create("s1");
            converse("s1", 1);
            Transcript read = store.transcript(ALICE, "s1", 100).orElseThrow();
            StartOutcome.Started next = (StartOutcome.Started) store.startTurn(send(ALICE, "s1", "t1", "q"), now());
            assertThat(read.historyOf(next, userMessage(next))).map(h -> h.stream().map(Message::content).toList())
                    .contains(List.of("question 0", "answer 0", "q"));
            Transcript during = store.transcript(ALICE, "s1", 100).orElseThrow();
            assertThat(during.historyOf(next, userMessage(next))).as("read after the start: it shows t1 running")
                    .map(h -> h.stream().map(Message::content).toList()).contains(List.of("question 0", "answer 0", "q"));
            ended(completed("t1", "a"));

            Transcript stale = store.transcript(ALICE, "s1", 100).orElseThrow();
            started(send(ALICE, "s1", "t-other", "q")); // another tab's whole turn in between
            ended(completed("t-other", "a"));
            StartOutcome.Started later = (StartOutcome.Started) store.startTurn(send(ALICE, "s1", "t2", "q"), now());
            assertThat(stale.historyOf(later, userMessage(later))).isEmpty();
            assertThat(during.historyOf(later, userMessage(later))).as("showed another turn running").isEmpty();

            Transcript busy = store.transcript(ALICE, "s1", 100).orElseThrow(); // t2 running
            ended(completed("t2", "a"));
            StartOutcome.Started after = (StartOutcome.Started) store.startTurn(send(ALICE, "s1", "t3", "q"), now());
            assertThat(busy.historyOf(after, userMessage(after))).as("read while a turn ran: its reply came after")
                    .isEmpty();
        }

        private Message userMessage(StartOutcome.Started s) {
            return new Message(s.turn().userMessageIndex(), Message.USER, "q", null, null, null, null, List.of(),
                    null, s.turn().startedAt());
        }
    }
}
