package dev.tether.model.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;
import static org.quicktheories.generators.SourceDSL.strings;

import dev.tether.model.ModelDelta;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

class QuickChunkTest {
    private static final String TYPICAL = "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,"
            + "\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\" hello\"},\"finish_reason\":null}]}";

    @Test
    void readsTheTypicalChunk() {
        assertThat(QuickChunk.read(TYPICAL)).isEqualTo(new ChunkDecoder.Plain(true, " hello", "", "", false, null));
    }

    @Test
    void readsTheCommonTextChunkWithEscapesAndUnicode() {
        ChunkDecoder.Plain p = QuickChunk.read("{\"id\":\"x\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\","
                + "\"content\":\"a\\\"b\\n\\u00e9 😀\"},\"finish_reason\":null}]}");
        assertThat(p).isNotNull();
        assertThat(p.hasChoice()).isTrue();
        assertThat(p.content()).isEqualTo("a\"b\né 😀");
        assertThat(p.finish()).isFalse();
    }

    @Test
    void decodesEveryEscapeAndSurrogatePairs() {
        String escaped = "\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u0041\\u00e9\\u0000\\u001F \\ud83d\\ude00\\uD83D\\uDE00 😀";
        ChunkDecoder.Plain p = QuickChunk.read("{\"choices\":[{\"delta\":{\"content\":\"" + escaped + "\"}}]}");
        assertThat(p.content()).isEqualTo("\" \\ / \b \f \n \r \t Aé\u0000\u001f 😀😀 😀");
    }

    @Test
    void readsReasoningUnderEitherName() {
        ChunkDecoder.Plain p = QuickChunk.read("{\"choices\":[{\"delta\":{\"reasoning_content\":\"a\",\"reasoning\":\"b\"}}]}");
        assertThat(p.reasoningContent()).isEqualTo("a");
        assertThat(p.reasoning()).isEqualTo("b");
    }

    @Test
    void allowsWhitespaceBetweenEveryToken() {
        List<String> tokens = List.of("{", "\"choices\"", ":", "[", "{", "\"delta\"", ":", "{", "\"content\"", ":",
                "\"hi\"", ",", "\"x\"", ":", "[", "1", ",", "true", ",", "null", ",", "{", "}", ",", "[", "]", "]", "}",
                ",", "\"finish_reason\"", ":", "\"stop\"", "}", "]", ",", "\"usage\"", ":", "{", "\"prompt_tokens\"", ":",
                "2", ",", "\"completion_tokens\"", ":", "-3", "}", "}");
        String spaced = " \r\n\t" + String.join(" \n\t\r ", tokens) + "\n\r\t ";
        assertThat(QuickChunk.read(spaced))
                .isEqualTo(new ChunkDecoder.Plain(true, "hi", "", "", true, new ModelDelta.Usage(2, -3)))
                .isEqualTo(QuickChunk.read(String.join("", tokens)));
    }

    @Test
    void skipsUnknownNestedFieldsBeforeAndAfterChoices() {
        String unknown = "{\"a\":[{\"b\":{\"c\":[1,-2.5e-3,\"x\\\"}]\",null,false]}},[]],\"tool_calls\":[{}],\"error\":{}}";
        ChunkDecoder.Plain p = QuickChunk.read("{\"before\":" + unknown + ",\"choices\":[{\"x\":" + unknown
                + ",\"delta\":{\"y\":" + unknown + ",\"content\":\"ok\",\"z\":" + unknown + "}}],\"after\":" + unknown + "}");
        assertThat(p).isEqualTo(new ChunkDecoder.Plain(true, "ok", "", "", false, null));
    }

    @Test
    void readsAStopWithAnEmptyDelta() {
        assertThat(QuickChunk.read("{\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}"))
                .isEqualTo(new ChunkDecoder.Plain(true, "", "", "", true, null));
    }

