package dev.tether.model.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;
import static org.quicktheories.generators.SourceDSL.strings;

import dev.tether.model.ModelDelta;
import dev.tether.model.ModelException;
import dev.tether.model.RecordingSink;
import dev.tether.model.openai.RandomChunks.Outcome;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

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

    @Test
    void readsTheTypicalChunk() {
        String typical = "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,"
                + "\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\" hello\"},\"finish_reason\":null}]}";
        assertThat(RandomChunks.decoded(typical))
                .isEqualTo(new Outcome(List.of(new ModelDelta.Text(" hello")), true, false, null));
    }

    @Test
    void decodesEveryEscapeAndSurrogatePairs() throws ModelException {
        String escaped = "\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u0041\\u00e9\\u0000\\u001F \\ud83d\\ude00\\uD83D\\uDE00 😀";
        decoder.decode("{\"choices\":[{\"delta\":{\"content\":\"" + escaped + "\"}}]}", sink);
        assertThat(sink.text()).isEqualTo("\" \\ / \b \f \n \r \t Aé\u0000\u001f 😀😀 😀");
    }

    @Test
    void allowsWhitespaceBetweenEveryToken() {
        List<String> tokens = List.of("{", "\"choices\"", ":", "[", "{", "\"delta\"", ":", "{", "\"content\"", ":",
                "\"hi\"", ",", "\"x\"", ":", "[", "1", ",", "true", ",", "null", ",", "{", "}", ",", "[", "]", "]", "}",
                ",", "\"finish_reason\"", ":", "\"stop\"", "}", "]", ",", "\"usage\"", ":", "{", "\"prompt_tokens\"", ":",
                "2", ",", "\"completion_tokens\"", ":", "-3", "}", "}");
        String spaced = " \r\n\t" + String.join(" \n\t\r ", tokens) + "\n\r\t ";
        assertThat(RandomChunks.decoded(spaced))
                .isEqualTo(new Outcome(List.of(new ModelDelta.Text("hi"), new ModelDelta.Usage(2, -3)), true, true, null))
                .isEqualTo(RandomChunks.decoded(String.join("", tokens)));
    }

    @Test
    void skipsUnknownFieldsHoweverDeepAndWhateverTheyHold() {
        String unknown = "{\"a\":[{\"b\":{\"c\":[1,-2.5e-3,\"x\\\"}]\",null,false]}},[]],\"tool_calls\":[{}],\"error\":{}}";
        String chunk = "{\"before\":" + unknown + ",\"choices\":[{\"x\":" + unknown + ",\"delta\":{\"y\":" + unknown
                + ",\"content\":\"ok\",\"z\":" + unknown + "}}],\"after\":" + unknown + "}";
        assertThat(RandomChunks.decoded(chunk)).isEqualTo(new Outcome(List.of(new ModelDelta.Text("ok")), true, false, null));
    }

    @Test
    void readsNullsAsAbsentAndKeysByTheirDecodedName() {
        assertThat(RandomChunks.decoded("{\"error\":null,\"choices\":[{\"delta\":{\"content\":null,\"tool_calls\":null},"
                + "\"finish_reason\":null}],\"usage\":null}")).isEqualTo(new Outcome(List.of(), false, false, null));
        assertThat(RandomChunks.decoded("{\"\\u0063hoices\":[{\"delta\":{\"con\\u0074ent\":\"a\"}}]}").deltas())
                .containsExactly(new ModelDelta.Text("a"));
    }

    @Test
    void countsARepeatedKeyTheLastTime() {
        List<String> chunks = List.of(
                "{\"choices\":[{\"delta\":{\"content\":\"a\",\"content\":\"b\"}}]}",
                "{\"choices\":[{\"delta\":{\"content\":5,\"content\":\"b\"}}]}",
                "{\"choices\":[{\"delta\":{\"content\":\"a\",\"tool_calls\":[{}]},\"delta\":{}}]}",
                "{\"choices\":[{\"delta\":{\"content\":\"a\"}}],\"choices\":[]}",
                "{\"error\":{\"message\":\"x\"},\"error\":null,\"choices\":[]}",
                "{\"usage\":{\"prompt_tokens\":1},\"usage\":null}",
                "{\"usage\":{\"prompt_tokens\":1,\"prompt_tokens\":2}}");
        for (String chunk : chunks) {
            assertThat(RandomChunks.decoded(chunk)).as(chunk).isEqualTo(RandomChunks.treeReading(chunk));
        }
        assertThat(RandomChunks.decoded(chunks.get(1)).deltas()).containsExactly(new ModelDelta.Text("b"));
    }

    @Test
    void anErrorAnywhereInTheChunkWinsOverAValueOfTheWrongType() {
        assertThat(RandomChunks.decoded("{\"choices\":[{\"delta\":{\"content\":5}}],\"error\":{\"message\":\"boom\"}}"))
                .isEqualTo(Outcome.fault("provider_error"));
    }

    @Test
    void toolCallsThatAreNotAnArrayAreABadResponse() {
        assertThat(RandomChunks.decoded(delta("{\"tool_calls\":{\"index\":0,\"id\":\"a\"}}", null)))
                .isEqualTo(Outcome.fault("bad_response"));
        assertThat(RandomChunks.decoded(delta("{\"tool_calls\":\"x\"}", null))).isEqualTo(Outcome.fault("bad_response"));
    }

    @Test
    void readsToolCallArgumentsSentAsAnObjectAsTheirJson() {
        assertThat(RandomChunks.decoded(delta("{\"tool_calls\":[{\"id\":\"a\",\"function\":{\"name\":\"f\","
                + "\"arguments\":{\"q\": [1, \"x\"]}}}]}", "tool_calls")).deltas())
                .containsExactly(new ModelDelta.ToolCall("a", "f", "{\"q\":[1,\"x\"]}"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "[1]", "\"x\"", "null", "{", "{}}", "{} x", "{}{}", "{} {\"error\":1}", "{\"a\":1,}",
            "{\"a\":[1,]}", "{,\"a\":1}", "{\"a\" 1}", "{\"a\":1 \"b\":2}", "{\"a\"}", "{a:1}", "{'a':1}", "{\"a\":\"b}",
            "{\"a\":\"\\x\"}", "{\"a\":\"\\u12G4\"}", "{\"a\":\"\\u12\"}", "{\"a\":\"\\", "{\"a\":\"line\nbreak\"}",
            "{\"a\":\"tab\there\"}", "{\"a\":01}", "{\"a\":-}", "{\"a\":1.}", "{\"a\":.5}", "{\"a\":1e}", "{\"a\":+1}",
            "{\"a\":tru}", "{\"a\":nul}", "{\"a\":nullx}", "{\"a\":True}", "{\"a\":NaN}", "{\"a\":[}", "{\"a\":{]}",
            "{\"choices\":[{\"delta\":{\"content\":\"a\"}}]", "\uFEFF{}", "{\"a\":1}\u0000", "{\"a\"\u00a0:1}"})
    void malformedJsonIsABadResponse(String text) {
        assertThat(RandomChunks.decoded(text)).isEqualTo(Outcome.fault("bad_response"));
    }

    @Test
    void everyTruncationOfAChunkIsABadResponseAndEmitsNothing() {
        String chunk = "{\"choices\":[{\"delta\":{\"content\":\"a\\u00e9\\n\",\"tool_calls\":[{\"index\":0}]},"
                + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":-3},\"x\":[true,1.5e+3]}";
        assertThat(RandomChunks.decoded(chunk).fault()).isNull();
        for (int end = 0; end < chunk.length(); end++) {
            assertThat(RandomChunks.decoded(chunk.substring(0, end))).as(chunk.substring(0, end))
                    .isEqualTo(Outcome.fault("bad_response"));
        }
    }

    @Test
    void deepNestingIsABadResponseWithoutOverflowingTheStack() {
        assertThat(RandomChunks.decoded("{\"x\":" + "[".repeat(100_000) + "]".repeat(100_000) + ",\"choices\":[]}"))
                .isEqualTo(Outcome.fault("bad_response"));
        assertThat(RandomChunks.decoded(delta("{\"tool_calls\":[" + "{\"y\":".repeat(100_000) + "1"
                + "}".repeat(100_000) + "]}", null))).isEqualTo(Outcome.fault("bad_response"));
    }

    @Test
    void agreesWithATreeReadingOnGeneratedChunks() {
        qt().withExamples(5_000).forAll(texts(), texts(), longs().all()).checkAssert((content, reasoning, seed) -> {
            String chunk = RandomChunks.chunk(content, reasoning, new Random(seed));
            assertThat(RandomChunks.decoded(chunk)).as(chunk).isEqualTo(RandomChunks.treeReading(chunk));
        });
    }

    @Test
    void agreesWithATreeReadingOnMutatedChunksAndFailsOnlyWithAModelException() {
        qt().withExamples(10_000).forAll(texts(), texts(), longs().all()).checkAssert((content, reasoning, seed) -> {
            Random random = new Random(seed);
            String chunk = RandomChunks.mutate(RandomChunks.chunk(content, reasoning, random), random);
            assertThat(RandomChunks.decoded(chunk)).as(chunk).isEqualTo(RandomChunks.treeReading(chunk));
        });
    }

    @Test
    void anyTextAtAllIsReadOrABadResponse() {
        qt().withExamples(2_000).forAll(strings().allPossible().ofLengthBetween(0, 60)).checkAssert(text ->
                assertThat(RandomChunks.decoded(text)).as(text).isEqualTo(RandomChunks.treeReading(text)));
    }

    /** Any text, heavy on what JSON escapes: quotes, backslashes, control characters, surrogates. */
    private static Gen<String> texts() {
        Gen<String> tricky = lists().of(Generate.pick(List.of("\"", "\\", "/", "\n", "\r", "\t", "\b", "\f", "\u0000",
                        "\u001f", "\u007f", "\u2028", "😀", "\ud800", "\udc00", "é", "a", " ", "\\u0041")))
                .ofSizeBetween(0, 12).map(parts -> String.join("", parts));
        return strings().allPossible().ofLengthBetween(0, 30).mix(tricky).mix(Generate.constant((String) null), 10);
    }
}
