package dev.tether.store;

import static dev.tether.support.TurnRequests.completed;
import static dev.tether.support.TurnRequests.edit;
import static dev.tether.support.TurnRequests.send;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.session.Message;
import dev.tether.session.Session;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Search through the stores' full-text indexes (kept in step with every write of a message), and
 * what a user's messages take for the quota.
 */
class StoreSearchTest extends SessionStoreContract {

    @Test
    void searchFindsTextInsideWordsWhateverItsCase() {
        imported("photo", ALICE, "about Photosynthesis in plants", null);
        imported("quote", ALICE, "she said \"yes\" twice", null);
        imported("other", ALICE, "nothing to see", null);

        assertThat(ids(ALICE, "SYNTH")).containsExactly("photo");
        assertThat(ids(ALICE, "said \"yes\"")).containsExactly("quote");
        assertThat(ids(ALICE, "\"")).containsExactly("quote"); // shorter than a trigram: read, not indexed
        assertThat(ids(ALICE, "in plants or not")).isEmpty();
        assertThat(ids(BOB, "synth")).isEmpty();
    }

    @Test
    void theIndexForgetsMessagesThatAreGone() {
        create("s1");
        started(send(ALICE, "s1", "t1", "first question"));
        ended(completed("t1", "zebras have stripes"));
        imported("gone", ALICE, "zebras again", null);
        assertThat(ids(ALICE, "zebra")).containsExactlyInAnyOrder("s1", "gone");

        transitions.delete(ALICE, "gone", null, null);
        started(edit(ALICE, "s1", "t2", 0, "a question about lions"));

        assertThat(ids(ALICE, "zebra")).isEmpty();
        assertThat(ids(ALICE, "lions")).containsExactly("s1");
    }

    @Test
    void storedBytesCountContentAndReasoningAsUtf8PerOwner() {
        imported("s1", ALICE, "héllo", "abc"); // 6 + 3 bytes
        imported("s2", ALICE, "12345", null);
        imported("b1", BOB, "bob's", null);

        assertThat(store.storedBytes(ALICE)).isEqualTo(14);
        assertThat(store.storedBytes(BOB)).isEqualTo(5);

        transitions.delete(ALICE, "s1", null, null);
        assertThat(store.storedBytes(ALICE)).isEqualTo(5);
        assertThat(store.storedBytes("nobody")).isZero();
    }

    private List<String> ids(String owner, String query) {
        return store.listSessions(owner, true, query).stream().map(Session::id).toList();
    }

    /** A session of {@code owner} holding one user message and, when {@code reasoning} is given, a reply. */
    private void imported(String id, String owner, String content, String reasoning) {
        Instant at = now();
        Session s = new Session(id, owner, "Imported", "m1", false, false, at, at, at, null, 0, 0, 0, 0);
        List<Message> messages = reasoning == null
                ? List.of(new Message(0, Message.USER, content, null, null, null, null, null, null, null, at))
                : List.of(new Message(0, Message.USER, content, null, null, null, null, null, null, null, at),
                        new Message(1, Message.ASSISTANT, "", reasoning, null, null, null, null, null, null, at));
        store.importSession(s, messages);
    }
}