    @Test
    void readsAUsageOnlyChunk() {
        ChunkDecoder.Plain p = QuickChunk.read("{\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":7,"
                + "\"total_tokens\":10,\"details\":{\"x\":[1,2]}}}");
        assertThat(p).isEqualTo(new ChunkDecoder.Plain(false, "", "", "", false, new ModelDelta.Usage(3, 7)));
    }

    @Test
    void readsNullTextsAsEmptyAndANullErrorAsNoError() {
        assertThat(QuickChunk.read("{\"error\":null,\"choices\":[{\"delta\":{\"content\":null,\"reasoning\":null}}],"
                + "\"usage\":null}")).isEqualTo(new ChunkDecoder.Plain(true, "", "", "", false, null));
    }

    @Test
    void matchesKeysWrittenWithEscapesByTheirDecodedName() {
        assertThat(QuickChunk.read("{\"\\u0063hoices\":[{\"delta\":{\"con\\u0074ent\":\"a\"}}]}").content()).isEqualTo("a");
        assertThat(QuickChunk.read("{\"choices\":[{\"delta\":{\"tool\\u005fcalls\":[]}}]}")).isNull();
    }

    @Test
    void countsARepeatedKeyTheLastTimeAsTheFullReadingDoes() {
        List<String> chunks = List.of(
                "{\"choices\":[{\"delta\":{\"content\":\"a\",\"content\":\"b\"}}]}",
                "{\"choices\":[{\"delta\":{\"content\":\"a\"},\"delta\":{}}]}",
                "{\"choices\":[{\"delta\":{\"content\":\"a\"}}],\"choices\":[]}",
                "{\"usage\":{\"prompt_tokens\":1},\"usage\":null}",
                "{\"usage\":{\"prompt_tokens\":1,\"prompt_tokens\":2}}");
        for (String chunk : chunks) {
            assertThat(QuickChunk.read(chunk)).as(chunk).isNotNull().isEqualTo(RandomChunks.fullReading(chunk));
        }
    }

