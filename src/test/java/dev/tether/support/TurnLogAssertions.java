package dev.tether.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;

/** Checks every turn log must pass (DESIGN.md invariants 2 and 5), whatever the scenario. */
public final class TurnLogAssertions {
    public static final Set<String> TERMINAL = Set.of("done", "cancel", "apperror");

    private TurnLogAssertions() {}

    /**
     * The events of one whole turn: ids {@code <turn>:1..n} without gap or duplicate, exactly one
     * terminal event, {@code done} followed by exactly {@code stream_end}, and nothing else after
     * the terminal. Returns the terminal event's name.
     */
    public static String assertWholeTurn(String turnId, List<SseTestClient.Frame> events) {
        assertThat(events).as("events of turn %s", turnId).isNotEmpty();
        for (int i = 0; i < events.size(); i++) {
            assertThat(events.get(i).id()).as("id of event %d of %s", i, events).isEqualTo(turnId + ":" + (i + 1));
        }
        List<SseTestClient.Frame> terminals = events.stream().filter(f -> TERMINAL.contains(f.event())).toList();
        assertThat(terminals).as("terminal events of %s", turnId).hasSize(1);
        String terminal = terminals.getFirst().event();
        List<String> tail = events.subList(events.indexOf(terminals.getFirst()), events.size()).stream()
                .map(SseTestClient.Frame::event).toList();
        if (terminal.equals("done")) {
            assertThat(tail).as("tail of %s", turnId).containsExactly("done", "stream_end");
        } else {
            assertThat(tail).as("tail of %s", turnId).containsExactly(terminal);
        }
        assertThat(events).extracting(SseTestClient.Frame::event).as("stream_end of %s", turnId)
                .filteredOn("stream_end"::equals).hasSize(terminal.equals("done") ? 1 : 0);
        return terminal;
    }

    /** The concatenated token text of a list of events. */
    public static String text(List<SseTestClient.Frame> events) {
        StringBuilder sb = new StringBuilder();
        for (SseTestClient.Frame f : events) {
            if (f.event().equals("token")) {
                sb.append(f.json().path("text").asText());
            }
        }
        return sb.toString();
    }
}
