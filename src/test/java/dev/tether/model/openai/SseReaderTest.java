package dev.tether.model.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SseReaderTest {

    static List<SseReader.Event> readAll(InputStream in, int maxBytes) throws IOException {
        SseReader reader = new SseReader(in, () -> { }, maxBytes);
        List<SseReader.Event> events = new ArrayList<>();
        for (SseReader.Event e = reader.next(); e != null; e = reader.next()) {
            events.add(e);
        }
        return events;
    }

    static InputStream bytes(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsDataEventsWithLfOrCrlfAndSkipsComments() throws IOException {
        String stream = ": keep-alive\n\ndata: {\"a\":1}\n\r\ndata:{\"b\":2}\r\n\r\nevent: error\ndata: x\n\ndata: [DONE]\n\n";

        assertThat(readAll(bytes(stream), 1024)).containsExactly(
                new SseReader.Event("message", "{\"a\":1}"), new SseReader.Event("message", "{\"b\":2}"),
                new SseReader.Event("error", "x"), new SseReader.Event("message", "[DONE]"));
    }

    @Test
    void joinsMultiLineDataAndKeepsAnUnterminatedLastEvent() throws IOException {
        assertThat(readAll(bytes("data: one\ndata: two\n\ndata: tail"), 1024)).containsExactly(
                new SseReader.Event("message", "one\ntwo"), new SseReader.Event("message", "tail"));
    }

    @Test
    void aDataLineWithoutColonIsAnEmptyLineOfData() throws IOException {
        assertThat(readAll(bytes("data: a\ndata\ndata: b\n\ndata\ndata: x\n\ndata\n\n"), 1024)).containsExactly(
                new SseReader.Event("message", "a\n\nb"), new SseReader.Event("message", "\nx"),
                new SseReader.Event("message", ""));
    }

    @Test
    void decodesCharactersSplitAcrossReads() throws IOException {
        byte[] all = "data: héllo ✓ 😀\n\n".getBytes(StandardCharsets.UTF_8);
        InputStream oneByteAtATime = new InputStream() {
            int i;

            @Override
            public int read() {
                return i < all.length ? all[i++] & 0xff : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (i >= all.length) {
                    return -1;
                }
                b[off] = all[i++];
                return 1;
            }
        };

        assertThat(readAll(oneByteAtATime, 1024)).containsExactly(new SseReader.Event("message", "héllo ✓ 😀"));
    }

    @Test
    void reportsEachReadSoTheWatchdogSeesProgress() throws IOException {
        AtomicInteger reads = new AtomicInteger();
        SseReader reader = new SseReader(bytes("data: x\n\n"), reads::incrementAndGet, 1024);

        reader.next();

        assertThat(reads).hasPositiveValue();
    }

    @Test
    void refusesALineLongerThanTheLimit() {
        assertThatThrownBy(() -> readAll(bytes("data: " + "x".repeat(5000) + "\n\n"), 4096))
                .isInstanceOf(SseReader.TooLarge.class);
    }

    @Test
    void refusesAnEventOfManyLinesLongerThanTheLimit() {
        assertThatThrownBy(() -> readAll(bytes(("data: " + "x".repeat(1000) + "\n").repeat(10) + "\n"), 4096))
                .isInstanceOf(SseReader.TooLarge.class);
    }

    /** {@code text}, then a reset: the failure a socket reports once its buffered bytes are read. */
    static InputStream thenReset(String text) {
        return new java.io.SequenceInputStream(bytes(text), new InputStream() {
            @Override
            public int read() throws IOException {
                throw new java.net.SocketException("Connection reset");
            }
        });
    }

    @Test
    void aResetAfterCompleteDataLinesDeliversTheirEventBeforeTheFailure() throws IOException {
        SseReader reader = new SseReader(thenReset("data: {\"a\":1}\n\ndata: {\"b\":2}\ndata: {\"c\":3}\ndata: {\"d\""),
                () -> { }, 1024);

        assertThat(reader.next()).isEqualTo(new SseReader.Event("message", "{\"a\":1}"));
        assertThat(reader.next()).isEqualTo(new SseReader.Event("message", "{\"b\":2}\n{\"c\":3}"));
        assertThatThrownBy(reader::next).isInstanceOf(java.net.SocketException.class).hasMessage("Connection reset");
    }

    @Test
    void aResetWithoutCompleteDataLinesIsThrownAtOnce() {
        SseReader reader = new SseReader(thenReset(": comment\nevent: x\ndata: {\"half"), () -> { }, 1024);

        assertThatThrownBy(reader::next).isInstanceOf(java.net.SocketException.class);
    }
}