    @Test
    void leavesEverythingUnusualToTheFullReading() {
        assertThat(QuickChunk.read("{\"choices\":[{\"delta\":{\"tool_calls\":[{\"index\":0}]}}]}")).isNull();
        assertThat(QuickChunk.read("{\"error\":{\"message\":\"boom\"}}")).isNull();
        assertThat(QuickChunk.read("{\"error\":\"boom\",\"choices\":[]}")).isNull();
        assertThat(QuickChunk.read("{\"choices\":[{\"delta\":{\"content\":\"a\"}},{\"delta\":{\"content\":\"b\"}}]}")).isNull();
        assertThat(QuickChunk.read("{\"choices\":[{\"delta\":null}]}")).isNull();
        assertThat(QuickChunk.read("{\"choices\":[null]}")).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"choices\":[{\"delta\":{\"content\":5}}]}", "{\"choices\":{}}", "{\"choices\":null}",
            "{\"choices\":[{\"delta\":{\"reasoning\":[\"a\"]}}]}", "{\"usage\":{\"prompt_tokens\":1.5}}",
            "{\"usage\":{\"prompt_tokens\":\"3\"}}", "{\"usage\":{\"completion_tokens\":1e2}}",
            "{\"usage\":{\"prompt_tokens\":9223372036854775808}}", "{\"usage\":{\"prompt_tokens\":null}}",
            "{\"usage\":[]}", "{\"usage\":true}"})
    void leavesAFieldOfTheWrongTypeToTheFullReading(String chunk) {
        assertThat(QuickChunk.read(chunk)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "[1]", "\"x\"", "null", "{", "{}}", "{} x", "{}{}", "{\"a\":1,}", "{\"a\":[1,]}",
            "{,\"a\":1}", "{\"a\" 1}", "{\"a\":1 \"b\":2}", "{\"a\"}", "{a:1}", "{'a':1}", "{\"a\":\"b}",
            "{\"a\":\"\\x\"}", "{\"a\":\"\\u12G4\"}", "{\"a\":\"\\u12\"}", "{\"a\":\"\\", "{\"a\":\"line\nbreak\"}",
            "{\"a\":\"tab\there\"}", "{\"a\":01}", "{\"a\":-}", "{\"a\":1.}", "{\"a\":.5}", "{\"a\":1e}", "{\"a\":+1}",
            "{\"a\":tru}", "{\"a\":nul}", "{\"a\":nullx}", "{\"a\":True}", "{\"a\":NaN}", "{\"a\":[}", "{\"a\":{]}",
            "{\"choices\":[{\"delta\":{\"content\":\"a\"}}]", "\uFEFF{}", "{\"a\":1}\u0000", "{\"a\"\u00a0:1}"})
    void answersNullForMalformedJson(String text) {
        assertThat(QuickChunk.read(text)).isNull();
    }

    @Test
    void answersNullForEveryTruncationOfAValidChunk() {
        String chunk = "{\"choices\":[{\"delta\":{\"content\":\"a\\u00e9\\n\"},\"finish_reason\":\"stop\"}],"
                + "\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":-3},\"x\":[true,false,null,1.5e+3]}";
        assertThat(QuickChunk.read(chunk)).isNotNull();
        for (int end = 0; end < chunk.length(); end++) {
            assertThat(QuickChunk.read(chunk.substring(0, end))).as(chunk.substring(0, end)).isNull();
        }
    }

    @Test
    void answersNullForDeepNestingWithoutOverflowingTheStack() {
        String deep = "[".repeat(10_000) + "]".repeat(10_000);
        assertThat(QuickChunk.read("{\"x\":" + deep + ",\"choices\":[]}")).isNull();
        assertThat(QuickChunk.read("{\"choices\":[{\"delta\":{\"x\":" + "{\"y\":".repeat(10_000) + "1"
                + "}".repeat(10_000) + "}}]}")).isNull();
        String allowed = "[".repeat(JsonCursor.MAX_DEPTH) + "]".repeat(JsonCursor.MAX_DEPTH);
        assertThat(QuickChunk.read("{\"x\":" + allowed + ",\"choices\":[]}")).isNotNull();
    }

    @Test
    void agreesWithTheFullReadingOnGeneratedChunks() {
        qt().withExamples(3_000).forAll(texts(), texts(), longs().all()).checkAssert((content, reasoning, seed) -> {
            String chunk = RandomChunks.chunk(content, reasoning, new Random(seed));
            assertThat(QuickChunk.read(chunk)).as(chunk).isNotNull().isEqualTo(RandomChunks.fullReading(chunk));
        });
    }

    @Test
    void neverDisagreesWithTheFullReadingOnMutatedChunks() {
        qt().withExamples(10_000).forAll(texts(), texts(), longs().all()).checkAssert((content, reasoning, seed) -> {
            Random random = new Random(seed);
            String chunk = RandomChunks.mutate(RandomChunks.chunk(content, reasoning, random), random);
            ChunkDecoder.Plain quick = QuickChunk.read(chunk);
            if (quick != null) {
                assertThat(quick).as(chunk).isEqualTo(RandomChunks.fullReading(chunk));
            }
        });
    }

    /** Any text, heavy on what JSON escapes: quotes, backslashes, control characters, surrogates. */
    private static Gen<String> texts() {
        Gen<String> tricky = lists().of(Generate.pick(List.of("\"", "\\", "/", "\n", "\r", "\t", "\b", "\f", "\u0000",
                        "\u001f", "\u007f", "\u2028", "😀", "\ud800", "\udc00", "é", "a", " ", "\\u0041")))
                .ofSizeBetween(0, 12).map(parts -> String.join("", parts));
        return strings().allPossible().ofLengthBetween(0, 30).mix(tricky).mix(Generate.constant((String) null), 10);
    }
}
