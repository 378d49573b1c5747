package dev.tether.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading a hermes-webui session file: times kept but never later than the import; bad shapes refused. */
class HermesSessionTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void keepsTheFilesTimesButNoneLaterThanTheImport() throws Exception {
        HermesSession read = HermesSession.read(JSON.readTree("""
                {"session_id": "a", "created_at": 1764000000.25, "updated_at": 99999999999.0,
                 "messages": [{"role": "user", "content": "hi", "timestamp": 1764000001.0},
                              {"role": "assistant", "content": "ho", "timestamp": "yesterday"}]}"""));
        List<Message> messages = read.file().messages(NOW);
        Session s = read.file().session("id", "owner", "m", messages.size(), NOW);
        assertThat(s.createdAt()).isEqualTo(Instant.parse("2025-11-24T16:00:00.250Z"));
        assertThat(s.updatedAt()).as("a future updated_at").isEqualTo(NOW);
        assertThat(messages.get(0).createdAt()).isEqualTo(Instant.parse("2025-11-24T16:00:01Z"));
        assertThat(messages.get(1).createdAt()).as("not a number: the session's last time").isEqualTo(NOW);
        assertThat(s.title()).isEqualTo(SessionImport.DEFAULT_TITLE);
    }

    @Test
    void refusesWhatIsNotASessionWithOneLineSayingWhere() throws Exception {
        for (String[] bad : new String[][] {
                {"[1, 2]", "not a JSON object"},
                {"{\"session_id\": \"a\"}", "no 'messages' list"},
                {"{\"messages\": [\"hi\"]}", "message 1 is not a JSON object"},
                {"{\"messages\": [{\"role\": \"user\", \"content\": {\"x\": 1}}]}", "neither text nor a list of parts"},
                {"{\"messages\": [{\"role\": \"assistant\", \"content\": \"a\", \"tool_calls\": 3}]}", "tool_calls is not a list"},
                {"{\"messages\": [{\"role\": \"user\"}]}", "has no content"}}) {
            assertThatThrownBy(() -> HermesSession.read(JSON.readTree(bad[0]))).as(bad[0])
                    .isInstanceOf(HermesSession.Malformed.class).hasMessageContaining(bad[1])
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        }
    }
}
