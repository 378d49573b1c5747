package dev.tether.turn;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tether.model.ChatModel;
import dev.tether.model.ModelDelta;
import dev.tether.model.ModelException;
import dev.tether.model.ModelRequest;
import dev.tether.model.StopSignal;
import dev.tether.support.FakeOpenAiServer;
import dev.tether.support.SseTestClient;
import dev.tether.support.TestServer;
import dev.tether.tool.TestToolServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The tool loop of a turn over HTTP, against an MCP server of the tests' (Streamable HTTP, the SDK's
 * server side) and a model that calls the tools a test names; the provider's wire format with the
 * fake OpenAI server.
 */
class ToolLoopTest {
    static Server mcp;
    static Path config;

    @BeforeAll
    static void startMcp() throws Exception {
        mcp = TestToolServer.http();
        config = Files.createTempFile("mcp", ".json");
        Files.writeString(config, "{\"mcpServers\":{\"web\":{\"url\":\"http://127.0.0.1:" + mcp.getURI().getPort()
                + "/mcp\"}},\"tether\":{\"policies\":{\"web/fail\":\"auto\"}}}");
    }

    @AfterAll
    static void stopMcp() throws Exception {
        mcp.stop();
    }

    /** Calls the functions it is given (one step), then answers with the tool results it read. */
    static final class CallingModel implements ChatModel {
        final List<String> functions;
        final boolean always;
        final List<ModelRequest> requests = new CopyOnWriteArrayList<>();

        CallingModel(boolean always, String... functions) {
            this.always = always;
            this.functions = List.of(functions);
        }

        @Override
        public void stream(ModelRequest request, DeltaSink sink, StopSignal stop) throws ModelException {
            requests.add(request);
            if (always || !"tool".equals(request.messages().getLast().role())) {
                sink.accept(new ModelDelta.Text("Let me check. "));
                for (int i = 0; i < functions.size(); i++) {
                    String args = functions.get(i).endsWith("echo") ? "{\"text\":\"call " + i + "\"}" : "{}";
                    sink.accept(new ModelDelta.ToolCall("call_" + requests.size() + "_" + i, functions.get(i), args));
                }
                return;
            }
            String results = String.join(" | ", request.messages().stream().filter(m -> "tool".equals(m.role()))
                    .map(ModelRequest.ChatMessage::content).toList());
            sink.accept(new ModelDelta.Text("Tools said: " + results));
        }
    }

    private static TestServer server(ChatModel model, String... env) {
        Map<String, String> settings = new java.util.HashMap<>(Map.of("TETHER_MCP_CONFIG", config.toString()));
        for (int i = 0; i < env.length; i += 2) {
            settings.put(env[i], env[i + 1]);
        }
        return TestServer.with(model, settings);
    }

