package dev.tether.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tether.support.ScriptedModel;
import dev.tether.support.ScriptedTether;
import dev.tether.support.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * SCENARIOS.md 8: "Edit / retry / regenerate / truncate / clear while a turn runs: atomic
 * (cancel-then-edit or 409), never a merge of the old reply into the edited transcript."
 */
class S08_EditWhileRunningTest {
    static final Duration WAIT = Duration.ofSeconds(10);
    @RegisterExtension
    final ScriptedTether tether = new ScriptedTether();
    final ScriptedModel model = tether.model();
    final TestServer server = tether.server();

    @Test
    void editAndRegenerateWhileATurnRunsAre409AndTouchNothing() {
        String session = server.newSession();
        server.startTurn(session, "u0");
        model.nextCall(WAIT).echo();
        server.awaitIdle(session);
        String running = server.startTurn(session, "u1");
        ScriptedModel.Call call = model.nextCall(WAIT);
        call.emit("partial ");
        List<JsonNode> before = server.messages(session);

        for (Map<String, Object> edit : List.<Map<String, Object>>of(
                Map.of("session_id", session, "message", "u0 edited", "edit_index", 0),
                Map.of("session_id", session, "message", "u1 edited", "edit_index", 2),
                Map.of("session_id", session, "regenerate", true))) {
            TestServer.Response r = server.start(edit);
            assertThat(r.status()).as("%s", edit).isEqualTo(409);
            assertThat(r.json().path("code").asText()).isEqualTo("turn_active");
            assertThat(r.json().path("active_stream_id").asText()).isEqualTo(running);
        }
        assertThat(server.messages(session)).isEqualTo(before);
        assertThat(server.session(session).path("active_stream_id").asText()).isEqualTo(running);

        call.emit("old reply").finish();
        server.awaitIdle(session);
        assertThat(texts(session)).containsExactly("u0", "re:u0", "u1", "partial old reply");

        // Now idle: edit replaces message 2 and everything after it, in one step.
        TestServer.Response edit = server.start(Map.of("session_id", session, "message", "u1 edited", "edit_index", 2));
        assertThat(edit.status()).isEqualTo(200);
        assertThat(texts(session)).containsExactly("u0", "re:u0", "u1 edited");
        ScriptedModel.Call edited = model.nextCall(WAIT);
        assertThat(edited.request.messages()).extracting(m -> m.content())
                .containsExactly("u0", "re:u0", "u1 edited");
        edited.echo();
        server.awaitIdle(session);
        assertThat(texts(session)).containsExactly("u0", "re:u0", "u1 edited", "re:u1 edited");

        // Regenerate replaces the last reply.
        assertThat(server.start(Map.of("session_id", session, "regenerate", true)).status()).isEqualTo(200);
        assertThat(texts(session)).containsExactly("u0", "re:u0", "u1 edited");
        ScriptedModel.Call again = model.nextCall(WAIT);
        again.emit("another answer").finish();
        server.awaitIdle(session);
        assertThat(texts(session)).containsExactly("u0", "re:u0", "u1 edited", "another answer");

        // Editing the first message drops everything after it.
        assertThat(server.start(Map.of("session_id", session, "message", "fresh", "edit_index", 0)).status())
                .isEqualTo(200);
        model.nextCall(WAIT).echo();
        server.awaitIdle(session);
        assertThat(texts(session)).containsExactly("fresh", "re:fresh");
    }

