package dev.tether.web.sse;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SseWriterTest {

    /** The frame's lines as an SSE client splits them: at CR LF, CR or LF. */
    private static List<String> lines(String id, String name) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SseWriter writer = new SseWriter(out);
        writer.event(id, name, "{\"text\":\"hi\"}");
        writer.flush();
        return List.of(out.toString(StandardCharsets.UTF_8).split("\r\n|\r|\n", -1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\r", "\n", "\r\n", "\n\r"})
    void aLineBreakInTheIdOrTheEventNameCannotAddAField(String lineBreak) throws IOException {
        List<String> lines = lines("t1:4" + lineBreak + "id: t9:99" + lineBreak + "retry: 1",
                "delta" + lineBreak + "event: stream_end" + lineBreak + "data: {}");

        assertThat(lines).filteredOn(l -> l.startsWith("id:")).hasSize(1);
        assertThat(lines).filteredOn(l -> l.startsWith("event:")).hasSize(1);
        assertThat(lines).filteredOn(l -> l.startsWith("data:")).hasSize(1);
        assertThat(lines).containsExactly("id: t1:4id: t9:99retry: 1", "event: deltaevent: stream_enddata: {}",
                "data: {\"text\":\"hi\"}", "", "");
    }

    @ParameterizedTest
    @ValueSource(strings = {"t1:4", "é😀:7"})
    void writesACleanFrameAsItIs(String id) throws IOException {
        assertThat(lines(id, "delta")).containsExactly("id: " + id, "event: delta", "data: {\"text\":\"hi\"}", "", "");
    }
}