    private static String sessionWithTools(TestServer server, String... tools) {
        String id = server.newSession();
        TestServer.Response r = server.post("/api/session/update", Map.of("session_id", id, "tools", List.of(tools)));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().path("session").path("tools").toString()).contains(tools[0]);
        return id;
    }

    private static List<SseTestClient.Frame> named(List<SseTestClient.Frame> frames, String name) {
        return frames.stream().filter(f -> f.event().equals(name)).toList();
    }

    @Test
    void oneCallRunsAndItsResultGoesBackToTheModel() {
        CallingModel model = new CallingModel(false, "web__echo");
        try (TestServer server = server(model)) {
            String session = sessionWithTools(server, "web/*");
            String turn = server.startTurn(session, "hello");
            server.awaitIdle(session);
            List<SseTestClient.Frame> frames = server.replay(turn);
            JsonNode tool = named(frames, "tool").getFirst().json();
            assertThat(tool.path("name").asText()).isEqualTo("echo");
            assertThat(tool.path("server").asText()).isEqualTo("web");
            JsonNode done = named(frames, "tool_complete").getFirst().json();
            assertThat(done.path("result").asText()).isEqualTo("echo: call 0");
            assertThat(done.path("is_error").asBoolean()).isFalse();
            assertThat(named(frames, "done")).hasSize(1);
            ModelRequest second = model.requests.get(1);
            assertThat(second.tools()).extracting(ModelRequest.ToolDefinition::name).contains("web__echo", "web__hang");
            ModelRequest.ChatMessage asked = second.messages().get(second.messages().size() - 2);
            assertThat(asked.role()).isEqualTo("assistant");
            assertThat(asked.toolCalls()).extracting(ModelDelta.ToolCall::name).containsExactly("web__echo");
            assertThat(second.messages().getLast().toolCallId()).isEqualTo(asked.toolCalls().getFirst().id());
            assertThat(server.messages(session).getLast().path("content").asText())
                    .isEqualTo("Let me check. Tools said: echo: call 0");
        }
    }

    @Test
    void severalCallsRunAndAFailingToolIsAnErrorResult() {
        CallingModel model = new CallingModel(false, "web__echo", "web__fail", "web__echo", "web__nope");
        try (TestServer server = server(model)) {
            String session = sessionWithTools(server, "web/echo", "web/fail");
            String turn = server.startTurn(session, "hello");
            server.awaitIdle(session);
            List<SseTestClient.Frame> results = named(server.replay(turn), "tool_complete");
            assertThat(results).hasSize(4);
            assertThat(results.stream().filter(f -> f.json().path("is_error").asBoolean()).map(f -> f.json()
                    .path("result").asText()).toList()).anyMatch(r -> r.contains("broke on purpose"))
                    .anyMatch(r -> r.contains("no tool 'web__nope'"));
            assertThat(model.requests.get(1).messages().stream().filter(m -> "tool".equals(m.role()))).hasSize(4);
        }
    }

    @Test
    void aToolNotReadOnlyIsRefusedUntilApprovalsExist() {
        try (TestServer server = server(new CallingModel(false, "web__write"))) {
            String session = sessionWithTools(server, "web/*");
            String turn = server.startTurn(session, "hello");
            server.awaitIdle(session);
            JsonNode result = named(server.replay(turn), "tool_complete").getFirst().json();
            assertThat(result.path("is_error").asBoolean()).isTrue();
            assertThat(result.path("result").asText()).contains("approval").contains("not run");
        }
    }

    @Test
    void theStepLimitEndsTheTurnWithAnError() {
        CallingModel model = new CallingModel(true, "web__echo");
        try (TestServer server = server(model, "TETHER_MAX_TOOL_STEPS", "2")) {
            String session = sessionWithTools(server, "web/*");
            String turn = server.startTurn(session, "hello");
            server.awaitIdle(session);
            List<SseTestClient.Frame> frames = server.replay(turn);
            assertThat(named(frames, "tool_complete")).hasSize(2);
            assertThat(named(frames, "apperror").getFirst().json().path("type").asText()).isEqualTo("tool_step_limit");
            assertThat(model.requests).hasSize(3);
        }
    }

    @Test
    void aStopCancelsAHangingToolAndKeepsWhatCameBefore() {
        try (TestServer server = server(new CallingModel(false, "web__hang"))) {
            String session = sessionWithTools(server, "web/*");
            String turn = server.startTurn(session, "hello");
            try (SseTestClient.Connection live = server.stream("/api/chat/stream?stream_id=" + turn, Map.of())) {
                Awaitility.await().atMost(Duration.ofSeconds(20))
                        .until(() -> live.events().stream().anyMatch(f -> f.event().equals("tool")));
                assertThat(server.post("/api/chat/cancel", Map.of("stream_id", turn)).json()
                        .path("cancelled").asBoolean()).isTrue();
                assertThat(live.awaitEnd(Duration.ofSeconds(5))).isTrue();
            }
            server.awaitIdle(session);
            assertThat(named(server.replay(turn), "cancel")).hasSize(1);
            assertThat(server.messages(session).getLast().path("content").asText()).isEqualTo("Let me check. ");
        }
    }

    @Test
    void markupInAResultIsCarriedAsTextAndTheSessionRefusesUnknownTools() {
        try (TestServer server = server(new CallingModel(false, "web__html"))) {
            String session = sessionWithTools(server, "web/html");
            String turn = server.startTurn(session, "hello");
            server.awaitIdle(session);
            String result = named(server.replay(turn), "tool_complete").getFirst().json().path("result").asText();
            assertThat(result).contains("<script>window.pwned=2</script>");
            assertThat(server.post("/api/session/update", Map.of("session_id", session, "tools", List.of("nope/x")))
                    .json().path("code").asText()).isEqualTo("unknown_tool");
            assertThat(server.post("/api/session/update", Map.of("session_id", session, "tools", List.of("a,b")))
                    .status()).isEqualTo(400);
            JsonNode tools = server.get("/api/tools").json();
            assertThat(tools.path("tools").toString()).contains("\"id\":\"web/echo\"").contains("\"read_only\":true")
                    .contains("\"id\":\"tether/clock\"");
            assertThat(tools.path("servers").toString()).contains("\"name\":\"web\"");
        }
    }

    @Test
    void theDemoModelCallsTheBuiltinClockWithNoSetup() {
        try (TestServer server = TestServer.withConfiguredModels(Map.of())) {
            String session = server.newSession();
            String turn = server.startTurn(session, "/demo tool: what time is it?");
            Awaitility.await().atMost(Duration.ofSeconds(60))
                    .until(() -> !server.session(session).path("is_streaming").asBoolean());
            List<SseTestClient.Frame> frames = server.replay(turn);
            JsonNode tool = named(frames, "tool").getFirst().json();
            assertThat(tool.path("server").asText() + "/" + tool.path("name").asText()).isEqualTo("tether/clock");
            String now = named(frames, "tool_complete").getFirst().json().path("result").asText();
            assertThat(now).matches("\\d{4}-\\d\\d-\\d\\dT.*");
            assertThat(server.messages(session).getLast().path("content").asText()).contains("clock tool").contains(now);
        }
    }

    @Test
    void theProviderSeesToolCallsAndResultsInItsOwnFormat() {
        try (FakeOpenAiServer provider = FakeOpenAiServer.start()) {
            provider.script(s -> s.toolCall("call_a", "web__echo", "{\"text\":\"hi\"}"));
            try (TestServer server = TestServer.withConfiguredModels(Map.of("TETHER_OPENAI_BASE_URL", provider.baseUrl(),
                    "TETHER_OPENAI_MODELS", "m1", "TETHER_MCP_CONFIG", config.toString(), "TETHER_MAX_TOOL_STEPS", "1"))) {
                String session = sessionWithTools(server, "web/echo");
                String turn = server.startTurn(session, "hello");
                server.awaitIdle(session);
                assertThat(named(server.replay(turn), "apperror").getFirst().json().path("type").asText())
                        .isEqualTo("tool_step_limit");
                JsonNode body = provider.lastRequest().json();
                assertThat(body.path("tools").get(0).path("function").path("name").asText()).isEqualTo("web__echo");
                JsonNode messages = body.path("messages");
                JsonNode asked = messages.get(messages.size() - 2);
                assertThat(asked.path("role").asText()).isEqualTo("assistant");
                assertThat(asked.path("tool_calls").get(0).path("function").path("arguments").asText())
                        .isEqualTo("{\"text\":\"hi\"}");
                JsonNode answered = messages.get(messages.size() - 1);
                assertThat(answered.path("role").asText()).isEqualTo("tool");
                assertThat(answered.path("tool_call_id").asText()).isEqualTo("call_a");
                assertThat(answered.path("content").asText()).isEqualTo("echo: hi");
            }
        }
    }
}
