package dev.tether.tool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.model.StopSignal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The tool box against real MCP servers: the tests' own on stdio and on HTTP, and the built-in one. */
class ToolBoxTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    static Server http;
    static ToolBox box;

    @BeforeAll
    static void start() throws Exception {
        http = TestToolServer.http();
        McpConfig config = new McpConfig(List.of(TestToolServer.stdioSpec("stdio"),
                new McpServerSpec("web", new McpServerSpec.Http("http://127.0.0.1:" + http.getURI().getPort() + "/mcp",
                        Map.of("Authorization", "Bearer secret")))),
                Map.of("stdio/echo", ToolPolicy.ASK));
        box = new ToolBox(List.of(new McpServerLink(BuiltinServer.spec(), config, BuiltinServer.declared()),
                new McpServerLink(config.servers().get(0), config), new McpServerLink(config.servers().get(1), config)),
                1000);
    }

    @AfterAll
    static void stop() throws Exception {
        box.close();
        http.stop();
    }

    private static Tool tool(String id) {
        return box.tools(WAIT).stream().filter(t -> t.id().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void listsEveryServersToolsWithSchemasAndPolicies() {
        List<String> ids = box.tools(WAIT).stream().map(Tool::id).toList();
        assertThat(ids).contains("tether/clock", "tether/calculator", "stdio/echo", "stdio/hang", "web/echo", "web/big");
        assertThat(tool("stdio/echo").policy()).as("configured").isEqualTo(ToolPolicy.ASK);
        assertThat(tool("web/echo").policy()).as("read-only").isEqualTo(ToolPolicy.AUTO);
        assertThat(tool("web/write").policy()).as("not read-only").isEqualTo(ToolPolicy.ASK);
        assertThat(tool("web/echo").inputSchema()).contains("\"text\"");
        assertThat(box.servers()).extracting(ServerStatus::state).containsOnly("ready");
    }

    @Test
    void callsToolsOnStdioAndHttp() {
        assertThat(box.call(tool("stdio/echo"), "{\"text\":\"hi\"}", new StopSignal()).text()).isEqualTo("echo: hi");
        ToolOutcome web = box.call(tool("web/echo"), "{\"text\":\"there\"}", new StopSignal());
        assertThat(web.text()).isEqualTo("echo: there");
        assertThat(web.isError()).isFalse();
    }

    @Test
    void aFailingToolIsAnErrorOutcome() {
        ToolOutcome failed = box.call(tool("stdio/fail"), "{}", new StopSignal());
        assertThat(failed.isError()).isTrue();
        assertThat(failed.text()).contains("broke on purpose");
        assertThat(box.call(tool("stdio/echo"), "[1,2]", new StopSignal()).isError()).as("arguments not an object").isTrue();
    }

    @Test
    void aTenMegabyteResultReachesTheModelTruncatedWithAMarker() {
        for (String big : List.of("stdio/big", "web/big")) {
            ToolOutcome outcome = CompletableFuture.supplyAsync(() -> box.call(tool(big), "{\"chars\":10000000}",
                    new StopSignal())).orTimeout(60, java.util.concurrent.TimeUnit.SECONDS).join();
            assertThat(outcome.text()).as(big).startsWith("xxxx")
                    .endsWith("[Tether truncated this tool result: 1000 of 10000000 characters shown]");
            assertThat(outcome.text().length()).as(big).isLessThan(1100);
        }
    }

    @Test
    void aStopCancelsAHangingCall() {
        StopSignal stop = new StopSignal();
        CompletableFuture<ToolOutcome> call = CompletableFuture.supplyAsync(
                () -> box.call(tool("web/hang"), "{}", stop), r -> Thread.ofVirtual().start(r));
        org.awaitility.Awaitility.await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5))
                .until(() -> !call.isDone());
        stop.fire();
        ToolOutcome outcome = call.orTimeout(10, java.util.concurrent.TimeUnit.SECONDS).join();
        assertThat(outcome.isError()).isTrue();
        assertThat(outcome.text()).contains("cancelled");
    }

    @Test
    void aStdioServerThatDiesIsStartedAgain() {
        McpConfig config = new McpConfig(List.of(TestToolServer.stdioSpec("mortal")), Map.of());
        try (ToolBox mortal = new ToolBox(List.of(new McpServerLink(config.servers().getFirst(), config)), 1000)) {
            Tool echo = mortal.tools(WAIT).stream().filter(t -> t.name().equals("echo")).findFirst().orElseThrow();
            Tool exit = mortal.tools(WAIT).stream().filter(t -> t.name().equals("exit")).findFirst().orElseThrow();
            assertThat(mortal.call(exit, "{}", new StopSignal()).isError()).as("the process died during the call").isTrue();
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                    .until(() -> mortal.servers().getFirst().state().equals("failed"));
            assertThat(mortal.servers().getFirst().error()).contains("exited");
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60))
                    .until(() -> mortal.servers().getFirst().state().equals("ready"));
            assertThat(mortal.call(echo, "{\"text\":\"again\"}", new StopSignal()).text()).isEqualTo("echo: again");
        }
    }

    @Test
    void theBuiltinServerRunsAsAChildProcess() {
        ToolOutcome sum = box.call(tool("tether/calculator"), "{\"expression\":\"(2 + 3) * 4 ^ 2\"}", new StopSignal());
        assertThat(sum.text()).isEqualTo("80");
        assertThat(box.call(tool("tether/clock"), "{}", new StopSignal()).text()).matches("\\d{4}-\\d\\d-\\d\\dT.*");
        assertThat(box.call(tool("tether/calculator"), "{\"expression\":\"2 +\"}", new StopSignal()).isError()).isTrue();
    }
}
