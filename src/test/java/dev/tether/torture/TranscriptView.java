package dev.tether.torture;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.Set;

/** Checks one {@code GET /api/session?messages=1} answer for shapes no interleaving may produce. */
final class TranscriptView {
    private TranscriptView() {}

    static void check(JsonNode session, Ledger ledger) {
        String id = session.path("session_id").asText();
        if (session.path("is_streaming").asBoolean() == session.path("active_stream_id").isNull()) {
            ledger.violation("session " + id + ": is_streaming disagrees with active_stream_id: " + session);
        }
        int expected = 0;
        Set<String> replies = new HashSet<>();
        String previousRole = null;
        for (JsonNode m : session.path("messages")) {
            int index = m.path("index").asInt();
            String role = m.path("role").asText();
            if (index != expected++) {
                ledger.violation("session " + id + ": message indexes not contiguous at " + index);
                return;
            }
            if (role.equals("assistant")) {
                String turn = m.path("turn_id").asText(null);
                if (turn == null || !replies.add(turn)) {
                    ledger.violation("session " + id + ": assistant message " + index + " has turn " + turn
                            + " (missing or written twice)");
                }
            }
            if (role.equals(previousRole)) {
                ledger.violation("session " + id + ": two " + role + " messages in a row at " + index);
            }
            previousRole = role;
        }
    }
}
