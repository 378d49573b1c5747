package dev.tether.tool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tether.model.StopSignal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The tool box against an MCP server no one here wrote: the npm registry's
 * {@code @modelcontextprotocol/server-everything} on stdio (node). {@code .ci/run} installs it into
 * {@code target/mcp-servers}; without it (a machine that never ran that step) the test is skipped.
 */
class EverythingServerTest {
    static final Path BIN = Path.of("target/mcp-servers/node_modules/.bin/mcp-server-everything");

    @Test
    void listsAndCallsTheEverythingServersEcho() {
        assumeTrue(Files.isExecutable(BIN), "server-everything is not installed at " + BIN
                + " (.ci/run installs it with npm); skipping the test against it");
        McpConfig config = new McpConfig(List.of(new McpServerSpec("everything",
                new McpServerSpec.Stdio(BIN.toAbsolutePath().toString(), List.of("stdio"), Map.of()))), Map.of());
        try (ToolBox box = new ToolBox(List.of(new McpServerLink(config.servers().getFirst(), config)), 10_000)) {
            List<Tool> tools = box.tools(Duration.ofSeconds(60));
            assertThat(box.servers().getFirst().state()).as(String.valueOf(box.servers().getFirst().error()))
                    .isEqualTo("ready");
            Tool echo = tools.stream().filter(t -> t.name().equals("echo")).findFirst().orElseThrow();
            assertThat(echo.inputSchema()).contains("message");
            ToolOutcome said = box.call(echo, "{\"message\":\"hello from Tether\"}", new StopSignal());
            assertThat(said.isError()).isFalse();
            assertThat(said.text()).contains("hello from Tether");
        }
    }
}
