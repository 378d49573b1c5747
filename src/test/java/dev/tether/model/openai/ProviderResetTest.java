package dev.tether.model.openai;

import static dev.tether.model.StreamRun.ask;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.config.TetherConfig;
import dev.tether.model.ModelException;
import dev.tether.model.StreamRun;
import dev.tether.support.FakeOpenAiServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * S31 without a pause: the provider sends its tokens and resets the connection (RST) at once. The
 * kernel still holds every byte that arrived before the reset, and the reply must show them all,
 * then the connection fault. A provider that answers before it has read the request's body (or a
 * proxy in front of it) resets while the client may still be writing: the failed write must not
 * hide the answer already received. The race is in the kernel, so each case runs 200 times.
 */
class ProviderResetTest {

    static final int RUNS = 200;
    static final int TOKENS = 5;

    final FakeOpenAiServer provider = FakeOpenAiServer.start();
    final OpenAiCompatibleModel model = new OpenAiCompatibleModel(new TetherConfig.Provider(provider.baseUrl(),
            Optional.empty(), List.of("fake-model"), Duration.ofSeconds(5), Duration.ofSeconds(30),
            Duration.ofSeconds(30)));

    @AfterEach
    void close() {
        model.close();
        provider.close();
    }

    @ParameterizedTest(name = "answer before reading the request body: {0}")
    @ValueSource(booleans = {false, true})
    @DisplayName("S31: every token sent before an immediate reset reaches the reply, 200 times out of 200")
    void s31_immediateResetKeepsEveryTokenThatArrived(boolean answerBeforeBody) throws Exception {
        provider.answerBeforeBody(answerBeforeBody);
        provider.script(s -> s.tokenCount(TOKENS).resetAfterTokens(TOKENS));
        List<String> failures = new ArrayList<>();

        for (int i = 0; i < RUNS; i++) {
            StreamRun run = StreamRun.start(model, ask("fake-model", "hi"));
            ModelException e = run.await(Duration.ofSeconds(10));
            String text = run.sink().text();
            if (e == null || !e.type().equals("connection") || !e.hint().contains("partial reply is kept")
                    || !text.equals("w0 w1 w2 w3 w4")) {
                failures.add("run " + i + ": text '" + text + "', " + (e == null ? "no fault" : e.getMessage()));
            }
        }

        System.out.println("immediate reset after " + TOKENS + " tokens (answer before reading the body: "
                + answerBeforeBody + "): " + (RUNS - failures.size()) + "/" + RUNS + " replies whole");
        assertThat(failures).as("runs that lost tokens").isEmpty();
    }
}