    @Test
    void editOrRegenerateThatDoesNotFitTheTranscriptIsRefusedAndChangesNothing() {
        String session = server.newSession();
        TestServer.Response nothingToRegenerate = server.start(Map.of("session_id", session, "regenerate", true));
        assertThat(nothingToRegenerate.status()).isEqualTo(409);
        assertThat(nothingToRegenerate.json().path("code").asText()).isEqualTo("not_applicable");
        assertThat(server.session(session).path("message_count").asInt()).isZero();
        assertThat(server.session(session).path("is_streaming").asBoolean()).isFalse();
        server.startTurn(session, "u0");
        model.nextCall(WAIT).echo();
        server.awaitIdle(session);
        for (int index : new int[] {1, 7}) {
            TestServer.Response r = server.start(Map.of("session_id", session, "message", "x", "edit_index", index));
            assertThat(r.status()).isEqualTo(409);
            assertThat(r.json().path("code").asText()).isEqualTo("not_applicable");
        }
        TestServer.Response both = server.start(Map.of("session_id", session, "message", "x", "edit_index", 0,
                "regenerate", true));
        assertThat(both.status()).isEqualTo(400);
        assertThat(both.json().path("code").asText()).isNotBlank();
        TestServer.Response wrongType = server.start(Map.of("session_id", session, "message", "x", "edit_index", "0"));
        assertThat(wrongType.status()).isEqualTo(400);
        assertThat(texts(session)).containsExactly("u0", "re:u0");
        assertThat(model.callCount()).isEqualTo(1);
    }

    /**
     * Many tabs send, edit and regenerate at random while the model answers every turn. Whatever
     * interleaving happens, each reply must answer the user message right before it: an old
     * reply merged into an edited transcript would answer a message that is no longer there.
     */
    @Test
    void stressRandomEditsRegeneratesAndSendsNeverMergeAnOldReply() throws Exception {
        String session = server.newSession();
        AtomicBoolean done = new AtomicBoolean();
        Map<Integer, Integer> statuses = new HashMap<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<?> driver = threads.submit(() -> {
                while (!done.get()) {
                    try {
                        model.nextCall(Duration.ofMillis(200)).echo();
                    } catch (AssertionError noCallYet) {
                        // poll again
                    }
                }
            });
            int tabs = 6;
            CyclicBarrier barrier = new CyclicBarrier(tabs);
            List<Future<List<Integer>>> tabRuns = new ArrayList<>();
            for (int t = 0; t < tabs; t++) {
                int tab = t;
                tabRuns.add(threads.submit(() -> {
                    List<Integer> seen = new ArrayList<>();
                    for (int op = 0; op < 40; op++) {
                        barrier.await(10, TimeUnit.SECONDS);
                        seen.add(randomOp(session, "t" + tab + "o" + op).status());
                    }
                    return seen;
                }));
            }
            for (Future<List<Integer>> f : tabRuns) {
                for (int status : f.get(60, TimeUnit.SECONDS)) {
                    statuses.merge(status, 1, Integer::sum);
                }
            }
            server.awaitIdle(session);
            done.set(true);
            driver.get(10, TimeUnit.SECONDS);
        }
        assertThat(statuses.keySet()).as("statuses %s", statuses).isSubsetOf(200, 409).contains(200, 409);
        List<JsonNode> transcript = server.messages(session);
        assertThat(transcript.size() % 2).isZero();
        for (int i = 0; i < transcript.size(); i += 2) {
            assertThat(transcript.get(i).path("role").asText()).isEqualTo("user");
            assertThat(transcript.get(i + 1).path("role").asText()).isEqualTo("assistant");
            assertThat(transcript.get(i + 1).path("content").asText()).as("reply %d of %s", i + 1, texts(session))
                    .isEqualTo("re:" + transcript.get(i).path("content").asText());
            assertThat(transcript.get(i).path("index").asInt()).isEqualTo(i);
        }
    }

    private TestServer.Response randomOp(String session, String text) {
        int count = server.session(session).path("message_count").asInt();
        return switch (ThreadLocalRandom.current().nextInt(3)) {
            case 0 -> server.start(Map.of("session_id", session, "message", text));
            case 1 -> server.start(Map.of("session_id", session, "regenerate", true));
            default -> count < 2 ? server.start(Map.of("session_id", session, "message", text))
                    : server.start(Map.of("session_id", session, "message", text,
                    "edit_index", 2 * ThreadLocalRandom.current().nextInt(count / 2)));
        };
    }

    private List<String> texts(String session) {
        return server.messages(session).stream().map(m -> m.path("content").asText()).toList();
    }
}
