package dev.tether.model.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tether.model.ModelDelta;
import dev.tether.model.ModelException;
import dev.tether.model.RecordingSink;
import org.junit.jupiter.api.Test;

class ChunkDecoderTest {

    final RecordingSink sink = new RecordingSink();
    final ChunkDecoder decoder = new ChunkDecoder(new ProviderFaults("http://provider/v1"));

    static String delta(String deltaJson, String finishReason) {
        return "{\"choices\":[{\"index\":0,\"delta\":" + deltaJson + ",\"finish_reason\":"
                + (finishReason == null ? "null" : "\"" + finishReason + "\"") + "}]}";
    }

    @Test
    void aRoleOnlyChunkIsNotContent() throws ModelException {
        assertThat(decoder.decode(delta("{\"role\":\"assistant\",\"content\":null}", null), sink)).isFalse();
        assertThat(decoder.decode(delta("{\"content\":\"\"}", null), sink)).isFalse();
        assertThat(sink.deltas()).isEmpty();
    }

    @Test
    void assemblesInterleavedToolCallsByIndexAtFinish() throws ModelException {
        decoder.decode(delta("{\"tool_calls\":[{\"index\":1,\"id\":\"b\",\"function\":{\"name\":\"two\",\"arguments\":\"{\\\"y\\\"\"}}]}", null), sink);
        decoder.decode(delta("{\"tool_calls\":[{\"index\":0,\"id\":\"a\",\"function\":{\"name\":\"one\",\"arguments\":\"{}\"}}]}", null), sink);
        decoder.decode(delta("{\"tool_calls\":[{\"index\":1,\"function\":{\"name\":\"two\",\"arguments\":\":2}\"}}]}", null), sink);
        assertThat(sink.deltas()).isEmpty();

        decoder.decode(delta("{}", "tool_calls"), sink);

        assertThat(sink.deltas()).containsExactly(new ModelDelta.ToolCall("a", "one", "{}"),
                new ModelDelta.ToolCall("b", "two", "{\"y\":2}"));
        assertThat(decoder.isFinished()).isTrue();
    }

    @Test
    void emitsOnlyTheLastUsageAtTheEnd() throws ModelException {
        decoder.decode("{\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":1}}", sink);
        decoder.decode("{\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":9}}", sink);
        assertThat(sink.deltas()).isEmpty();

        decoder.finish(sink);

        assertThat(sink.deltas()).containsExactly(new ModelDelta.Usage(3, 9));
    }

    @Test
    void prefersReasoningContentWhenBothReasoningFieldsArrive() throws ModelException {
        decoder.decode(delta("{\"reasoning_content\":\"think\",\"reasoning\":\"think\"}", null), sink);

        assertThat(sink.deltas()).containsExactly(new ModelDelta.Reasoning("think"));
    }

    @Test
    void anErrorObjectInTheStreamIsAProviderError() {
        assertThatThrownBy(() -> decoder.decode("{\"error\":{\"message\":\"overloaded\"}}", sink))
                .isInstanceOfSatisfying(ModelException.class, e -> {
                    assertThat(e.type()).isEqualTo("provider_error");
                    assertThat(e.getMessage()).contains("overloaded");
                });
    }

    @Test
    void contentOfTheWrongTypeIsABadResponse() {
        assertThatThrownBy(() -> decoder.decode(delta("{\"content\":42}", null), sink))
                .isInstanceOfSatisfying(ModelException.class, e -> assertThat(e.type()).isEqualTo("bad_response"));
        assertThatThrownBy(() -> decoder.decode("[1,2]", sink))
                .isInstanceOfSatisfying(ModelException.class, e -> assertThat(e.type()).isEqualTo("bad_response"));
    }

    @Test
    void splitsHugeTextWithoutBreakingSurrogatePairs() throws ModelException {
        String huge = "x" + "😀".repeat(ChunkDecoder.MAX_DELTA_CHARS); // a pair straddles every cut

        decoder.decode(delta("{\"content\":\"" + huge + "\"}", null), sink);

        assertThat(sink.text()).isEqualTo(huge);
        assertThat(sink.all(ModelDelta.Text.class)).hasSizeGreaterThan(1).allSatisfy(t -> {
            assertThat(t.text().length()).isLessThanOrEqualTo(ChunkDecoder.MAX_DELTA_CHARS);
            assertThat(Character.isHighSurrogate(t.text().charAt(t.text().length() - 1))).isFalse();
        });
    }
}
