package dev.tether.model.demo;

import static dev.tether.model.StreamRun.ask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tether.model.ModelDelta;
import dev.tether.model.ModelException;
import dev.tether.model.ModelRequest;
import dev.tether.model.ModelRequest.ChatMessage;
import dev.tether.model.StreamRun;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class DemoModelTest {

    static final Duration LIMIT = Duration.ofSeconds(10);
    final DemoModel instant = new DemoModel(Duration.ZERO);

    static StreamRun completed(DemoModel model, ModelRequest request) throws Exception {
        StreamRun run = StreamRun.start(model, request);
        assertThat(run.await(LIMIT)).isNull();
        return run;
    }

    @Test
    void saysItIsADemoFirstThenAnswersInMarkdown() throws Exception {
        StreamRun run = completed(instant, ask(DemoModel.ID, "How do I bake sourdough bread at home?"));

        String text = run.sink().text();
        assertThat(text).startsWith("**This is Tether's demo model, not an LLM.**");
        assertThat(text).contains("> How do I bake sourdough bread at home?", "\n- ", "```java\n", "`sourdough`");
        assertThat(run.sink().deltas().getFirst()).isInstanceOf(ModelDelta.Reasoning.class);
    }

    @Test
    void streamsWordSizedTokensAndCountsThemInUsage() throws Exception {
        ModelRequest request = new ModelRequest(DemoModel.ID, List.of(new ChatMessage("system", "be nice"),
                new ChatMessage("user", "one two three"), new ChatMessage("assistant", "four"),
                new ChatMessage("user", "five six")));

        StreamRun run = completed(instant, request);

        List<ModelDelta.Text> tokens = run.sink().all(ModelDelta.Text.class);
        assertThat(tokens).hasSizeBetween(60, 150)
                .allSatisfy(t -> assertThat(t.text().strip()).doesNotContain(" "));
        assertThat(run.sink().deltas().getLast()).isEqualTo(new ModelDelta.Usage(8, tokens.size()));
    }

    @Test
    void sameConversationGivesTheSameDeltas() throws Exception {
        var request = ask(DemoModel.ID, "Tell me about the `race` in \"chat\" UIs \\ please");

        assertThat(completed(instant, request).sink().deltas())
                .isEqualTo(completed(new DemoModel(Duration.ZERO), request).sink().deltas());
        assertThat(completed(instant, ask(DemoModel.ID, "Something else entirely")).sink().text())
                .isNotEqualTo(completed(instant, request).sink().text());
    }

    @Test
    void pacesTokensAtTheConfiguredInterval() throws Exception {
        DemoModel paced = new DemoModel(Duration.ofMillis(10));
        long start = System.nanoTime();

        StreamRun run = completed(paced, ask(DemoModel.ID, "pace me"));

        long tokens = run.sink().all(ModelDelta.Text.class).size();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(tokens * 10));
    }

    @Test
    void stopWakesAPausedReplyAtOnce() throws Exception {
        StreamRun run = StreamRun.start(new DemoModel(Duration.ofHours(1)), ask(DemoModel.ID, "hello"));
        await().atMost(LIMIT).until(() -> !run.sink().deltas().isEmpty()); // reasoning, then a 1 h pause

        run.stop();

        assertThat(run.await(Duration.ofSeconds(5))).isInstanceOf(ModelException.Stopped.class);
        assertThat(run.sink().all(ModelDelta.Text.class)).isEmpty();
    }

    @Test
    void demoToolEmitsACallAndItsResultBeforeTheText() throws Exception {
        StreamRun run = completed(instant, ask(DemoModel.ID, "count these four words /demo tool"));

        List<ModelDelta> deltas = run.sink().deltas();
        assertThat(deltas.get(1)).isInstanceOfSatisfying(ModelDelta.ToolCall.class, call -> {
            assertThat(call.name()).isEqualTo("count_words");
            assertThat(call.arguments()).isEqualTo("{\"text\":\"count these four words /demo tool\"}");
        });
        assertThat(deltas.get(2)).isEqualTo(new ModelDelta.ToolResult(DemoModel.TOOL_ID, "count_words",
                "{\"words\":6}", false, 0));
        assertThat(run.sink().text()).contains("`count_words` tool");
    }

    @Test
    void demoErrorFailsWithATypedHintAfterAFewWords() throws Exception {
        StreamRun run = StreamRun.start(instant, ask(DemoModel.ID, "please /demo error now"));

        ModelException e = run.await(LIMIT);

        assertThat(e).isNotNull().isNotInstanceOf(ModelException.Stopped.class);
        assertThat(e.type()).isEqualTo("demo_error");
        assertThat(e.hint()).isNotBlank();
        assertThat(run.sink().text()).startsWith("**This is Tether's demo model");
    }

    @Test
    void demoSlowWaitsBeforeTheFirstTokenAndStopEndsTheWait() throws Exception {
        StreamRun run = StreamRun.start(instant, ask(DemoModel.ID, "/demo slow"));
        await().during(Duration.ofMillis(500)).atMost(LIMIT).until(() -> run.sink().deltas().isEmpty());

        run.stop();

        assertThat(run.await(LIMIT)).isInstanceOf(ModelException.Stopped.class);
        assertThat(run.sink().deltas()).isEmpty();
    }
}
