package dev.tether.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What an export file becomes: the rules of an import, without a store. */
class SessionImportTest {
    private static final Instant AT = Instant.parse("2025-01-01T10:00:00Z");

    private static SessionImport.Entry entry(String role, String content, String status) {
        return new SessionImport.Entry(role, content, null, status, null, null, null);
    }

    private static SessionImport file(String title, SessionImport.Entry... entries) {
        return new SessionImport(title, true, List.of(entries));
    }

    @Test
    void onlyUserAndAssistantEntriesBecomeMessagesNumberedFromZero() {
        List<Message> messages = file("t", entry("system", "be nice", ""), entry("user", "hi", ""),
                entry("tool", "{}", ""), entry("assistant", "hello", "")).messages(AT);

        assertThat(messages).extracting(Message::index, Message::role, Message::content)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(0, "user", "hi"),
                        org.assertj.core.groups.Tuple.tuple(1, "assistant", "hello"));
    }

    @Test
    void onlyARepliesKnownStatusBecomesAMark() {
        List<Message> messages = file("t", entry("user", "a", "stopped"), entry("assistant", "b", "stopped"),
                entry("assistant", "c", "error"), entry("assistant", "d", "interrupted"),
                entry("assistant", "e", "done"), entry("assistant", "f", "STOPPED")).messages(AT);

        assertThat(messages).extracting(Message::mark).containsExactly(null, Message.Mark.STOPPED,
                Message.Mark.ERROR, Message.Mark.INTERRUPTED, null, null);
    }

    @Test
    void aMessageWithoutTextRefusesTheFileButAnIgnoredEntryDoesNot() {
        assertThat(file("t", entry("user", null, "")).refusal()).isNotNull();
        assertThat(file("t", entry("system", null, ""), entry("user", "hi", "")).refusal()).isNull();
    }

    @Test
    void theTitleIsTheFilesStrippedAndCutOrTheDefault() {
        assertThat(file(null).session("s", "o", "m", 0, AT).title()).isEqualTo(SessionImport.DEFAULT_TITLE);
        assertThat(file("  ").session("s", "o", "m", 0, AT).title()).isEqualTo(SessionImport.DEFAULT_TITLE);
        assertThat(file("  Trip plans ").session("s", "o", "m", 0, AT).title()).isEqualTo("Trip plans (imported)");
        assertThat(file("Trip\u0000 plans\u202E").session("s", "o", "m", 0, AT).title())
                .as("control characters and direction overrides are dropped").isEqualTo("Trip plans (imported)");
        assertThat(file("x".repeat(Session.MAX_TITLE + 50)).session("s", "o", "m", 0, AT).title())
                .hasSize(Session.MAX_TITLE).endsWith(SessionImport.MARKER);
    }

    @Test
    void theSessionIsIdleAndKeepsTheFilesFlags() {
        Session s = file("t").session("s1", "alice", "m", 3, AT);

        assertThat(s.activeTurn()).isNull();
        assertThat(s.messageCount()).isEqualTo(3);
        assertThat(s.turnCount()).isZero();
        assertThat(s.archived()).isTrue();
        assertThat(s.pinned()).isFalse();
        assertThat(s.lastMessageAt()).isEqualTo(AT);
        assertThat(file("t").session("s1", "alice", "m", 0, AT).lastMessageAt()).isNull();
    }
}
