package dev.tether.torture;

import dev.tether.support.FakeOpenAiServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The provider's behaviours, one per model id, so each chat/start picks its fault by picking a
 * model: a quick reply, a slow one with reasoning, an HTTP error, a hang before the first token, a
 * connection reset mid-stream, a malformed chunk, and a hang mid-stream. Provider timeouts are
 * short so hung turns end by themselves (as {@code apperror}) within a couple of seconds.
 */
final class Faults {
    static final List<String> MODELS = List.of("ok", "slow", "fail", "hang", "reset", "malformed", "stall");
    private static final int[] WEIGHTS = {30, 25, 10, 8, 10, 9, 8};

    private Faults() {}

    static void script(FakeOpenAiServer provider) {
        provider.script("ok", s -> s.tokenCount(12).tokenDelay(Duration.ofMillis(3)));
        provider.script("slow", s -> s.tokenCount(40).reasoning("let me", " think").tokenDelay(Duration.ofMillis(40)));
        provider.script("fail", s -> s.httpError(500, "the provider fell over"));
        provider.script("hang", s -> s.tokenCount(5).hangBeforeFirstToken());
        provider.script("reset", s -> s.tokenCount(10).tokenDelay(Duration.ofMillis(25)).resetAfterTokens(4));
        provider.script("malformed", s -> s.tokenCount(10).tokenDelay(Duration.ofMillis(5)).malformedChunkAfterTokens(3));
        provider.script("stall", s -> s.tokenCount(10).tokenDelay(Duration.ofMillis(10)).hangAfterTokens(3));
    }

    /** Settings that point Tether at the provider, with provider timeouts short enough for hangs to end. */
    static Map<String, String> env(FakeOpenAiServer provider) {
        return Map.of(
                "TETHER_OPENAI_BASE_URL", provider.baseUrl(),
                "TETHER_OPENAI_MODELS", String.join(",", MODELS),
                "TETHER_OPENAI_CONNECT_TIMEOUT_MS", "2000",
                "TETHER_OPENAI_FIRST_TOKEN_TIMEOUT_MS", "1500",
                "TETHER_OPENAI_IDLE_TIMEOUT_MS", "1500",
                "TETHER_HEARTBEAT_MS", "1000",
                // The per-user rate limits are not under test here; clients collide on purpose.
                "TETHER_TURNS_PER_MINUTE", "100000",
                "TETHER_STREAMS_PER_USER", "100000",
                "TETHER_CONNECTIONS_PER_ADDRESS", "100000");
    }

    static String pick(Random random) {
        int total = 0;
        for (int w : WEIGHTS) {
            total += w;
        }
        int r = random.nextInt(total);
        for (int i = 0; i < WEIGHTS.length; i++) {
            r -= WEIGHTS[i];
            if (r < 0) {
                return MODELS.get(i);
            }
        }
        return MODELS.getFirst();
    }
}
