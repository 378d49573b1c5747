package dev.tether.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The exact bytes of each event payload: stored journals and clients depend on them. */
class EventBytesTest {
    static final Instant AT = Instant.parse("2025-01-01T10:00:00Z");
    static final Session SESSION = new Session("s1", "alice", "Trip \"plans\"", "m1", false, false, AT, AT, AT, "t9", 4, 2, 0, 0);
    static final String SUMMARY = "{\"session_id\":\"s1\",\"title\":\"Trip \\\"plans\\\"\",\"message_count\":4,"
            + "\"model\":\"m1\",\"is_streaming\":true,\"active_stream_id\":\"t9\"}";

    @Test
    void streamedEvents() {
        assertThat(EventPayloads.text("a\"b\n")).isEqualTo("{\"text\":\"a\\\"b\\n\"}");
        assertThat(EventPayloads.tool("c1", "search", "{\"q\":1}"))
                .isEqualTo("{\"id\":\"c1\",\"name\":\"search\",\"args\":\"{\\\"q\\\":1}\"}");
        assertThat(EventPayloads.toolComplete("c1", "search", "ok", false, 12))
                .isEqualTo("{\"id\":\"c1\",\"name\":\"search\",\"result\":\"ok\",\"is_error\":false,\"duration_ms\":12}");
        assertThat(EventPayloads.usage(3, 4)).isEqualTo("{\"input_tokens\":3,\"output_tokens\":4,\"total_tokens\":7}");
    }

    @Test
    void closingEvents() {
        assertThat(EventPayloads.done(EventPayloads.usage(3, 4)).after(SESSION)).containsExactly(
                new TurnEnding.Draft("done", "{\"session\":" + SUMMARY
                        + ",\"usage\":{\"input_tokens\":3,\"output_tokens\":4,\"total_tokens\":7}}"),
                new TurnEnding.Draft("stream_end", "{\"session_id\":\"s1\"}"));
        assertThat(EventPayloads.done(null).after(SESSION).getFirst().json())
                .isEqualTo("{\"session\":" + SUMMARY + ",\"usage\":{}}");
        assertThat(EventPayloads.cancel().after(SESSION)).containsExactly(new TurnEnding.Draft("cancel",
                "{\"message\":\"Stopped by the user.\",\"session\":" + SUMMARY + "}"));
        assertThat(EventPayloads.appError("Boom", "provider", "Try later.", "retry").after(SESSION)).containsExactly(
                new TurnEnding.Draft("apperror", "{\"message\":\"Boom\",\"type\":\"provider\",\"hint\":\"Try later.\","
                        + "\"recovery_control\":\"retry\",\"session_id\":\"s1\"}"));
        assertThat(EventPayloads.appError("Boom", "internal", null, null).after(SESSION)).containsExactly(
                new TurnEnding.Draft("apperror", "{\"message\":\"Boom\",\"type\":\"internal\",\"session_id\":\"s1\"}"));
    }

    @Test
    void anIdleSessionsSummaryHasANullStream() {
        Session idle = SESSION.changed(null, 4, "T", AT, AT);
        assertThat(EventPayloads.write(EventPayloads.sessionSummary(idle))).isEqualTo("{\"session_id\":\"s1\",\"title\":\"T\","
                + "\"message_count\":4,\"model\":\"m1\",\"is_streaming\":false,\"active_stream_id\":null}");
    }
}
