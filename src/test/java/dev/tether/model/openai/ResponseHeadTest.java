package dev.tether.model.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import org.junit.jupiter.api.Test;

/** Response heads read as RFC 9110 (repeated fields) and RFC 9112 (framing) say. */
class ResponseHeadTest {

    static ResponseHead head(String... fieldLines) throws IOException {
        return ResponseHead.parse("HTTP/1.1 200 OK\r\n" + String.join("\r\n", fieldLines) + "\r\n\r\n");
    }

    @Test
    void repeatedFieldLinesAreOneFieldJoinedInOrder() throws IOException {
        ResponseHead h = head("Cache-Control: no-cache", "X-Thing: a", "cache-control: no-store", "x-thing: b");

        assertThat(h.header("Cache-Control", null)).isEqualTo("no-cache, no-store");
        assertThat(h.header("X-THING", null)).isEqualTo("a, b");
        assertThat(h.header("Absent", "fallback")).isEqualTo("fallback");
    }

    @Test
    void aFoldedLineContinuesThePreviousValue() throws IOException {
        assertThat(head("X-Long: one", " two", "\tthree").header("x-long", null)).isEqualTo("one two three");
    }

    @Test
    void repeatedEqualContentLengthsCountOnce() throws IOException {
        assertThat(head("Content-Length: 42", "Content-Length: 42").contentLength()).isEqualTo(42);
        assertThat(head("Content-Length: 42, 42").contentLength()).isEqualTo(42);
        assertThat(head("Content-Length: 42").framing("POST")).isEqualTo(ResponseHead.Framing.LENGTH);
    }

    @Test
    void contentLengthsThatDifferAreAnError() {
        assertThatThrownBy(() -> head("Content-Length: 42", "Content-Length: 7").framing("POST"))
                .isInstanceOf(IOException.class).hasMessageContaining("conflicting Content-Length");
        assertThatThrownBy(() -> head("Content-Length: 1, 2").contentLength()).hasMessageContaining("conflicting");
    }

    @Test
    void aContentLengthThatIsNotADecimalNumberIsAnError() {
        for (String bad : new String[] {"-1", "+5", "0x10", "", "1e3", "99999999999999999999"}) {
            assertThatThrownBy(() -> head("Content-Length: " + bad).contentLength()).as(bad)
                    .hasMessageContaining("bad Content-Length");
        }
    }

    @Test
    void transferEncodingOverridesContentLengthAndTheConnectionIsNotKept() throws IOException {
        ResponseHead h = head("Content-Length: 10", "Transfer-Encoding: chunked");

        assertThat(h.framing("POST")).isEqualTo(ResponseHead.Framing.CHUNKED);
        assertThat(h.hasConflictingFraming()).isTrue();
        assertThat(head("Transfer-Encoding: chunked").hasConflictingFraming()).isFalse();
    }

    @Test
    void onlyTheChunkedTransferCodingIsAccepted() throws IOException {
        assertThat(head("Transfer-Encoding: Chunked").framing("POST")).isEqualTo(ResponseHead.Framing.CHUNKED);
        assertThatThrownBy(() -> head("Transfer-Encoding: gzip, chunked").framing("POST"))
                .hasMessageContaining("transfer coding Tether does not decode");
        assertThatThrownBy(() -> head("Transfer-Encoding: gzip", "Transfer-Encoding: chunked").framing("POST"))
                .hasMessageContaining("gzip, chunked");
        assertThatThrownBy(() -> head("Transfer-Encoding: chunked, gzip").framing("POST"))
                .hasMessageContaining("does not decode");
    }

    @Test
    void transferEncodingInAnHttp10ResponseIsAnError() {
        assertThatThrownBy(() -> ResponseHead.parse("HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
                .framing("GET")).hasMessageContaining("HTTP/1.0");
    }

    @Test
    void withoutFramingFieldsTheBodyRunsToTheEndOfTheConnection() throws IOException {
        assertThat(head("Content-Type: text/event-stream").framing("POST")).isEqualTo(ResponseHead.Framing.UNTIL_CLOSE);
        assertThat(ResponseHead.parse("HTTP/1.1 204 No Content\r\n\r\n").framing("POST"))
                .isEqualTo(ResponseHead.Framing.NONE);
    }

    @Test
    void connectionCloseIsATokenOfTheJoinedList() throws IOException {
        assertThat(head("Connection: keep-alive", "Connection: Close").keepsAlive()).isFalse();
        assertThat(head("Connection: keep-alive, closed-captions").keepsAlive()).isTrue();
        assertThat(ResponseHead.parse("HTTP/1.0 200 OK\r\n\r\n").keepsAlive()).isFalse();
    }
}
