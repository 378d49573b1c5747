package dev.tether.model.openai;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class QuickChunkTest {

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
    void readsFinishAndUsage() {
        ChunkDecoder.Plain p = QuickChunk.read("{\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":7,"
                + "\"total_tokens\":10,\"details\":{\"x\":[1,2]}}}");
        assertThat(p.hasChoice()).isFalse();
        assertThat(p.usage().inputTokens()).isEqualTo(3);
        assertThat(p.usage().outputTokens()).isEqualTo(7);
        assertThat(QuickChunk.read("{\"choices\":[{\"delta\":{},\"finish_reason\":\"stop\"}]}").finish()).isTrue();
    }

    @Test
    void leavesEverythingUnusualToTheFullReading() {
        assertThat(QuickChunk.read("{\"choices\":[{\"delta\":{\"tool_calls\":[{\"index\":0}]}}]}")).isNull();
        assertThat(QuickChunk.read("{\"error\":{\"message\":\"boom\"}}")).isNull();
        assertThat(QuickChunk.read("{\"choices\":[{\"delta\":{\"content\":\"a\"}},{\"delta\":{\"content\":\"b\"}}]}")).isNull();
        assertThat(QuickChunk.read("{\"choices\":[{\"delta\":{\"content\":5}}]}")).isNull();
        assertThat(QuickChunk.read("{\"usage\":{\"prompt_tokens\":\"3\"}}")).isNull();
        assertThat(QuickChunk.read("{\"choices\":[{\"delta\":null}]}")).isNull();
        assertThat(QuickChunk.read("[1]")).isNull();
        assertThat(QuickChunk.read("{\"choices\":[{\"delta\":{\"content\":\"a")).isNull();
    }
}
